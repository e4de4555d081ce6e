package awserr

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/smithy-go"

	"github.com/lakesync/lakesync/internal/config"
)

func TestAWSErrorAccessDeniedNamesPermission(t *testing.T) {
	const lakeID = "222222222222"
	acct := &config.Account{Name: "lake", ID: lakeID}
	sdkErr := fmt.Errorf("operation error S3: GetBucketEncryption: %w", &smithy.GenericAPIError{Code: "AccessDenied", Message: "Access Denied"})
	err := New("s3:GetBucketEncryption", "arn:aws:s3:::lake-raw", acct, sdkErr)
	msg := err.Error()
	for _, want := range []string{`account "lake"`, lakeID, "s3:GetEncryptionConfiguration on arn:aws:s3:::lake-raw", "AccessDenied"} {
		if !strings.Contains(msg, want) {
			t.Errorf("%q does not mention %q", msg, want)
		}
	}
	var ae *Error
	if !errors.As(err, &ae) || ae.Code != "AccessDenied" || !IsAccessDenied(err) {
		t.Errorf("Error not found or code lost: %#v", ae)
	}
	if New("x", "y", acct, nil) != nil {
		t.Error("New(nil) is not nil")
	}
}
