package exec

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/smithy-go"

	"github.com/lakesync/lakesync/internal/config"
)

func TestAWSErrorAccessDeniedNamesPermission(t *testing.T) {
	acct := &config.Account{Name: "lake", ID: lakeID}
	sdkErr := fmt.Errorf("operation error S3: GetBucketEncryption: %w", &smithy.GenericAPIError{Code: "AccessDenied", Message: "Access Denied"})
	err := awsError("s3:GetBucketEncryption", "arn:aws:s3:::lake-raw", acct, sdkErr)
	msg := err.Error()
	for _, want := range []string{`account "lake"`, lakeID, "s3:GetEncryptionConfiguration on arn:aws:s3:::lake-raw", "AccessDenied"} {
		if !strings.Contains(msg, want) {
			t.Errorf("%q does not mention %q", msg, want)
		}
	}
	var ae *AWSError
	if !errors.As(err, &ae) || ae.Code != "AccessDenied" || !IsAccessDenied(err) {
		t.Errorf("AWSError not found or code lost: %#v", ae)
	}
	if awsError("x", "y", acct, nil) != nil {
		t.Error("awsError(nil) is not nil")
	}
}

// With moto's authentication on, a user without policies is refused; the
// error must say which permission is missing and never carry credentials.
func TestAWSErrorFromRealRefusal(t *testing.T) {
	w := newWorld(t)
	must(t, w.lake.CreateBucket(t.Context(), "lake-raw"))
	b := w.bucket(t, "lake-raw", w.lakeAcct)
	acc := NewAccounts(w.cfg)
	_, err := acc.Config(t.Context(), w.lakeAcct) // verify before auth is on
	must(t, err)
	must(t, w.srv.SetAuth(t.Context(), true))
	// t.Context is already cancelled when cleanups run.
	t.Cleanup(func() { _ = w.srv.SetAuth(context.Background(), false) })

	_, err = Observe(t.Context(), w.cfg, acc)
	if err == nil {
		t.Fatal("Observe succeeded without any permission")
	}
	msg := err.Error()
	t.Log(msg)
	if !IsAccessDenied(err) || !strings.Contains(msg, "lack permission s3:") || !strings.Contains(msg, b.ARN()) {
		t.Errorf("refusal does not name the permission and bucket: %s", msg)
	}
	if strings.Contains(msg, w.lake.SecretAccessKey) {
		t.Errorf("error leaks the secret key: %s", msg)
	}
}
