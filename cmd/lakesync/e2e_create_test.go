package main

import (
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakesync/lakesync/internal/testenv/moto"
)

// createDemoConfig rewrites the demo config so that its destination is a
// bucket that does not exist yet, with create = true and versioning.
func createDemoConfig(t *testing.T, cfg, bucket string) {
	t.Helper()
	src, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	old := "  name    = \"" + moto.DemoDest + "\"\n  key     = key.lake\n"
	edited := strings.Replace(string(src), old, "  name    = \""+bucket+"\"\n  key     = key.lake\n  create  = true\n  versioning = true\n", 1)
	if edited == string(src) {
		t.Fatalf("test setup: no %q in the demo config", old)
	}
	if err := os.WriteFile(cfg, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestApplyCreatesBucket: with create = true, the plan says the absent
// destination will be created, apply creates it with lakesync's settings
// before writing its policy, and copies into it; the next plan adopts it.
func TestApplyCreatesBucket(t *testing.T) {
	d, cfg := demoWorld(t, 3)
	const bucket = "konfir-datalake-new"
	createDemoConfig(t, cfg, bucket)

	code, out, errs := runCLI(t, "", "plan", "-c", cfg, "--skip-data")
	if code != 0 || !strings.Contains(out, "+ bucket "+bucket+" will be created in account lake (222222222222), region eu-west-1") {
		t.Fatalf("plan: exit %d, no creation line\n%s%s", code, out, errs)
	}
	if p := planJSON(t, cfg); len(p.Creations) != 1 || p.Creations[0].Bucket != bucket || !p.Creations[0].Versioning {
		t.Errorf("plan --json creations: %+v", p.Creations)
	}

	code, out, errs = runCLI(t, "", "apply", "-c", cfg, "--auto-approve")
	if code != 0 {
		t.Fatalf("apply: exit %d\n%s%s", code, out, errs)
	}
	c := d.Lake.S3()
	name := aws.String(bucket)
	if pab, err := c.GetPublicAccessBlock(t.Context(), &s3.GetPublicAccessBlockInput{Bucket: name}); err != nil ||
		!aws.ToBool(pab.PublicAccessBlockConfiguration.BlockPublicAcls) || !aws.ToBool(pab.PublicAccessBlockConfiguration.IgnorePublicAcls) ||
		!aws.ToBool(pab.PublicAccessBlockConfiguration.BlockPublicPolicy) || !aws.ToBool(pab.PublicAccessBlockConfiguration.RestrictPublicBuckets) {
		t.Errorf("public access block of the created bucket: %+v %v", pab, err)
	}
	if v, err := c.GetBucketVersioning(t.Context(), &s3.GetBucketVersioningInput{Bucket: name}); err != nil || v.Status != types.BucketVersioningStatusEnabled {
		t.Errorf("versioning of the created bucket: %+v %v", v, err)
	}
	if !strings.Contains(bucketPolicy(t, c, bucket), "LakesyncProdToLakeDestWrite") {
		t.Errorf("the created bucket's policy does not grant the copier")
	}
	head, err := c.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: name, Key: aws.String("prod/day=00/part-0000.parquet")})
	if err != nil {
		t.Fatalf("the copied object: %v", err)
	}
	if head.ServerSideEncryption != types.ServerSideEncryptionAwsKms || aws.ToString(head.SSEKMSKeyId) != d.KeyARN {
		t.Errorf("copied object encryption %s %s, want aws:kms %s", head.ServerSideEncryption, aws.ToString(head.SSEKMSKeyId), d.KeyARN)
	}

	code, out, errs = runCLI(t, "", "plan", "-c", cfg, "--detailed-exitcode")
	if code != 0 || !strings.Contains(out, "No changes.") || strings.Contains(out, "will be created") {
		t.Fatalf("plan after apply: exit %d, want 0, No changes and no creation\n%s%s", code, out, errs)
	}
}

// TestCreateBucketNameTaken: with create = true, a bucket name another
// account holds is a plan error naming it, and apply writes nothing.
func TestCreateBucketNameTaken(t *testing.T) {
	d, cfg := demoWorld(t, 1)
	const bucket = "konfir-taken"
	if err := d.Prod.CreateBucket(t.Context(), bucket); err != nil {
		t.Fatal(err)
	}
	createDemoConfig(t, cfg, bucket)
	code, out, errs := runCLI(t, "", "plan", "-c", cfg, "--skip-data")
	want := "bucket.lake: the bucket name " + bucket + " belongs to another account (BucketAlreadyExists)"
	if code != 1 || !strings.Contains(errs, want) {
		t.Fatalf("plan: exit %d, want 1 and %q\n%s%s", code, want, out, errs)
	}
}
