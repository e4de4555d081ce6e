package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/view"
	"github.com/lakesync/lakesync/internal/testenv/moto"
)

// withArchived rewrites the demo config's job with extra attributes.
func withArchived(t *testing.T, cfg, attrs string) {
	t.Helper()
	src, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := string(src)
	if i := strings.Index(s, "  archived"); i >= 0 {
		s = s[:i] + s[strings.Index(s[i:], "\n}")+i+1:]
	}
	s = strings.Replace(s, "  concurrency        = 16\n", "  concurrency        = 16\n"+attrs, 1)
	if err := os.WriteFile(cfg, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func summaryJSON(t *testing.T, out string) map[string]any {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var m map[string]any
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &m); err != nil || m["type"] != "summary" {
		t.Fatalf("last JSON line is not the summary: %v\n%s", err, out)
	}
	return m
}

// TestArchivedEndToEnd runs plan and apply on moto over a source with
// GLACIER and DEEP_ARCHIVE objects under the three archived settings.
func TestArchivedEndToEnd(t *testing.T) {
	d, cfg := demoWorld(t, 2)
	put := func(key string, class types.StorageClass) {
		t.Helper()
		_, err := d.Prod.S3().PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String(moto.DemoSource), Key: aws.String(key),
			Body: bytes.NewReader([]byte("archived " + key)), StorageClass: class})
		if err != nil {
			t.Fatal(err)
		}
	}
	put("exports/old/a.parquet", types.StorageClassGlacier)
	put("exports/old/b.parquet", types.StorageClassGlacier)
	put("exports/old/c.parquet", types.StorageClassDeepArchive)

	// skip (the default): counted on their own line, not copied, exit 0,
	// and no change for --detailed-exitcode once the rest is copied.
	code, out, errs := runCLI(t, "", "plan", "-c", cfg)
	if code != 0 || !strings.Contains(out, `      archived 3 objects, 90 B: not copied; set archived = "restore" to restore them`+"\n") ||
		!strings.Contains(out, "copy      2 objects") {
		t.Fatalf("plan (skip): exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = runCLI(t, "", "apply", "-c", cfg, "--auto-approve")
	if code != 0 || !strings.Contains(out, `prod_to_lake: archived 3 objects, 90 B: not copied; set archived = "restore" to restore them`+"\n") {
		t.Fatalf("apply (skip): exit %d, want 0 and the archived line\n%s%s", code, out, errs)
	}
	code, out, errs = runCLI(t, "", "plan", "-c", cfg, "--detailed-exitcode")
	if code != 0 {
		t.Fatalf("plan --detailed-exitcode with only skipped archived objects left: exit %d, want 0\n%s%s", code, out, errs)
	}

	// restore: the plan shows the requests and their cost; apply requests
	// them (JSON summary), the next apply copies them.
	withArchived(t, cfg, "  archived           = \"restore\"\n  restore_tier       = \"Standard\"\n")
	code, out, errs = runCLI(t, "", "plan", "-c", cfg, "--detailed-exitcode")
	if code != exitChanges || !strings.Contains(out, "      restore   3 objects, 90 B (1 DEEP_ARCHIVE, 2 GLACIER), Standard for 3 days: $0.0002\n") {
		t.Fatalf("plan (restore): exit %d, want 2 and the restore line\n%s%s", code, out, errs)
	}
	code, out, errs = runCLI(t, "", "apply", "-c", cfg, "--auto-approve", "--json")
	if code != 0 {
		t.Fatalf("apply (restore): exit %d\n%s%s", code, out, errs)
	}
	if s := summaryJSON(t, out); s["archived"] != 3.0 || s["restores_requested"] != 3.0 || s["copied"] != 0.0 || s["failed"] != 0.0 {
		t.Errorf("apply (restore) summary %v, want 3 archived, 3 restores requested", s)
	}
	p := planJSON(t, cfg)
	if r := p.Jobs[0].Data.Restore; r == nil || r.Requested.Objects != 3 || r.Requests.Objects != 0 {
		t.Errorf("plan after the requests: restore %+v, want 3 requested by an earlier run", r)
	}
	// moto completes a restore at once.
	code, out, errs = runCLI(t, "", "apply", "-c", cfg, "--auto-approve", "--json")
	if s := summaryJSON(t, out); code != 0 || s["copied"] != 3.0 || s["archived"] != 0.0 || s["restores_requested"] != 0.0 {
		t.Fatalf("apply after the restores: exit %d, summary %v; want the 3 copied\n%s", code, s, errs)
	}

	// fail: exit 1, every archived object named.
	withArchived(t, cfg, "  archived           = \"fail\"\n")
	put("exports/late/d.parquet", types.StorageClassGlacier)
	put("exports/late/e.parquet", types.StorageClassDeepArchive)
	code, out, errs = runCLI(t, "", "apply", "-c", cfg, "--auto-approve")
	if code != 1 {
		t.Fatalf("apply (fail): exit %d, want 1\n%s%s", code, out, errs)
	}
	for _, want := range []string{
		"prod_to_lake: s3://konfir-prod-data/exports/late/d.parquet is archived (GLACIER): not copied",
		"prod_to_lake: s3://konfir-prod-data/exports/late/e.parquet is archived (DEEP_ARCHIVE): not copied",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("apply (fail) does not say %q:\n%s%s", want, out, errs)
		}
	}
	if !strings.Contains(errs, `set archived = "restore"`) {
		t.Errorf("apply (fail) error lacks the hint:\n%s", errs)
	}
}

