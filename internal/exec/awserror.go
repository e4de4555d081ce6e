package exec

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/smithy-go"

	"github.com/lakesync/lakesync/internal/config"
)

// AWSError is a failed AWS request, named in the user's terms: the
// operation as an IAM action ("s3:GetBucketPolicy"), the resource, and the
// account block. Use awsError to make one; errors.As finds it, and the SDK
// error stays reachable with errors.Unwrap / errors.As (smithy.APIError).
type AWSError struct {
	Op          string // the API operation, "s3:GetBucketPolicy"
	Resource    string // ARN or name of what was touched
	AccountName string // account block label
	AccountID   string
	Code        string // the AWS error code, "AccessDenied"; empty for transport errors
	Err         error
}

func (e *AWSError) Error() string {
	acct := fmt.Sprintf("%q (%s)", e.AccountName, e.AccountID)
	if e.AccountName == "" {
		acct = e.AccountID // known by id only, as in a Batch request
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s on %s in account %s failed", e.Op, e.Resource, acct)
	if e.Code != "" {
		fmt.Fprintf(&b, " (%s)", e.Code)
	}
	if isAccessDeniedCode(e.Code) {
		fmt.Fprintf(&b, ": the credentials used for account %s lack permission %s on %s", acct, Permission(e.Op), e.Resource)
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	return b.String()
}

func (e *AWSError) Unwrap() error { return e.Err }

// awsError wraps err from operation op ("s3:GetBucketPolicy") on resource
// (an ARN or name) in account acct. Context cancellation is returned as is,
// so callers can tell an interrupted run from a refusal. The SDK's error
// text names operation, status, request id and the service message, never
// credentials, so it is kept whole.
func awsError(op, resource string, acct *config.Account, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s on %s: %w", op, resource, err)
	}
	e := &AWSError{Op: op, Resource: resource, Code: errorCode(err), Err: err}
	if acct != nil {
		e.AccountName, e.AccountID = acct.Name, acct.ID
	}
	return e
}

// errorCode is the AWS error code of err, "" when it has none.
func errorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// hasCode reports whether err carries one of the AWS error codes.
func hasCode(err error, codes ...string) bool {
	c := errorCode(err)
	for _, want := range codes {
		if c == want {
			return true
		}
	}
	return false
}

// IsAccessDenied reports whether err is an AWS access refusal, whatever
// the service spells it.
func IsAccessDenied(err error) bool { return isAccessDeniedCode(errorCode(err)) }

func isAccessDeniedCode(code string) bool {
	switch code {
	case "AccessDenied", "AccessDeniedException", "AllAccessDisabled", "UnauthorizedOperation", "Forbidden":
		return true
	}
	return false
}

// permissions maps API operations to the IAM action that authorises them
// where the two names differ.
var permissions = map[string]string{
	"s3:HeadBucket":                      "s3:ListBucket",
	"s3:ListObjectsV2":                   "s3:ListBucket",
	"s3:HeadObject":                      "s3:GetObject",
	"s3:GetBucketEncryption":             "s3:GetEncryptionConfiguration",
	"s3:PutBucketEncryption":             "s3:PutEncryptionConfiguration",
	"s3:GetBucketLifecycleConfiguration": "s3:GetLifecycleConfiguration",
	"s3:PutBucketLifecycleConfiguration": "s3:PutLifecycleConfiguration",
	"s3:CreateMultipartUpload":           "s3:PutObject",
	"s3:UploadPart":                      "s3:PutObject",
	"s3:UploadPartCopy":                  "s3:PutObject",
	"s3:CompleteMultipartUpload":         "s3:PutObject",
	"s3:AbortMultipartUpload":            "s3:AbortMultipartUpload",
	"s3:CopyObject":                      "s3:GetObject (source) and s3:PutObject (destination)",
	"s3:DeleteObjects":                   "s3:DeleteObject",
	"s3:CreateJob":                       "s3:CreateJob (and iam:PassRole on the job's role)",
}

// Permission is the IAM action that authorises API operation op.
func Permission(op string) string {
	if p, ok := permissions[op]; ok {
		return p
	}
	return op
}
