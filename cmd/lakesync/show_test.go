package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/golden"
	"github.com/lakesync/lakesync/cmd/lakesync/internal/view"
	"github.com/lakesync/lakesync/internal/plan"
	"github.com/lakesync/lakesync/internal/policy"
)

// syntheticPlan is a plan value built by hand, without a configuration or
// AWS: a bucket policy updated around a foreign statement, a key policy
// statement updated, a role policy created, a setting changed, a job with
// data and one planned with --skip-data, and one warning and one error.
func syntheticPlan() *plan.Plan {
	destWrite := `{"Action":["s3:PutObject"],"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111111111111:role/lakesync-copier"]},"Resource":["arn:aws:s3:::konfir-datalake-raw/prod/*"],"Sid":"LakesyncProdToLakeDestWrite"}`
	keyOld := `{"Action":["kms:GenerateDataKey"],"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111111111111:role/lakesync-copier"]},"Resource":["*"],"Sid":"LakesyncProdToLakeKeyUse"}`
	keyNew := `{"Action":["kms:Decrypt","kms:GenerateDataKey"],"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111111111111:role/lakesync-copier"]},"Resource":["*"],"Sid":"LakesyncProdToLakeKeyUse"}`
	stale := `{"Action":["s3:GetObject"],"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111111111111:role/old-copier"]},"Resource":["arn:aws:s3:::konfir-datalake-raw/*"],"Sid":"LakesyncOldJobDestWrite"}`
	roleRead := `{"Action":["s3:GetObject","s3:ListBucket"],"Effect":"Allow","Resource":["arn:aws:s3:::konfir-prod-data","arn:aws:s3:::konfir-prod-data/exports/*"],"Sid":"LakesyncProdToLakeSourceRead"}`
	return &plan.Plan{
		FormatVersion: plan.FormatVersion,
		Documents: []*plan.DocumentChange{
			{
				Address: plan.Ref{Kind: plan.KindBucket, Name: "lake"}, Kind: plan.BucketPolicy, AccountName: "lake", AccountID: "222222222222",
				Resource: "konfir-datalake-raw", Action: plan.ActionUpdate, BeforeSHA256: "ab",
				Statements: []policy.StatementChange{
					{Action: policy.Delete, Sid: "LakesyncOldJobDestWrite", Owned: true, Before: json.RawMessage(stale)},
					{Action: policy.Create, Sid: "LakesyncProdToLakeDestWrite", Owned: true, After: json.RawMessage(destWrite)},
				},
			},
			{
				Address: plan.Ref{Kind: plan.KindKey, Name: "lake"}, Kind: plan.KeyPolicy, AccountName: "lake", AccountID: "222222222222",
				Resource: "arn:aws:kms:eu-west-1:222222222222:key/1111aaaa-22bb-33cc-44dd-555555eeeeee", Action: plan.ActionUpdate,
				Statements: []policy.StatementChange{
					{Action: policy.Update, Sid: "LakesyncProdToLakeKeyUse", Owned: true, Before: json.RawMessage(keyOld), After: json.RawMessage(keyNew)},
				},
			},
			{
				Address: plan.Ref{Kind: plan.KindRole, Name: "copier"}, Kind: plan.RolePolicy, AccountName: "prod", AccountID: "111111111111",
				Resource: "lakesync-copier", PolicyName: "lakesync", Action: plan.ActionCreate,
				Statements: []policy.StatementChange{
					{Action: policy.Create, Sid: "LakesyncProdToLakeSourceRead", Owned: true, After: json.RawMessage(roleRead)},
				},
			},
			{Address: plan.Ref{Kind: plan.KindBucket, Name: "prod"}, Kind: plan.BucketPolicy, AccountName: "prod", AccountID: "111111111111", Resource: "konfir-prod-data", Action: plan.ActionNoOp},
		},
		Settings: []*plan.SettingChange{
			{Address: plan.Ref{Kind: plan.KindBucket, Name: "lake"}, AccountName: "lake", AccountID: "222222222222", Bucket: "konfir-datalake-raw",
				Setting: plan.SettingObjectOwnership, Action: plan.ActionUpdate, Before: plan.SettingValue{ObjectOwnership: "ObjectWriter"}, After: plan.SettingValue{ObjectOwnership: "BucketOwnerEnforced"},
				Reason: "objects written by the copier must belong to the lake account"},
			{Address: plan.Ref{Kind: plan.KindBucket, Name: "lake"}, AccountName: "lake", AccountID: "222222222222", Bucket: "konfir-datalake-raw",
				Setting: plan.SettingDefaultEncryption, Action: plan.ActionNoOp, Before: plan.SettingValue{Encryption: &plan.BucketEncryption{Algorithm: "aws:kms"}}, After: plan.SettingValue{Encryption: &plan.BucketEncryption{Algorithm: "aws:kms"}}},
		},
		Jobs: []*plan.JobPlan{
			{
				Name: "prod_to_lake", Mode: "sync", Transfer: "server-side", Topology: "push",
				Source: "s3://konfir-prod-data/exports/", Dest: "s3://konfir-datalake-raw/prod/",
				Notes: []string{"the copier role is in the source account"},
				Data: &plan.JobData{
					Copy: plan.Count{Objects: 3, Bytes: 2<<30 + 200<<10}, New: plan.Count{Objects: 2, Bytes: 2<<30 + 100<<10},
					Changed: plan.Count{Objects: 1, Bytes: 100 << 10}, Delete: plan.Count{Objects: 1, Bytes: 512},
					Unchanged: plan.Count{Objects: 1200, Bytes: 5 << 30},
					Keys:      map[string][]string{"new": {"a.parquet", "b|c.parquet"}, "delete": {"old/`x`.csv"}},
					Estimate: plan.Estimate{ListRequests: 4, GetRequests: 3, PutRequests: 7, UploadParts: 4, KMSRequests: 3, KMSNoBucketKey: 9,
						CostUSD: 0.0123, CostNoBucketKeyUSD: 0.0141},
				},
			},
			{Name: "prod_to_archive", Mode: "cp", Transfer: "stream", Source: "s3://konfir-prod-data/", Dest: "s3://konfir-archive/"},
		},
		Findings: []policy.Finding{
			{Check: "foreign-deny", Document: "bucket.lake", Sid: "DenyUnencrypted", Index: 0, Message: "a foreign Deny may block the copier's s3:PutObject"},
			{Check: "lockout", Document: "key.lake", Index: -1, Blocking: true, Message: "the key policy would no longer let account 222222222222 administer the key"},
		},
	}
}

