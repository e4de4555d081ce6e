package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/view"
	"github.com/lakesync/lakesync/internal/testenv/moto"
)

// runCLITTY runs the command line as on a terminal, stdin included.
func runCLITTY(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	return runCLIOn(t, &streams{In: strings.NewReader(stdin), InTTY: true}, args...)
}

// noBucketPolicy fails the test when bucket has a policy.
func noBucketPolicy(t *testing.T, c *s3.Client, bucket string) {
	t.Helper()
	out, err := c.GetBucketPolicy(t.Context(), &s3.GetBucketPolicyInput{Bucket: aws.String(bucket)})
	var ae smithy.APIError
	if err == nil || !errors.As(err, &ae) || ae.ErrorCode() != "NoSuchBucketPolicy" {
		t.Errorf("bucket %s has a policy (%v): %s", bucket, err, aws.ToString(out.Policy))
	}
}

// destinationCount is the number of objects in the demo's destination.
func destinationCount(t *testing.T, d *moto.Demo) int {
	t.Helper()
	out, err := d.Lake.S3().ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: aws.String(moto.DemoDest)})
	if err != nil {
		t.Fatal(err)
	}
	return len(out.Contents)
}

// A saved plan is refused once the configuration it was made from has
// changed, before anything is written.
func TestSavedPlanRefusedAfterConfigChange(t *testing.T) {
	d, cfg := demoWorld(t, 2)
	planPath := filepath.Join(t.TempDir(), "plan.json")
	if code, out, errs := runCLI(t, "", "plan", "-c", cfg, "--out", planPath); code != 0 {
		t.Fatalf("plan --out: exit %d\n%s%s", code, out, errs)
	}
	src, err := os.ReadFile(cfg)
	must(t, err)
	changed := strings.Replace(string(src), "concurrency        = 16", "concurrency        = 4", 1)
	if changed == string(src) {
		t.Fatal("test setup: nothing changed in the config")
	}
	must(t, os.WriteFile(cfg, []byte(changed), 0o644))
	code, out, errs := runCLI(t, "", "apply", planPath)
	if code != exitError || !strings.Contains(errs, cfg+" changed since the plan "+planPath+" was made: run lakesync plan again") {
		t.Fatalf("apply of a plan made from another config: exit %d\n%s%s", code, out, errs)
	}
	noBucketPolicy(t, d.Lake.S3(), moto.DemoDest)
	if n := destinationCount(t, d); n != 0 {
		t.Errorf("%d objects copied by a refused plan", n)
	}
}

// A plan that a foreign explicit Deny blocks exits 1 naming the statement;
// apply refuses it and writes and copies nothing.
func TestBlockedPlanIsRefused(t *testing.T) {
	d, cfg := demoWorld(t, 2)
	foreign := `{"Version":"2012-10-17","Statement":[{"Sid":"FreezeWrites","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::konfir-datalake-raw/*"}]}`
	must(t, d.Lake.PutBucketPolicy(t.Context(), moto.DemoDest, foreign))
	code, out, errs := runCLI(t, "", "plan", "-c", cfg, "--detailed-exitcode")
	if code != exitError || !strings.Contains(out+errs, "FreezeWrites") {
		t.Fatalf("plan with a blocking Deny: exit %d, want 1 naming FreezeWrites\n%s%s", code, out, errs)
	}
	code, out, errs = runCLI(t, "", "apply", "-c", cfg, "--auto-approve")
	if code != exitError || !strings.Contains(errs, "the plan cannot be applied") {
		t.Fatalf("apply of a blocked plan: exit %d\n%s%s", code, out, errs)
	}
	if got := bucketPolicy(t, d.Lake.S3(), moto.DemoDest); got != foreign {
		t.Errorf("the bucket policy was written by a refused apply: %s", got)
	}
	if n := destinationCount(t, d); n != 0 {
		t.Errorf("%d objects copied by a refused apply", n)
	}
}

