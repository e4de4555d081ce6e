package view

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/golden"
	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/plan"
	"github.com/lakesync/lakesync/internal/policy"
)

// examplePlan is a first plan of examples/NAME over a world where every
// bucket, key and role exists and lakesync never ran, with data planned
// with --skip-data.
func examplePlan(t *testing.T, name string) *plan.Plan {
	t.Helper()
	l := config.NewLoader(os.ReadFile, os.LookupEnv)
	l.LookupEnv = func(string) (string, bool) { return "", false }
	cfg, diags := l.LoadFile("../../../../examples/" + name + "/lakesync.hcl")
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	obs := &plan.Observed{
		Buckets:       map[string]*plan.ObservedBucket{},
		Keys:          map[string]*plan.ObservedKey{},
		Roles:         map[string]*plan.ObservedRole{},
		DataNotListed: plan.DataSkipped,
	}
	for _, b := range cfg.Buckets {
		obs.Buckets[b.Name] = &plan.ObservedBucket{Exists: true, Region: b.Account.Region, ObjectOwnership: "BucketOwnerEnforced"}
	}
	for i, k := range cfg.Keys {
		arn := k.ARN
		if arn == "" {
			arn = fmt.Sprintf("arn:aws:kms:%s:%s:key/%08d-0000-0000-0000-000000000000", k.Account.Region, k.Account.ID, i+1)
		}
		obs.Keys[k.Name] = &plan.ObservedKey{Exists: true, ARN: arn, KeyManager: "CUSTOMER", KeyState: "Enabled",
			Policy: []byte(`{"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + k.Account.ID + `:root"},"Action":"kms:*","Resource":"*"}]}`)}
	}
	for _, r := range cfg.Roles {
		obs.Roles[r.Name] = &plan.ObservedRole{Exists: true, InlinePolicies: map[string][]byte{}}
	}
	p, err := plan.Compute(cfg, obs)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// removedJobPlan is the plan of examples/push after its job was taken out
// of the configuration: every document change deletes the job's
// statements.
func removedJobPlan(t *testing.T) *plan.Plan {
	t.Helper()
	p := examplePlan(t, "push")
	for _, d := range p.Documents {
		for i, st := range d.Statements {
			if st.Owned {
				d.Statements[i] = policy.StatementChange{Action: policy.Delete, Sid: st.Sid, Owned: true, Before: st.After}
				d.Action = plan.ActionUpdate
			}
		}
	}
	p.Jobs = nil
	return p
}

// TestGraphGolden: the access picture of push, pull, stream, multi-job and
// removed-job plans, as mermaid, as the human plan's text and as SVG.
func TestGraphGolden(t *testing.T) {
	plans := map[string]func(*testing.T) *plan.Plan{
		"push":        func(t *testing.T) *plan.Plan { return examplePlan(t, "push") },
		"pull":        func(t *testing.T) *plan.Plan { return examplePlan(t, "pull") },
		"stream":      func(t *testing.T) *plan.Plan { return examplePlan(t, "stream") },
		"multi":       func(t *testing.T) *plan.Plan { return examplePlan(t, "multi") },
		"removed_job": removedJobPlan,
	}
	for name, mk := range plans {
		t.Run(name, func(t *testing.T) {
			g := BuildGraph(mk(t))
			var md, txt, svg bytes.Buffer
			writeMermaid(&md, g)
			writeGraphText(&txt, g)
			WriteGraphSVG(&svg, g)
			golden.Compare(t, "graph_"+name+".mermaid", md.Bytes())
			golden.Compare(t, "graph_"+name+".txt", txt.Bytes())
			golden.Compare(t, "graph_"+name+".svg", svg.Bytes())
		})
	}
}

func TestGraphMarks(t *testing.T) {
	role := `"Principal":{"AWS":["arn:aws:iam::111111111111:role/lakesync-copier"]}`
	st := func(sid, action string) json.RawMessage {
		return json.RawMessage(`{"Action":["` + action + `"],"Effect":"Allow",` + role + `,"Resource":["arn:aws:s3:::lake/*"],"Sid":"` + sid + `"}`)
	}
	p := &plan.Plan{
		Documents: []*plan.DocumentChange{{
			Address: plan.Ref{Kind: plan.KindBucket, Name: "lake"}, Kind: plan.BucketPolicy, AccountName: "lake", AccountID: "222222222222",
			Resource: "lake", Action: plan.ActionUpdate,
			Statements: []policy.StatementChange{
				{Action: policy.Create, Sid: "LakesyncAJobDestList", Owned: true, After: st("LakesyncAJobDestList", "s3:ListBucket")},
				{Action: policy.NoOp, Sid: "LakesyncAJobDestWrite", Owned: true, After: st("LakesyncAJobDestWrite", "s3:PutObject")},
				{Action: policy.Create, Sid: "LakesyncBJobDestWrite", Owned: true, After: st("LakesyncBJobDestWrite", "s3:PutObject")},
				{Action: policy.NoOp, Sid: "LakesyncCJobDestWrite", Owned: true, After: st("LakesyncCJobDestWrite", "s3:PutObject")},
				{Action: policy.Delete, Sid: "LakesyncGoneDestWrite", Owned: true, Before: st("LakesyncGoneDestWrite", "s3:PutObject")},
				{Action: policy.Create, Sid: "Foreign", After: st("Foreign", "s3:GetObject")},
			},
		}},
		Jobs: []*plan.JobPlan{{Name: "a_job"}, {Name: "b-job"}, {Name: "c job"}},
		Findings: []policy.Finding{{Check: plan.CheckExternal, Job: "b-job", Document: "key.lake", Index: -1,
			Principal: "arn:aws:iam::111111111111:role/lakesync-copier", Actions: []string{"kms:GenerateDataKey"},
			Resource: "arn:aws:kms:eu-west-1:222222222222:key/k1"}},
	}
	var got []string
	for _, e := range BuildGraph(p).Edges {
		got = append(got, fmt.Sprintf("%s %s %s->%s %s", e.Job, e.Verb, e.From, e.To, e.Mark))
	}
	want := []string{
		"a_job writes role_lakesync_2d_copier->bucket_lake changed",
		"b-job writes role_lakesync_2d_copier->bucket_lake new",
		"b-job uses role_lakesync_2d_copier->key_arn_3a_aws_3a_kms_3a_eu_2d_west_2d_1_3a_222222222222_3a_key_2f_k1 missing",
		"c job writes role_lakesync_2d_copier->bucket_lake unchanged",
		"Gone writes role_lakesync_2d_copier->bucket_lake removed",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("edges (-want +got):\n%s", diff)
	}
}

func TestMermaidText(t *testing.T) {
	for in, want := range map[string]string{
		`job "a" [b]|c`:    `job #34;a#34; #91;b#93;#124;c`,
		"x<y>`#1\nz":       "x#60;y#62;#96;#35;1 z",
		"s3://b/p (plain)": "s3://b/p (plain)",
	} {
		if got := mermaidText(in); got != want {
			t.Errorf("mermaidText(%q) = %q, want %q", in, got, want)
		}
	}
	if strings.Contains(nodeID("a-b"), "-") || nodeID("a-b") == nodeID("a_b") {
		t.Errorf("nodeID: %q, %q", nodeID("a-b"), nodeID("a_b"))
	}
}

// TestGraphSVGWellFormed: the picture is well-formed XML, with one legend
// row per edge and the three jobs that write one bucket drawn as one
// arrow numbered with all three.
func TestGraphSVGWellFormed(t *testing.T) {
	g := BuildGraph(examplePlan(t, "multi"))
	var svg bytes.Buffer
	WriteGraphSVG(&svg, g)
	d := xml.NewDecoder(&svg)
	circles, paths := 0, 0
	var texts []string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			switch tok.Name.Local {
			case "circle":
				circles++
			case "path":
				if len(tok.Attr) > 0 && tok.Attr[0].Value != "M0,0 L10,5 L0,10 z" {
					paths++
				}
			}
		case xml.CharData:
			texts = append(texts, string(tok))
		}
	}
	if circles != len(g.Edges) {
		t.Errorf("%d legend numbers, want one per edge (%d)", circles, len(g.Edges))
	}
	if paths != 4 || !slices.Contains(texts, "2 5 8") || !slices.Contains(texts, "1 7") {
		t.Errorf("%d arrows (want 4: the reads of app by jobs 1 and 7, of logs by 4, the shared write and the shared key use), texts %q", paths, texts)
	}
}