func noChangePlan() *plan.Plan {
	return &plan.Plan{
		FormatVersion: plan.FormatVersion,
		Documents:     []*plan.DocumentChange{{Address: plan.Ref{Kind: plan.KindBucket, Name: "lake"}, Kind: plan.BucketPolicy, Resource: "konfir-datalake-raw", Action: plan.ActionNoOp}},
		Jobs: []*plan.JobPlan{{Name: "prod_to_lake", Mode: "sync", Transfer: "server-side", Topology: "push",
			Source: "s3://konfir-prod-data/exports/", Dest: "s3://konfir-datalake-raw/prod/",
			Data: &plan.JobData{Unchanged: plan.Count{Objects: 3, Bytes: 300}, Estimate: plan.Estimate{ListRequests: 2, CostUSD: 0.00001}}}},
	}
}

const testConfigSHA256 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// savePlan writes p as a plan file in a temporary directory.
func savePlan(t *testing.T, p *plan.Plan) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "plan.json")
	pf := &planFile{FormatVersion: plan.FormatVersion, ConfigPath: "lakesync.hcl", ConfigSHA256: testConfigSHA256, Plan: p}
	if err := writePlanFile(path, pf); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestShowMarkdownGolden(t *testing.T) {
	for name, p := range map[string]*plan.Plan{"show_changes.md": syntheticPlan(), "show_no_changes.md": noChangePlan()} {
		t.Run(name, func(t *testing.T) {
			var b strings.Builder
			_ = view.NewPlan(view.Markdown, &b, view.PlanOptions{PlanFile: "plan.json", ConfigPath: "lakesync.hcl", ConfigSHA256: testConfigSHA256}).Plan(p)
			golden.Compare(t, name, []byte(b.String()))
		})
	}
}