// The --var values a plan was made with are the ones its apply uses: the
// plan file carries them, and the apply takes no --var of its own.
func TestPlanFileCarriesVars(t *testing.T) {
	d, cfg := demoWorld(t, 2)
	src, err := os.ReadFile(cfg)
	must(t, err)
	withVar := strings.Replace(string(src), `destination_prefix = "prod/"`, `destination_prefix = var.prefix`, 1) +
		"\nvariable \"prefix\" {\n  default = \"prod/\"\n}\n"
	must(t, os.WriteFile(cfg, []byte(withVar), 0o644))
	planPath := filepath.Join(t.TempDir(), "plan.json")
	if code, out, errs := runCLI(t, "", "plan", "-c", cfg, "--var", "prefix=carried/", "--out", planPath); code != 0 {
		t.Fatalf("plan --var --out: exit %d\n%s%s", code, out, errs)
	}
	if code, out, errs := runCLI(t, "", "apply", planPath); code != 0 {
		t.Fatalf("apply of the plan: exit %d\n%s%s", code, out, errs)
	}
	out, err := d.Lake.S3().ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: aws.String(moto.DemoDest)})
	must(t, err)
	if len(out.Contents) != 2 {
		t.Fatalf("%d objects at the destination, want 2", len(out.Contents))
	}
	for _, o := range out.Contents {
		if k := aws.ToString(o.Key); !strings.HasPrefix(k, "carried/") {
			t.Errorf("%s copied under the variable's default, not the planned carried/", k)
		}
	}
	if pol := bucketPolicy(t, d.Lake.S3(), moto.DemoDest); !strings.Contains(pol, "konfir-datalake-raw/carried/") {
		t.Errorf("the destination grant is not scoped to carried/: %s", pol)
	}
}

// On a terminal apply asks; only "yes" goes on.
func TestApplyConfirmation(t *testing.T) {
	d, cfg := demoWorld(t, 2)
	for _, answer := range []string{"no\n", "", "YES please\n"} {
		code, out, errs := runCLITTY(t, answer, "apply", "-c", cfg)
		if code != exitError || !strings.Contains(errs, "apply cancelled") || !strings.Contains(out, "Do you want to apply this plan? Only 'yes' will be accepted:") {
			t.Fatalf("apply answered %q: exit %d\n%s%s", answer, code, out, errs)
		}
		noBucketPolicy(t, d.Lake.S3(), moto.DemoDest)
		if n := destinationCount(t, d); n != 0 {
			t.Fatalf("%d objects copied after answering %q", n, answer)
		}
	}
	code, out, errs := runCLITTY(t, "yes\n", "apply", "-c", cfg)
	if code != 0 {
		t.Fatalf("apply answered yes: exit %d\n%s%s", code, out, errs)
	}
	if n := destinationCount(t, d); n != 2 {
		t.Errorf("%d objects copied after yes, want 2", n)
	}
}

// check before apply reports each request the copier would be refused and
// the document that lacks the grant, and exits 1.
func TestCheckReportsDenied(t *testing.T) {
	_, cfg := demoWorld(t, 0)
	code, out, errs := runCLI(t, "", "check", "-c", cfg)
	if code != exitError {
		t.Fatalf("check before apply: exit %d, want 1\n%s%s", code, out, errs)
	}
	for _, want := range []string{"denied    s3:PutObject on arn:aws:s3:::konfir-datalake-raw/prod/*",
		"missing: destination bucket policy has no Allow for s3:PutObject on arn:aws:s3:::konfir-datalake-raw/prod/* for arn:aws:iam::111111111111:role/lakesync-copier",
		"denied    kms:GenerateDataKey", "=> NOT every request is allowed"} {
		if !strings.Contains(out+errs, want) {
			t.Errorf("check output lacks %q:\n%s%s", want, out, errs)
		}
	}
}

