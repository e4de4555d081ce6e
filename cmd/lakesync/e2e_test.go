package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/view"
	"github.com/lakesync/lakesync/internal/plan"
	"github.com/lakesync/lakesync/internal/testenv/moto"
)

// demoWorld builds the demo world on the package's moto server and
// returns the path of a config file pointing at it.
func demoWorld(t *testing.T, objects int) (*moto.Demo, string) {
	t.Helper()
	s := moto.Require(t, motoSrv)
	dir := t.TempDir()
	d, err := s.BuildDemo(t.Context(), dir, objects)
	if err != nil {
		t.Fatal(err)
	}
	d.Env.Setenv(t)
	src, err := os.ReadFile("../../examples/demo/lakesync.hcl")
	if err != nil {
		t.Fatal(err)
	}
	cfg := strings.Replace(string(src), `default     = "http://127.0.0.1:5000"`, `default     = "`+s.URL+`"`, 1)
	cfg = strings.Replace(cfg, `".lakesync/demo.state"`, `"`+filepath.Join(dir, "state")+`"`, 1)
	path := filepath.Join(dir, "lakesync.hcl")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return d, path
}

func planJSON(t *testing.T, cfg string) *plan.Plan {
	t.Helper()
	code, out, errs := runCLI(t, "", "plan", "-c", cfg, "--json")
	if code != 0 {
		t.Fatalf("plan --json: exit %d\n%s", code, errs)
	}
	var p plan.Plan
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatalf("plan --json output: %v\n%s", err, out)
	}
	return &p
}

// changedDocuments is "ADDRESS ACTION" of every document p changes.
func changedDocuments(p *plan.Plan) []string {
	var out []string
	for _, dc := range p.Documents {
		if dc.Action != plan.ActionNoOp {
			out = append(out, dc.Address.String()+" "+dc.Action)
		}
	}
	return out
}

func bucketPolicy(t *testing.T, c *s3.Client, bucket string) string {
	t.Helper()
	out, err := c.GetBucketPolicy(context.Background(), &s3.GetBucketPolicyInput{Bucket: aws.String(bucket)})
	if err != nil {
		t.Fatalf("get bucket policy of %s: %v", bucket, err)
	}
	return aws.ToString(out.Policy)
}

