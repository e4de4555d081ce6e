package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakesync/lakesync/internal/policy"
	"github.com/lakesync/lakesync/internal/testenv/moto"
)

// externalWorld is the demo world with the line after marker in the
// configuration followed by policy = "external".
func externalWorld(t *testing.T, marker string) (*moto.Demo, string) {
	t.Helper()
	d, cfg := demoWorld(t, 3)
	src, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(src), marker) {
		t.Fatalf("the demo configuration has no %q", marker)
	}
	out := strings.Replace(string(src), marker, marker+"  policy  = \"external\"\n", 1)
	if err := os.WriteFile(cfg, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	return d, cfg
}

// exported is what export terraform --format json says lakesync needs in
// the document named name (lakesync_bucket_lake).
func exported(t *testing.T, cfg, name string) []policy.Statement {
	t.Helper()
	code, out, errs := runCLI(t, "", "export", "terraform", "-c", cfg, "--format", "json", "--job", "prod_to_lake")
	if code != 0 {
		t.Fatalf("export terraform: exit %d\n%s", code, errs)
	}
	var docs map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &docs); err != nil {
		t.Fatalf("export terraform --format json: %v\n%s", err, out)
	}
	doc, err := policy.Parse(docs[name])
	if err != nil {
		t.Fatalf("%s: %v\n%s", name, err, out)
	}
	return doc.Statements
}