// streamWorld is the world of examples/stream on moto: a vendor account
// (333333333333, profile vendor-readonly, us-east-1) and the lake
// (222222222222, profile datalake) with its CMK; no role, no trust. It
// returns the lake account and the path of the example, pointed at moto.
func streamWorld(t *testing.T, objects int) (*moto.Account, *moto.Account, string) {
	t.Helper()
	s := moto.Require(t, motoSrv)
	ctx := t.Context()
	must(t, s.Reset(ctx))
	vendor, err := s.NewAccount(ctx, "333333333333")
	must(t, err)
	lake, err := s.NewAccount(ctx, moto.DemoLakeID)
	must(t, err)
	vendor.Profile, vendor.Region, lake.Profile = "vendor-readonly", "us-east-1", "datalake"
	must(t, vendor.CreateBucket(ctx, "vendor-deliveries"))
	must(t, lake.CreateBucket(ctx, moto.DemoDest))
	_, err = lake.CreateKey(ctx, moto.DemoKeyAlias)
	must(t, err)
	for i := range objects {
		must(t, vendor.PutObject(ctx, "vendor-deliveries", fmt.Sprintf("konfir/%d.csv", i), body(i)))
	}
	dir := t.TempDir()
	env, err := s.WriteSharedConfig(dir, vendor, lake)
	must(t, err)
	env.Setenv(t)
	src, err := os.ReadFile("../../examples/stream/lakesync.hcl")
	must(t, err)
	// Loopback needs path-style addressing (a shared-config profile cannot
	// say it); the state goes to the test's directory.
	cfg := strings.ReplaceAll(string(src), "  profile = \"", "  s3_force_path_style = true\n  profile = \"") +
		"\nstate {\n  path = \"" + filepath.Join(dir, "state") + "\"\n}\n"
	path := filepath.Join(dir, "lakesync.hcl")
	must(t, os.WriteFile(path, []byte(cfg), 0o644))
	return vendor, lake, path
}

func body(i int) []byte { return fmt.Appendf(nil, "row %d of the vendor feed\n", i) }

// examples/stream through the CLI: a stream job with no role copies with
// each account's own credentials, encrypted with the lake's CMK; a second
// apply copies nothing.
func TestStreamExampleEndToEnd(t *testing.T) {
	_, lake, cfg := streamWorld(t, 3)
	code, out, errs := runCLI(t, "", "plan", "-c", cfg)
	if code != 0 || !strings.Contains(out, "3 objects") {
		t.Fatalf("plan of examples/stream: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = runCLI(t, "", "apply", "-c", cfg, "--auto-approve", "--json")
	if code != 0 {
		t.Fatalf("apply of examples/stream: exit %d\n%s%s", code, out, errs)
	}
	for i := range 3 {
		key := fmt.Sprintf("vendor/%d.csv", i)
		got, err := lake.S3().GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String(moto.DemoDest), Key: aws.String(key)})
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		var b bytes.Buffer
		_, err = b.ReadFrom(got.Body)
		got.Body.Close()
		must(t, err)
		if !bytes.Equal(b.Bytes(), body(i)) {
			t.Errorf("%s: %q, want %q", key, b.String(), body(i))
		}
		keys, err := lake.KMS().DescribeKey(t.Context(), &kms.DescribeKeyInput{KeyId: aws.String(moto.DemoKeyAlias)})
		must(t, err)
		if string(got.ServerSideEncryption) != "aws:kms" || aws.ToString(got.SSEKMSKeyId) != aws.ToString(keys.KeyMetadata.Arn) {
			t.Errorf("%s: encryption %s %s, want the lake CMK", key, got.ServerSideEncryption, aws.ToString(got.SSEKMSKeyId))
		}
	}
	code, out, errs = runCLI(t, "", "apply", "-c", cfg, "--auto-approve", "--json")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var sum view.SummaryLine
	if code != 0 || json.Unmarshal([]byte(lines[len(lines)-1]), &sum) != nil || sum.Copied != 0 || sum.Skipped != 3 {
		t.Fatalf("second apply: exit %d, %+v\n%s", code, sum, errs)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
