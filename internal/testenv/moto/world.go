package moto

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// CreateBucket creates a bucket in the account's region.
func (a *Account) CreateBucket(ctx context.Context, name string) error {
	in := &s3.CreateBucketInput{Bucket: aws.String(name)}
	if a.Region != "us-east-1" {
		in.CreateBucketConfiguration = &s3types.CreateBucketConfiguration{
			LocationConstraint: s3types.BucketLocationConstraint(a.Region),
		}
	}
	var n int
	if _, err := a.S3().CreateBucket(ctx, in, s3.WithAPIOptions(attempts(&n))); err != nil && !madeByRetry(err, n, "BucketAlreadyOwnedByYou") {
		return fmt.Errorf("moto: create bucket %s in account %s: %w", name, a.ID, err)
	}
	return nil
}

// PutObject writes one object.
func (a *Account) PutObject(ctx context.Context, bucket, key string, body []byte) error {
	_, err := a.S3().PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(body),
	})
	if err != nil {
		return fmt.Errorf("moto: put s3://%s/%s in account %s: %w", bucket, key, a.ID, err)
	}
	return nil
}

// PutBucketPolicy sets a bucket policy as given (moto accepts any bytes,
// even invalid JSON).
func (a *Account) PutBucketPolicy(ctx context.Context, bucket, policy string) error {
	_, err := a.S3().PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(bucket), Policy: aws.String(policy)})
	if err != nil {
		return fmt.Errorf("moto: put bucket policy of %s in account %s: %w", bucket, a.ID, err)
	}
	return nil
}

// CreateKey creates a symmetric customer-managed KMS key and, when alias is
// not empty ("alias/..."), an alias to it. It returns the key ARN.
func (a *Account) CreateKey(ctx context.Context, alias string) (string, error) {
	c := a.KMS()
	// KeyUsage and KeySpec are given explicitly: moto leaves KeyUsage
	// empty in DescribeKey when CreateKey omits it (AWS defaults it).
	out, err := c.CreateKey(ctx, &kms.CreateKeyInput{
		Description: aws.String("lakesync test key"),
		KeyUsage:    kmstypes.KeyUsageTypeEncryptDecrypt,
		KeySpec:     kmstypes.KeySpecSymmetricDefault,
	})
	if err != nil {
		return "", fmt.Errorf("moto: create KMS key in account %s: %w", a.ID, err)
	}
	arn := aws.ToString(out.KeyMetadata.Arn)
	if alias != "" {
		if !strings.HasPrefix(alias, "alias/") {
			return "", fmt.Errorf("moto: alias %q must start with alias/", alias)
		}
		var n int
		_, err := c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String(alias), TargetKeyId: out.KeyMetadata.KeyId}, kms.WithAPIOptions(attempts(&n)))
		if err != nil && !madeByRetry(err, n, "AlreadyExistsException") {
			return "", fmt.Errorf("moto: create alias %s in account %s: %w", alias, a.ID, err)
		}
	}
	return arn, nil
}

// TrustAccount is a role trust policy letting principals of account id
// assume the role.
func TrustAccount(id string) string {
	return fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},"Action":"sts:AssumeRole"}]}`, id)
}

// CreateRole creates an IAM role with the given trust policy (TrustAccount
// for the usual case) and returns its ARN.
func (a *Account) CreateRole(ctx context.Context, name, trustPolicy string) (string, error) {
	var n int
	out, err := a.IAM().CreateRole(ctx, &iam.CreateRoleInput{
		RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trustPolicy),
	}, iam.WithAPIOptions(attempts(&n)))
	switch {
	case err == nil:
		return aws.ToString(out.Role.Arn), nil
	case !madeByRetry(err, n, "EntityAlreadyExists"):
		return "", fmt.Errorf("moto: create role %s in account %s: %w", name, a.ID, err)
	}
	got, err := a.IAM().GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(name)})
	if err != nil {
		return "", fmt.Errorf("moto: create role %s in account %s: attempt %d found it created, and reading it failed: %w", name, a.ID, n, err)
	}
	return aws.ToString(got.Role.Arn), nil
}

// PutRolePolicy sets an inline policy of a role.
func (a *Account) PutRolePolicy(ctx context.Context, role, name, policy string) error {
	_, err := a.IAM().PutRolePolicy(ctx, &iam.PutRolePolicyInput{
		RoleName: aws.String(role), PolicyName: aws.String(name), PolicyDocument: aws.String(policy),
	})
	if err != nil {
		return fmt.Errorf("moto: put inline policy %s of role %s in account %s: %w", name, role, a.ID, err)
	}
	return nil
}