func TestPlanApplyPlan(t *testing.T) {
	d, cfg := demoWorld(t, 3)
	foreign := `{"Version":"2012-10-17","Statement":[{"Sid":"AnalyticsRead","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::333333333333:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::konfir-datalake-raw/analytics/*"}]}`
	if err := d.Lake.PutBucketPolicy(t.Context(), moto.DemoDest, foreign); err != nil {
		t.Fatal(err)
	}

	code, out, errs := runCLI(t, "", "plan", "-c", cfg, "--detailed-exitcode")
	if code != exitChanges {
		t.Fatalf("first plan: exit %d, want 2\n%s%s", code, out, errs)
	}
	for _, want := range []string{
		"~ bucket.lake: bucket policy of konfir-datalake-raw (account lake 222222222222) will be updated in place",
		"+ statement LakesyncProdToLakeDestWrite",
		"+ key.lake: key policy",
		"+ role.copier: inline policy \"lakesync\" of role lakesync-copier",
		"object ownership of konfir-datalake-raw",
		"Plan:",
	} {
		if !strings.Contains(out, want) && !strings.Contains(out, strings.Replace(want, "+ key.lake", "~ key.lake", 1)) {
			t.Errorf("plan output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "AnalyticsRead") {
		t.Errorf("the plan shows a foreign statement that does not change:\n%s", out)
	}

	code, _, errs = runCLI(t, "", "apply", "-c", cfg)
	if code != 1 || !strings.Contains(errs, "--auto-approve") {
		t.Fatalf("apply without a terminal or --auto-approve: exit %d, want 1 and a hint\n%s", code, errs)
	}

	code, out, errs = runCLI(t, "", "apply", "-c", cfg, "--auto-approve")
	if code != 0 {
		t.Fatalf("apply: exit %d\n%s%s", code, out, errs)
	}
	// apply --auto-approve lists the data while copying: its plan has no
	// count to show, and says so.
	if !strings.Contains(out, "      data: listed while copying\n") || !strings.Contains(out, "bucket settings; data: listed while copying.\n") ||
		strings.Contains(out, "0 objects (0 B) to copy") {
		t.Errorf("apply --auto-approve shows a count of data it has not listed:\n%s", out)
	}
	pol := bucketPolicy(t, d.Lake.S3(), moto.DemoDest)
	if !strings.Contains(pol, `{"Sid":"AnalyticsRead","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::333333333333:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::konfir-datalake-raw/analytics/*"}`) {
		t.Errorf("the foreign statement was not kept byte for byte:\n%s", pol)
	}
	if !strings.Contains(pol, "LakesyncProdToLakeDestWrite") || !strings.Contains(pol, "arn:aws:iam::111111111111:role/lakesync-copier") {
		t.Errorf("the destination bucket policy does not grant the copier:\n%s", pol)
	}
	own, err := d.Lake.S3().GetBucketOwnershipControls(t.Context(), &s3.GetBucketOwnershipControlsInput{Bucket: aws.String(moto.DemoDest)})
	if err != nil || own.OwnershipControls.Rules[0].ObjectOwnership != types.ObjectOwnershipBucketOwnerEnforced {
		t.Errorf("object ownership after apply: %v %v", own, err)
	}

	head, err := d.Lake.S3().HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String(moto.DemoDest), Key: aws.String("prod/day=00/part-0000.parquet")})
	if err != nil {
		t.Fatalf("the copied object: %v", err)
	}
	if head.ServerSideEncryption != types.ServerSideEncryptionAwsKms || aws.ToString(head.SSEKMSKeyId) != d.KeyARN {
		t.Errorf("copied object encryption %s %s, want aws:kms %s", head.ServerSideEncryption, aws.ToString(head.SSEKMSKeyId), d.KeyARN)
	}

	code, out, errs = runCLI(t, "", "apply", "-c", cfg, "--auto-approve", "--json")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var sum view.SummaryLine
	if code != 0 || json.Unmarshal([]byte(lines[len(lines)-1]), &sum) != nil || sum.Type != "summary" || sum.Copied != 0 || sum.Skipped != 3 {
		t.Fatalf("second apply --json: exit %d, last line %q (%+v)\n%s", code, lines[len(lines)-1], sum, errs)
	}

	code, out, errs = runCLI(t, "", "plan", "-c", cfg, "--detailed-exitcode")
	if code != 0 || !strings.Contains(out, "No changes.") {
		t.Fatalf("plan after apply: exit %d, want 0 and No changes\n%s%s", code, out, errs)
	}

	code, out, errs = runCLI(t, "", "check", "-c", cfg)
	if code != 0 || !strings.Contains(out, "every request is allowed") {
		t.Errorf("check after apply: exit %d\n%s%s", code, out, errs)
	}
}

func TestDriftIsRestored(t *testing.T) {
	d, cfg := demoWorld(t, 1)
	if code, out, errs := runCLI(t, "", "apply", "-c", cfg, "--auto-approve"); code != 0 {
		t.Fatalf("apply: exit %d\n%s%s", code, out, errs)
	}
	pol := bucketPolicy(t, d.Lake.S3(), moto.DemoDest)
	drifted := strings.Replace(pol, `"s3:PutObject"`, `"s3:PutObjectAcl"`, 1)
	if drifted == pol {
		t.Fatalf("test setup: no s3:PutObject in %s", pol)
	}
	if err := d.Lake.PutBucketPolicy(t.Context(), moto.DemoDest, drifted); err != nil {
		t.Fatal(err)
	}
	changed := changedDocuments(planJSON(t, cfg))
	if strings.Join(changed, ",") != "bucket.lake update" {
		t.Fatalf("drift plan changes %v, want only bucket.lake update", changed)
	}
	if code, out, errs := runCLI(t, "", "apply", "-c", cfg, "--auto-approve"); code != 0 {
		t.Fatalf("apply: exit %d\n%s%s", code, out, errs)
	}
	if got := bucketPolicy(t, d.Lake.S3(), moto.DemoDest); got != pol {
		t.Errorf("drift not restored:\nwant %s\ngot  %s", pol, got)
	}
}

