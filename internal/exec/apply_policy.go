package exec

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/awserr"
)

// PutBucketPolicy replaces the policy of bucket b with doc, or deletes the
// policy when doc is nil.
func PutBucketPolicy(ctx context.Context, acc *Accounts, b *config.Bucket, doc []byte) error {
	c, err := acc.BucketS3(ctx, b, 0)
	if err != nil {
		return err
	}
	if doc == nil {
		_, err = c.DeleteBucketPolicy(ctx, &s3.DeleteBucketPolicyInput{Bucket: aws.String(b.BucketName)})
		return awserr.New("s3:DeleteBucketPolicy", b.ARN(), b.Account, err)
	}
	_, err = c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{
		Bucket: aws.String(b.BucketName),
		Policy: aws.String(string(doc)),
	})
	return awserr.New("s3:PutBucketPolicy", b.ARN(), b.Account, err)
}

// PutKeyPolicy replaces the "default" policy of key k with doc. A key
// policy cannot be deleted, so doc must not be nil. A key named by alias
// is resolved first: PutKeyPolicy takes no alias.
func PutKeyPolicy(ctx context.Context, acc *Accounts, k *config.Key, doc []byte) error {
	if doc == nil {
		return fmt.Errorf("key %q (%s): a key policy cannot be deleted, only replaced", k.Name, k.Ref())
	}
	id, err := ResolveKeyARN(ctx, acc, k)
	if err != nil {
		return err
	}
	c, err := acc.KMS(ctx, k)
	if err != nil {
		return err
	}
	_, err = c.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{
		KeyId:      aws.String(id),
		PolicyName: aws.String(KeyPolicyName),
		Policy:     aws.String(string(doc)),
	})
	return awserr.New("kms:PutKeyPolicy", id, k.Account, err)
}

// PutRolePolicy replaces the inline policy name of role r with doc, or
// deletes it when doc is nil (deleting one that is already gone is not an
// error).
func PutRolePolicy(ctx context.Context, acc *Accounts, r *config.Role, name string, doc []byte) error {
	if name == "" {
		return errors.New("inline policy name is empty")
	}
	c, err := acc.IAM(ctx, r.Account)
	if err != nil {
		return err
	}
	res := r.ARN() + " inline policy " + name
	if doc == nil {
		_, err = c.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String(r.RoleName), PolicyName: aws.String(name)})
		if awserr.HasCode(err, "NoSuchEntity") {
			return nil
		}
		return awserr.New("iam:DeleteRolePolicy", res, r.Account, err)
	}
	_, err = c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{
		RoleName:       aws.String(r.RoleName),
		PolicyName:     aws.String(name),
		PolicyDocument: aws.String(string(doc)),
	})
	return awserr.New("iam:PutRolePolicy", res, r.Account, err)
}
