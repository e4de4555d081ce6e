package awserr

import (
	"errors"

	"github.com/aws/smithy-go"
)

// Code is the AWS error code of err, "" when it has none.
func Code(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// HasCode reports whether err carries one of the AWS error codes.
func HasCode(err error, codes ...string) bool {
	c := Code(err)
	for _, want := range codes {
		if c == want {
			return true
		}
	}
	return false
}

// IsAccessDenied reports whether err is an AWS access refusal, whatever
// the service spells it.
func IsAccessDenied(err error) bool { return isAccessDeniedCode(Code(err)) }

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
	"s3:GetObjectLockConfiguration":      "s3:GetBucketObjectLockConfiguration",
	"s3:ListObjectVersions":              "s3:ListBucketVersions",
	"s3:CreateMultipartUpload":           "s3:PutObject",
	"s3:UploadPart":                      "s3:PutObject",
	"s3:UploadPartCopy":                  "s3:PutObject",
	"s3:CompleteMultipartUpload":         "s3:PutObject",
	"s3:AbortMultipartUpload":            "s3:AbortMultipartUpload",
	"s3:CopyObject":                      "s3:GetObject (source) and s3:PutObject (destination)",
	"s3:DeleteObjects":                   "s3:DeleteObject",
	"s3:CreateJob":                       "s3:CreateJob (and iam:PassRole on the job's role)",

	// the bucket configurations a migration reads (exec/bucketops)
	"s3:GetBucketNotificationConfiguration": "s3:GetBucketNotification",
	"s3:GetBucketReplication":               "s3:GetReplicationConfiguration",
	"s3:ListBucketInventoryConfigurations":  "s3:GetInventoryConfiguration",
	"s3:GetBucketCors":                      "s3:GetBucketCORS",
}

// Permission is the IAM action that authorises API operation op.
func Permission(op string) string {
	if p, ok := permissions[op]; ok {
		return p
	}
	return op
}