// TestShowMarkdown runs the command on a plan file: its output is the
// markdown view of the plan the file holds.
func TestShowMarkdown(t *testing.T) {
	p := syntheticPlan()
	path := savePlan(t, p)
	code, out, errs := runCLI(t, "", "show", "--markdown", path)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	var want strings.Builder
	_ = view.NewPlan(view.Markdown, &want, view.PlanOptions{PlanFile: path, ConfigPath: "lakesync.hcl", ConfigSHA256: testConfigSHA256}).Plan(p)
	if diff := cmp.Diff(want.String(), out); diff != "" {
		t.Errorf("show --markdown (-want +got):\n%s", diff)
	}
	// A plan that is not blocked says how to apply it.
	p.Findings = p.Findings[:1]
	code, out, _ = runCLI(t, "", "show", "--markdown", savePlan(t, p))
	if code != 0 || !strings.Contains(out, "To apply exactly this plan: `lakesync apply ") {
		t.Errorf("exit %d, no apply line:\n%s", code, out)
	}
}

func TestShowMarkdownStructure(t *testing.T) {
	var b strings.Builder
	_ = view.NewPlan(view.Markdown, &b, view.PlanOptions{PlanFile: "plan.json"}).Plan(syntheticPlan())
	md := b.String()
	// Errors come before warnings, and both before everything else.
	errAt, warnAt, sumAt := strings.Index(md, "> **Error:**"), strings.Index(md, "> **Warning:**"), strings.Index(md, "**Plan:**")
	if errAt < 0 || warnAt < 0 || sumAt < 0 || errAt > warnAt || warnAt > sumAt {
		t.Errorf("findings not first, errors before warnings: error at %d, warning at %d, summary at %d", errAt, warnAt, sumAt)
	}
	if strings.Contains(md, "To apply exactly this plan") {
		t.Error("a blocked plan offers an apply command")
	}
	// Every <details> is closed and every fence is balanced.
	if o, c := strings.Count(md, "<details>"), strings.Count(md, "</details>"); o != c || o != 4 {
		t.Errorf("%d <details>, %d </details>; want 4 each (3 documents, 1 job)", o, c)
	}
	for _, want := range []string{
		"-     \"Sid\": \"LakesyncOldJobDestWrite\"",
		"+     \"Sid\": \"LakesyncProdToLakeDestWrite\"",
		"~ statement LakesyncProdToLakeKeyUse",
		"      \"Action\": [\n+       \"kms:Decrypt\",\n        \"kms:GenerateDataKey\"\n      ],",
		"| `prod_to_archive` | `s3://konfir-prod-data/` → `s3://konfir-archive/` | cp | stream | — | not observed",
		"1 more policy document is unchanged.",
		"b|c.parquet",
		"```\nold/`x`.csv\n```",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "default encryption") {
		t.Error("a no-op setting is shown")
	}
}

func TestShowJSONMatchesPlan(t *testing.T) {
	p := syntheticPlan()
	code, out, errs := runCLI(t, "", "show", savePlan(t, p), "--json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	var got plan.Plan
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("show --json is not a plan: %v\n%s", err, out)
	}
	// Compare encodings: the raw statements come back re-indented.
	want, _ := json.Marshal(p)
	again, _ := json.Marshal(&got)
	if diff := cmp.Diff(string(want), string(again)); diff != "" {
		t.Errorf("show --json differs from the saved plan (-want +got):\n%s", diff)
	}
}