// withStatements is the policy document raw with sts appended, the way a
// Terraform user adds them.
func withStatements(t *testing.T, raw string, sts []policy.Statement) string {
	t.Helper()
	doc := &policy.Document{Version: policy.DefaultVersion}
	if raw != "" {
		d, err := policy.Parse([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		doc = d
	}
	doc.Statements = append(doc.Statements, sts...)
	js, err := doc.JSON()
	if err != nil {
		t.Fatal(err)
	}
	return string(js)
}

// refusedApply runs apply and checks it copies nothing and exits 1
// naming each of want.
func refusedApply(t *testing.T, d *moto.Demo, cfg string, want ...string) {
	t.Helper()
	code, out, errs := runCLI(t, "", "apply", "-c", cfg, "--auto-approve")
	if code != exitError {
		t.Fatalf("apply with an external document lacking the grant: exit %d, want 1\n%s%s", code, out, errs)
	}
	for _, w := range append(want, `sync "prod_to_lake" copied nothing`, "lakesync export terraform --job prod_to_lake") {
		if !strings.Contains(errs, w) {
			t.Errorf("apply's error lacks %q:\n%s", w, errs)
		}
	}
	if !strings.Contains(out, `sync "prod_to_lake": copying nothing`) {
		t.Errorf("apply's output does not say the job copies nothing:\n%s", out)
	}
	if n := destinationCount(t, d); n != 0 {
		t.Errorf("a refused job copied %d objects", n)
	}
}

func copiedApply(t *testing.T, d *moto.Demo, cfg string) {
	t.Helper()
	code, out, errs := runCLI(t, "", "apply", "-c", cfg, "--auto-approve")
	if code != 0 {
		t.Fatalf("apply once the exported statements are in the external document: exit %d\n%s%s", code, out, errs)
	}
	if n := destinationCount(t, d); n != 3 {
		t.Errorf("apply copied %d objects, want 3", n)
	}
}

func TestExternalBucketPolicy(t *testing.T) {
	d, cfg := externalWorld(t, "  name    = \"konfir-datalake-raw\"\n")
	foreign := `{"Version":"2012-10-17","Statement":[{"Sid":"AnalyticsRead","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::333333333333:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::konfir-datalake-raw/analytics/*"}]}`
	if err := d.Lake.PutBucketPolicy(t.Context(), moto.DemoDest, foreign); err != nil {
		t.Fatal(err)
	}
	// A second job into a managed bucket goes on while the first is refused.
	const two = "konfir-datalake-two"
	if err := d.Lake.CreateBucket(t.Context(), two); err != nil {
		t.Fatal(err)
	}
	appendConfig(t, cfg, `
bucket "two" {
  account = account.lake
  name    = "`+two+`"
  key     = key.lake
}

sync "prod_to_two" {
  source             = bucket.prod
  destination        = bucket.two
  role               = role.copier
  mode               = "sync"
  source_prefix      = "exports/"
  destination_prefix = "prod/"
}
`)
	code, out, errs := runCLI(t, "", "plan", "-c", cfg)
	if code != 0 {
		t.Fatalf("plan: exit %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{
		`Warning: bucket.lake (the bucket policy of konfir-datalake-raw in account lake (222222222222), policy = "external") does not allow arn:aws:iam::111111111111:role/lakesync-copier s3:PutObject on arn:aws:s3:::konfir-datalake-raw/prod/*, which sync "prod_to_lake" needs`,
		"lakesync export terraform --job prod_to_lake",
		`Advice: settings of buckets with policy = "external"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("plan lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "bucket.lake: bucket policy") {
		t.Errorf("the plan changes the external bucket policy:\n%s", out)
	}

	refusedApply(t, d, cfg, "bucket.lake lacks", "s3:PutObject on arn:aws:s3:::konfir-datalake-raw/prod/*")
	listed, err := d.Lake.S3().ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: aws.String(two)})
	if err != nil || len(listed.Contents) != 3 {
		t.Errorf("the other job, whose documents grant it, copied %v objects (%v), want 3", len(listed.Contents), err)
	}
	if got := bucketPolicy(t, d.Lake.S3(), moto.DemoDest); got != foreign {
		t.Errorf("apply wrote the external bucket policy:\n got %s\nwant %s", got, foreign)
	}
	if _, err := d.Lake.S3().GetBucketOwnershipControls(t.Context(), &s3.GetBucketOwnershipControlsInput{Bucket: aws.String(moto.DemoDest)}); err == nil {
		t.Errorf("apply set the object ownership of the external bucket")
	}
	code, out, _ = runCLI(t, "", "check", "-c", cfg)
	if code != exitError || !strings.Contains(out, "bucket.lake (the bucket policy of konfir-datalake-raw") {
		t.Errorf("check: exit %d, want 1 naming the external bucket policy:\n%s", code, out)
	}

	pol := withStatements(t, foreign, exported(t, cfg, "lakesync_bucket_lake"))
	if err := d.Lake.PutBucketPolicy(t.Context(), moto.DemoDest, pol); err != nil {
		t.Fatal(err)
	}
	copiedApply(t, d, cfg)
	if got := bucketPolicy(t, d.Lake.S3(), moto.DemoDest); got != pol {
		t.Errorf("apply wrote the external bucket policy:\n got %s\nwant %s", got, pol)
	}
}

func TestExternalKeyPolicy(t *testing.T) {
	d, cfg := externalWorld(t, "  alias   = \"alias/datalake\"\n")
	keyPolicy := func() string {
		out, err := d.Lake.KMS().GetKeyPolicy(t.Context(), &kms.GetKeyPolicyInput{KeyId: aws.String(d.KeyARN), PolicyName: aws.String("default")})
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(out.Policy)
	}
	before := keyPolicy()
	refusedApply(t, d, cfg, "key.lake lacks", "kms:GenerateDataKey on "+d.KeyARN)
	if got := keyPolicy(); got != before {
		t.Errorf("apply wrote the external key policy:\n got %s\nwant %s", got, before)
	}
	pol := withStatements(t, before, exported(t, cfg, "lakesync_key_lake"))
	if _, err := d.Lake.KMS().PutKeyPolicy(t.Context(), &kms.PutKeyPolicyInput{KeyId: aws.String(d.KeyARN), PolicyName: aws.String("default"), Policy: aws.String(pol)}); err != nil {
		t.Fatal(err)
	}
	copiedApply(t, d, cfg)
	if got := keyPolicy(); got != pol {
		t.Errorf("apply wrote the external key policy:\n got %s\nwant %s", got, pol)
	}
}

// A role with policy = "external" gets no inline policy; its attached
// policies are evaluated.
func TestExternalRole(t *testing.T) {
	d, cfg := externalWorld(t, "  name    = \"lakesync-copier\"\n")
	inline := func() []string {
		out, err := d.Prod.IAM().ListRolePolicies(t.Context(), &iam.ListRolePoliciesInput{RoleName: aws.String(moto.DemoRole)})
		if err != nil {
			t.Fatal(err)
		}
		return out.PolicyNames
	}
	refusedApply(t, d, cfg, "role.copier lacks", "s3:PutObject on arn:aws:s3:::konfir-datalake-raw/prod/*")
	if got := inline(); len(got) > 0 {
		t.Errorf("apply wrote inline policies %v into the external role", got)
	}
	pol, err := d.Prod.IAM().CreatePolicy(t.Context(), &iam.CreatePolicyInput{PolicyName: aws.String("terraform-copier"),
		PolicyDocument: aws.String(withStatements(t, "", exported(t, cfg, "lakesync_role_copier")))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Prod.IAM().AttachRolePolicy(t.Context(), &iam.AttachRolePolicyInput{RoleName: aws.String(moto.DemoRole), PolicyArn: pol.Policy.Arn}); err != nil {
		t.Fatal(err)
	}
	copiedApply(t, d, cfg)
	if got := inline(); len(got) > 0 {
		t.Errorf("apply wrote inline policies %v into the external role", got)
	}
}

func appendConfig(t *testing.T, cfg, text string) {
	t.Helper()
	f, err := os.OpenFile(cfg, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