func TestJobRemovalRemovesStatements(t *testing.T) {
	d, cfg := demoWorld(t, 1)
	if code, out, errs := runCLI(t, "", "apply", "-c", cfg, "--auto-approve"); code != 0 {
		t.Fatalf("apply: exit %d\n%s%s", code, out, errs)
	}
	keyPolicy := func() string {
		kp, err := d.Lake.KMS().GetKeyPolicy(t.Context(), &kms.GetKeyPolicyInput{KeyId: aws.String(d.KeyARN), PolicyName: aws.String("default")})
		if err != nil {
			t.Fatalf("get key policy: %v", err)
		}
		return aws.ToString(kp.Policy)
	}
	if pol := keyPolicy(); !strings.Contains(pol, "Lakesync") {
		t.Fatalf("test setup: apply wrote no lakesync statement into the key policy:\n%s", pol)
	}
	src, _ := os.ReadFile(cfg)
	i := strings.Index(string(src), `sync "prod_to_lake"`)
	j := strings.Index(string(src), "state {")
	if err := os.WriteFile(cfg, append(src[:i:i], src[j:]...), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "", "apply", "-c", cfg, "--auto-approve")
	if code != 0 {
		t.Fatalf("apply without the job: exit %d\n%s%s", code, out, errs)
	}
	if _, err := d.Lake.S3().GetBucketPolicy(t.Context(), &s3.GetBucketPolicyInput{Bucket: aws.String(moto.DemoDest)}); err == nil {
		t.Errorf("the bucket policy held only lakesync statements and should be gone")
	}
	if _, err := d.Prod.IAM().GetRolePolicy(t.Context(), iamGetRolePolicy()); err == nil {
		t.Errorf("the copier's lakesync policy should be deleted")
	}
	if pol := keyPolicy(); strings.Contains(pol, "Lakesync") || strings.Contains(pol, moto.DemoRole) {
		t.Errorf("the key policy still grants the removed job:\n%s", pol)
	} else if !strings.Contains(pol, "arn:aws:iam::222222222222:root") {
		t.Errorf("the key policy lost its account statement:\n%s", pol)
	}
}

func TestInvalidBucketPolicyIsNotOverwritten(t *testing.T) {
	d, cfg := demoWorld(t, 1)
	broken := `{"Version": "2012-10-17", "Statement": [ {"Sid": "Half"`
	if err := d.Lake.PutBucketPolicy(t.Context(), moto.DemoDest, broken); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCLI(t, "", "apply", "-c", cfg, "--auto-approve")
	if code != 1 || !strings.Contains(errs, "konfir-datalake-raw") || !strings.Contains(errs, "not a valid policy document") {
		t.Fatalf("apply over an invalid bucket policy: exit %d, stderr:\n%s", code, errs)
	}
	if got := bucketPolicy(t, d.Lake.S3(), moto.DemoDest); got != broken {
		t.Errorf("the invalid policy was overwritten: %s", got)
	}
}

func TestWrongAccountCredentials(t *testing.T) {
	_, cfg := demoWorld(t, 0)
	src, _ := os.ReadFile(cfg)
	// The lake account block now uses the prod profile: its credentials
	// resolve to 111111111111, not 222222222222.
	bad := strings.Replace(string(src), `profile             = "lake"`, `profile             = "prod"`, 1)
	if err := os.WriteFile(cfg, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCLI(t, "", "plan", "-c", cfg)
	if code != 1 || !strings.Contains(errs, "222222222222") || !strings.Contains(errs, "111111111111") {
		t.Fatalf("plan with credentials of the wrong account: exit %d, stderr:\n%s", code, errs)
	}
}

func TestSavedPlanIsRefusedWhenStale(t *testing.T) {
	d, cfg := demoWorld(t, 1)
	planPath := filepath.Join(t.TempDir(), "plan.json")
	if code, out, errs := runCLI(t, "", "plan", "-c", cfg, "--out", planPath); code != 0 {
		t.Fatalf("plan --out: exit %d\n%s%s", code, out, errs)
	}
	if fi, err := os.Stat(planPath); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("plan file mode: %v %v", fi, err)
	}
	if err := d.Lake.PutBucketPolicy(t.Context(), moto.DemoDest, `{"Version":"2012-10-17","Statement":[{"Sid":"Other","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::333333333333:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::konfir-datalake-raw/*"}]}`); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCLI(t, "", "apply", planPath)
	if code != 1 || !strings.Contains(errs, "stale plan") || !strings.Contains(errs, "bucket.lake") {
		t.Fatalf("apply of a stale plan: exit %d, stderr:\n%s", code, errs)
	}
}

func iamGetRolePolicy() *iam.GetRolePolicyInput {
	return &iam.GetRolePolicyInput{RoleName: aws.String(moto.DemoRole), PolicyName: aws.String("lakesync")}
}