func TestShowHuman(t *testing.T) {
	code, out, _ := runCLI(t, "", "show", savePlan(t, syntheticPlan()))
	if code != 0 || !strings.Contains(out, "~ bucket.lake: bucket policy of konfir-datalake-raw (account lake 222222222222) will be updated in place") {
		t.Fatalf("show: exit %d\n%s", code, out)
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("colour on a stream that is not a terminal")
	}
}

func TestShowErrors(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"format_version":"1.0"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"show"}, "accepts 1 arg"},
		{[]string{"show", filepath.Join(t.TempDir(), "nope.json")}, "read plan file"},
		{[]string{"show", bad}, "is not a lakesync plan file (made by lakesync plan --out): it holds no plan"},
		{[]string{"show", bad, "--json", "--markdown"}, "none of the others can be"},
	} {
		code, _, errs := runCLI(t, "", tc.args...)
		if code != exitError || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", tc.args, code, errs, tc.want)
		}
	}
}

func TestShowFlags(t *testing.T) {
	var got *showOptions
	cmd := newShowCmd(&globalOptions{}, func(_ context.Context, o *showOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"p.json", "--markdown"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.PlanFile != "p.json" || !got.Markdown || got.JSON {
		t.Errorf("options: %+v", got)
	}
}

// show --graph ends the plan view with the access picture as text, and
// the plan view alone does not have it.
func TestShowGraph(t *testing.T) {
	path := savePlan(t, syntheticPlan())
	code, out, errs := runCLI(t, "", "show", path, "--graph")
	want := "\nAccess:\n  account lake (222222222222): bucket konfir-datalake-raw, key "
	if code != 0 || !strings.Contains(out, want) || !strings.Contains(out, "  - OldJob: role old-copier writes bucket konfir-datalake-raw (bucket policy of lake removed)\n") {
		t.Fatalf("show --graph: exit %d\n%s%s", code, out, errs)
	}
	if _, plain, _ := runCLI(t, "", "show", path); strings.Contains(plain, "Access:") {
		t.Error("show without --graph prints the access picture")
	}
	for _, other := range []string{"--json", "--markdown"} {
		if code, _, errs := runCLI(t, "", "show", path, "--graph", other); code != exitError || !strings.Contains(errs, "none of the others can be") {
			t.Errorf("show --graph %s: exit %d, stderr %q", other, code, errs)
		}
	}
}

func TestPlanGraphFlag(t *testing.T) {
	var got *planOptions
	cmd := newPlanCmd(&globalOptions{}, func(_ context.Context, o *planOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--graph"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if !got.Graph {
		t.Errorf("options: %+v", got)
	}
	cmd = newPlanCmd(&globalOptions{}, func(context.Context, *planOptions) error { return nil })
	cmd.SetArgs([]string{"--graph", "--json"})
	cmd.SetErr(io.Discard)
	if err := cmd.Execute(); err == nil || !strings.Contains(err.Error(), "none of the others can be") {
		t.Errorf("plan --graph --json: %v", err)
	}
}

// show --svg prints only the access picture, as the SVG the view draws
// from the saved plan (what lakesync ui shows on its plan page).
func TestShowSVG(t *testing.T) {
	p := syntheticPlan()
	path := savePlan(t, p)
	code, out, errs := runCLI(t, "", "show", path, "--svg")
	var want strings.Builder
	view.WriteGraphSVG(&want, view.BuildGraph(p))
	if code != 0 || out != want.String() || !strings.HasPrefix(out, "<svg") {
		t.Fatalf("show --svg: exit %d\n%s%s", code, out, errs)
	}
	for _, other := range []string{"--json", "--markdown", "--graph"} {
		if code, _, errs := runCLI(t, "", "show", path, "--svg", other); code != exitError || !strings.Contains(errs, "none of the others can be") {
			t.Errorf("show --svg %s: exit %d, stderr %q", other, code, errs)
		}
	}
}
