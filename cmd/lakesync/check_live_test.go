package main

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakesync/lakesync/internal/testenv/moto"
)

// TestCheckLive proves access after apply without leaving anything at the
// destination, then, with moto enforcing identity policies and the
// copier role's policy gone, names the refused permission and the
// document that lacks it.
func TestCheckLive(t *testing.T) {
	d, cfg := demoWorld(t, 1)
	if code, out, errs := runCLI(t, "", "apply", "-c", cfg, "--auto-approve"); code != 0 {
		t.Fatalf("apply: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs := runCLI(t, "", "check", "-c", cfg, "--live")
	if code != 0 || !strings.Contains(out, "access proven") || strings.Count(out, "  ok ") != 4 {
		t.Fatalf("check --live after apply: exit %d, want 0 and four ok steps\n%s%s", code, out, errs)
	}
	ctx := t.Context()
	ups, err := d.Lake.S3().ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String(moto.DemoDest)})
	if err != nil {
		t.Fatal(err)
	}
	if len(ups.Uploads) != 0 {
		t.Errorf("check --live left %d multipart uploads behind, first %s", len(ups.Uploads), aws.ToString(ups.Uploads[0].Key))
	}

	// The accounts' own users may do anything; the copier role may do
	// nothing. moto enforces identity policies, not resource policies.
	admin := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	for _, a := range []*moto.Account{d.Prod, d.Lake} {
		if _, err := a.IAM().PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(moto.UserName), PolicyName: aws.String("admin"), PolicyDocument: aws.String(admin)}); err != nil {
			t.Fatal(err)
		}
	}
	// moto matches trust policy principals literally: name the user.
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + d.Prod.UserARN + `"},"Action":"sts:AssumeRole"}]}`
	if _, err := d.Prod.IAM().UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String(moto.DemoRole), PolicyDocument: aws.String(trust)}); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Prod.IAM().DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String(moto.DemoRole), PolicyName: aws.String("lakesync")}); err != nil {
		t.Fatal(err)
	}
	if err := motoSrv.SetAuth(ctx, true); err != nil {
		t.Fatal(err)
	}
	// t.Context is already cancelled when cleanups run.
	t.Cleanup(func() { _ = motoSrv.SetAuth(context.Background(), false) })

	// moto's signature check fails on a "/" in the query string (prefix=
	// exports%2F) where AWS does not; a prefix without one is refused
	// for the right reason.
	src, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte(strings.Replace(string(src), `source_prefix      = "exports/"`, `source_prefix      = "exports"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs = runCLI(t, "", "check", "-c", cfg, "--live")
	if code != 1 || !strings.Contains(out, "refused  list the source") || !strings.Contains(out, "missing permission s3:ListBucket, likely in role.copier") {
		t.Fatalf("check --live without the role's policy: exit %d, want 1 naming s3:ListBucket and role.copier\n%s%s", code, out, errs)
	}
	t.Log(out)
}