// TestApplyFailureMidway makes the last write of an apply fail (the copier
// role is deleted between plan and apply): the documents written before
// are whole, nothing is half-merged, and the next plan shows exactly the
// one document left.
func TestApplyFailureMidway(t *testing.T) {
	d, cfg := demoWorld(t, 0)
	planPath := filepath.Join(t.TempDir(), "plan.json")
	if code, out, errs := runCLI(t, "", "plan", "-c", cfg, "--out", planPath, "--skip-data"); code != 0 {
		t.Fatalf("plan: exit %d\n%s%s", code, out, errs)
	}
	ctx := t.Context()
	if _, err := d.Prod.IAM().DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String(moto.DemoRole)}); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCLI(t, "", "apply", planPath)
	if code != 1 || !strings.Contains(errs, "role.copier") || !strings.Contains(errs, "already written") {
		t.Fatalf("apply with the role gone: exit %d, stderr:\n%s", code, errs)
	}
	if _, err := d.Prod.CreateRole(ctx, moto.DemoRole, moto.TrustAccount(moto.DemoProdID)); err != nil {
		t.Fatal(err)
	}
	p := planJSON(t, cfg)
	left := changedDocuments(p)
	for _, s := range p.Settings {
		if s.Action != plan.ActionNoOp {
			left = append(left, s.Address.String()+" "+s.Setting)
		}
	}
	if strings.Join(left, ",") != "role.copier create" {
		t.Fatalf("after a failed apply the plan should show only the role policy, got %v", left)
	}
}

func TestVerify(t *testing.T) {
	d, cfg := demoWorld(t, 4)
	if code, out, errs := runCLI(t, "", "apply", "-c", cfg, "--auto-approve"); code != 0 {
		t.Fatalf("apply: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs := runCLI(t, "", "verify", "-c", cfg, "--full")
	if code != 0 || !strings.Contains(out, "4 objects compared") || !strings.Contains(out, "4 by content") {
		t.Fatalf("verify after apply: exit %d\n%s%s", code, out, errs)
	}
	// Same size, other bytes: only --full sees it; a deleted object is
	// missing for both.
	body := []byte("object 1 of the lakesync demo\n")
	body[0] = 'O'
	if err := d.Lake.PutObject(t.Context(), moto.DemoDest, "prod/day=01/part-0001.parquet", body); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Lake.S3().DeleteObject(t.Context(), &s3.DeleteObjectInput{Bucket: aws.String(moto.DemoDest), Key: aws.String("prod/day=02/part-0002.parquet")}); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runCLI(t, "", "verify", "-c", cfg)
	if code != 1 || !strings.Contains(out, "part-0002.parquet: missing at the destination") || strings.Contains(out, "part-0001.parquet ->") {
		t.Fatalf("verify: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, "", "verify", "-c", cfg, "--full")
	if code != 1 || !strings.Contains(out, "part-0001.parquet: content differs") {
		t.Fatalf("verify --full: exit %d\n%s", code, out)
	}
}

// TestStateRebuild loses the state after a copy, rebuilds it from the
// buckets, and proves the next sync copies only the object that could not
// be adopted.
func TestStateRebuild(t *testing.T) {
	d, cfg := demoWorld(t, 5)
	if code, out, errs := runCLI(t, "", "apply", "-c", cfg, "--auto-approve"); code != 0 {
		t.Fatalf("apply: exit %d\n%s%s", code, out, errs)
	}
	statePath := filepath.Join(filepath.Dir(cfg), "state")
	if err := os.WriteFile(statePath, []byte("not a bbolt file"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCLI(t, "", "apply", "-c", cfg, "--auto-approve")
	if code != 1 || !strings.Contains(errs, statePath) || !strings.Contains(errs, "state rebuild") {
		t.Fatalf("apply over a corrupt state: exit %d, stderr:\n%s", code, errs)
	}
	// One destination object no longer matches its source's size.
	if err := d.Lake.PutObject(t.Context(), moto.DemoDest, "prod/day=03/part-0003.parquet", []byte("short")); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "", "state", "rebuild", "-c", cfg, "--by-size")
	if code != 0 || !strings.Contains(out, "4 objects adopted") || !strings.Contains(out, "1 not adoptable") {
		t.Fatalf("state rebuild: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = runCLI(t, "", "apply", "-c", cfg, "--auto-approve", "--json")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var sum view.SummaryLine
	if code != 0 || json.Unmarshal([]byte(lines[len(lines)-1]), &sum) != nil || sum.Copied != 1 || sum.Skipped != 4 {
		t.Fatalf("apply after rebuild: exit %d, %+v\n%s", code, sum, errs)
	}
}