// TestArchivedRestoreEnforced: with moto enforcing identity policies and
// the users holding only what ci-policy prints, apply sends the restore
// request as the source account (the copier role may not restore) and
// the next apply copies the restored object as the copier.
func TestArchivedRestoreEnforced(t *testing.T) {
	d, cfg := enforcedDemo(t, 1)
	_, err := d.Prod.S3().PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String(moto.DemoSource), Key: aws.String("exports/old/a.parquet"),
		Body: bytes.NewReader([]byte("archived")), StorageClass: types.StorageClassGlacier})
	must(t, err)
	withArchived(t, cfg, "  archived           = \"restore\"\n")
	code, out, errs := runCLI(t, "", "ci-policy", "-c", cfg, "--json")
	if code != 0 {
		t.Fatalf("ci-policy: exit %d\n%s", code, errs)
	}
	var got view.CIPolicies
	must(t, json.Unmarshal([]byte(out), &got))
	users := map[string]*moto.Account{}
	for _, e := range got.Policies {
		if e.Role != "apply" {
			continue
		}
		acct := map[string]*moto.Account{"prod": d.Prod, "lake": d.Lake}[e.AccountName]
		bucket := map[string]string{"prod": moto.DemoSource, "lake": moto.DemoDest}[e.AccountName]
		users[e.AccountName] = ciUser(t, acct, "ci-apply", e.AccountName, e.Policy, bucket)
	}
	env, err := motoSrv.WriteSharedConfig(t.TempDir(), users["prod"], users["lake"])
	must(t, err)
	env.Setenv(t)
	trustOnly(t, d, users["prod"].UserARN)
	enforce(t)

	code, out, errs = runCLI(t, "", "apply", "-c", cfg, "--auto-approve", "--json")
	if s := summaryJSON(t, out); code != 0 || s["restores_requested"] != 1.0 || s["failed"] != 0.0 {
		t.Fatalf("apply, auth on: exit %d, summary %v; want 1 restore requested\n%s", code, s, errs)
	}
	code, out, errs = runCLI(t, "", "apply", "-c", cfg, "--auto-approve", "--json")
	if s := summaryJSON(t, out); code != 0 || s["copied"] != 1.0 || s["archived"] != 0.0 {
		t.Fatalf("second apply, auth on: exit %d, summary %v; want the restored object copied\n%s", code, s, errs)
	}
}
