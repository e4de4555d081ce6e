package exec

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/awserr"
	"github.com/lakesync/lakesync/internal/plan"
)

// AbortIncompleteRuleID is the id of the lifecycle rule lakesync adds so
// that multipart uploads a killed copy left behind stop costing money;
// AbortIncompleteRuleDays is the age the plan asks for.
const (
	AbortIncompleteRuleID   = "lakesync-abort-incomplete-multipart"
	AbortIncompleteRuleDays = plan.AbortIncompleteDays
)

// PutBucketOwnershipEnforced sets the bucket's Object Ownership to
// BucketOwnerEnforced: objects written by another account belong to the
// bucket owner and ACLs are disabled.
func PutBucketOwnershipEnforced(ctx context.Context, acc *Accounts, b *config.Bucket) error {
	c, err := acc.BucketS3(ctx, b, 0)
	if err != nil {
		return err
	}
	_, err = c.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{
		Bucket: aws.String(b.BucketName),
		OwnershipControls: &s3types.OwnershipControls{Rules: []s3types.OwnershipControlsRule{
			{ObjectOwnership: s3types.ObjectOwnershipBucketOwnerEnforced},
		}},
	})
	return awserr.New("s3:PutBucketOwnershipControls", b.ARN(), b.Account, err)
}

// PutBucketEncryptionKMS sets the bucket's default encryption to SSE-KMS
// with keyARN and S3 Bucket Keys enabled (far fewer KMS calls).
func PutBucketEncryptionKMS(ctx context.Context, acc *Accounts, b *config.Bucket, keyARN string) error {
	c, err := acc.BucketS3(ctx, b, 0)
	if err != nil {
		return err
	}
	_, err = c.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{
		Bucket: aws.String(b.BucketName),
		ServerSideEncryptionConfiguration: &s3types.ServerSideEncryptionConfiguration{
			Rules: []s3types.ServerSideEncryptionRule{{
				ApplyServerSideEncryptionByDefault: &s3types.ServerSideEncryptionByDefault{
					SSEAlgorithm:   s3types.ServerSideEncryptionAwsKms,
					KMSMasterKeyID: aws.String(keyARN),
				},
				BucketKeyEnabled: aws.Bool(true),
			}},
		},
	})
	return awserr.New("s3:PutBucketEncryption", b.ARN(), b.Account, err)
}

// PutAbortIncompleteRule adds (or updates) the lifecycle rule
// AbortIncompleteRuleID aborting incomplete multipart uploads after days
// days, keeping every other rule as it is. It reads the current
// configuration right before writing it.
func PutAbortIncompleteRule(ctx context.Context, acc *Accounts, b *config.Bucket, days int32) error {
	c, err := acc.BucketS3(ctx, b, 0)
	if err != nil {
		return err
	}
	var rules []s3types.LifecycleRule
	cur, err := c.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: aws.String(b.BucketName)})
	switch {
	case awserr.HasCode(err, "NoSuchLifecycleConfiguration"):
	case err != nil:
		return awserr.New("s3:GetBucketLifecycleConfiguration", b.ARN(), b.Account, err)
	default:
		rules = cur.Rules
	}
	rule := s3types.LifecycleRule{
		ID:     aws.String(AbortIncompleteRuleID),
		Status: s3types.ExpirationStatusEnabled,
		Filter: &s3types.LifecycleRuleFilter{Prefix: aws.String("")},
		AbortIncompleteMultipartUpload: &s3types.AbortIncompleteMultipartUpload{
			DaysAfterInitiation: aws.Int32(days),
		},
	}
	replaced := false
	for i := range rules {
		if aws.ToString(rules[i].ID) == AbortIncompleteRuleID {
			rules[i] = rule
			replaced = true
		}
	}
	if !replaced {
		rules = append(rules, rule)
	}
	_, err = c.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{
		Bucket:                 aws.String(b.BucketName),
		LifecycleConfiguration: &s3types.BucketLifecycleConfiguration{Rules: rules},
	})
	return awserr.New("s3:PutBucketLifecycleConfiguration", b.ARN(), b.Account, err)
}
