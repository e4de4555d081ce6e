package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/lakesync/lakesync/internal/plan"
	"github.com/lakesync/lakesync/internal/testenv/moto"
)

// TestCheckForeignDenies: after apply, two Deny statements of others are
// added to the destination bucket policy. lakesync check judges each call
// (UploadPartCopy carries no encryption header, CopyObject does), says one
// warning per statement with what to make sure of, and exits 1.
func TestCheckForeignDenies(t *testing.T) {
	d, cfg := demoWorld(t, 1)
	if code, out, errs := runCLI(t, "", "apply", "-c", cfg, "--auto-approve"); code != 0 {
		t.Fatalf("apply: exit %d\n%s%s", code, out, errs)
	}
	pol := bucketPolicy(t, d.Lake.S3(), moto.DemoDest)
	denies := `{"Sid":"OrgOnly","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::konfir-datalake-raw","arn:aws:s3:::konfir-datalake-raw/*"],"Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}},` +
		`{"Sid":"RequireKMS","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::konfir-datalake-raw/*","Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption":"aws:kms"}}},`
	withDenies := strings.Replace(pol, `"Statement":[`, `"Statement":[`+denies, 1)
	if withDenies == pol {
		t.Fatalf("test setup: no statement list in %s", pol)
	}
	if err := d.Lake.PutBucketPolicy(t.Context(), moto.DemoDest, withDenies); err != nil {
		t.Fatal(err)
	}

	code, out, errs := runCLI(t, "", "check", "-c", cfg)
	if code != 1 || !strings.Contains(errs, "Deny statements lakesync does not own") {
		t.Fatalf("check: exit %d, want 1 naming the foreign Deny statements\n%s%s", code, out, errs)
	}
	for _, want := range []string{
		// CopyObject carries aws:kms: only OrgOnly may deny it.
		"  uncertain s3:PutObject on arn:aws:s3:::konfir-datalake-raw/prod/* (CopyObject)\n            may be denied by: destination bucket policy statement \"OrgOnly\" (depends on aws:PrincipalOrgID)\n  uncertain s3:PutObject",
		"  denied    s3:PutObject on arn:aws:s3:::konfir-datalake-raw/prod/* (UploadPartCopy, multipart copies only)\n            may be denied by: destination bucket policy statement \"OrgOnly\" (depends on aws:PrincipalOrgID)\n            denied by: destination bucket policy statement \"RequireKMS\"\n",
		"\n  - the copier role's account 111111111111 must belong to organization o-a1b2c3d4e5, or the statement denies every request\n",
		`Warning: Deny statement "RequireKMS" in the destination bucket policy of bucket konfir-datalake-raw blocks the multipart copies of sync "prod_to_lake" (objects over 5 GiB)`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "Warning: Deny statement"); n != 2 {
		t.Errorf("%d warnings about Deny statements, want one per statement (2):\n%s", n, out)
	}

	code, out, errs = runCLI(t, "", "check", "-c", cfg, "--json")
	var report []plan.JobAccess
	if err := json.Unmarshal([]byte(out), &report); err != nil || code != 1 || len(report) != 1 {
		t.Fatalf("check --json: exit %d, %v\n%s%s", code, err, out, errs)
	}
	var sids []string
	for _, f := range report[0].Findings {
		sids = append(sids, f.Sid+" "+strings.Join(f.ConditionKeys, ","))
	}
	if strings.Join(sids, "; ") != "OrgOnly aws:PrincipalOrgID; RequireKMS " {
		t.Errorf("check --json findings: %q", sids)
	}
}
