package exec

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/lakesync/lakesync/internal/config"
)

// roleRefreshWindow is how long before expiry assumed-role credentials are
// renewed, so a request never starts with credentials about to expire.
const roleRefreshWindow = 10 * time.Minute

// S3 returns an S3 client of acct in the account's region, path-style when
// the account says s3_force_path_style, allowing maxConns connections per
// host (0: the SDK default; give the job's concurrency for copies).
func (a *Accounts) S3(ctx context.Context, acct *config.Account, maxConns int) (*s3.Client, error) {
	cfg, err := a.Config(ctx, acct)
	if err != nil {
		return nil, err
	}
	return a.s3FromConfig(cfg, acct, maxConns, ""), nil
}

func (a *Accounts) s3FromConfig(cfg aws.Config, acct *config.Account, maxConns int, region string) *s3.Client {
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.HTTPClient = a.httpClient(maxConns)
		// Ranged GETs and objects copied without checksums cannot be
		// validated; the SDK would log a line for each one.
		o.DisableLogOutputChecksumValidationSkipped = true
		o.UsePathStyle = acct.S3ForcePathStyle
		if region != "" {
			o.Region = region
		}
	})
}

// BucketS3 returns an S3 client of the bucket's account in the bucket's own
// region (looked up once with GetBucketLocation), so requests are not
// redirected when a bucket lives outside its account's default region.
func (a *Accounts) BucketS3(ctx context.Context, b *config.Bucket, maxConns int) (*s3.Client, error) {
	cfg, err := a.Config(ctx, b.Account)
	if err != nil {
		return nil, err
	}
	region, _, err := a.bucketRegion(ctx, cfg, b)
	if err != nil {
		return nil, err
	}
	return a.s3FromConfig(cfg, b.Account, maxConns, region), nil
}

// KMS returns a KMS client of acct.
func (a *Accounts) KMS(ctx context.Context, acct *config.Account) (*kms.Client, error) {
	cfg, err := a.Config(ctx, acct)
	if err != nil {
		return nil, err
	}
	return kms.NewFromConfig(cfg), nil
}

// IAM returns an IAM client of acct.
func (a *Accounts) IAM(ctx context.Context, acct *config.Account) (*iam.Client, error) {
	cfg, err := a.Config(ctx, acct)
	if err != nil {
		return nil, err
	}
	return iam.NewFromConfig(cfg), nil
}

// STS returns an STS client of acct.
func (a *Accounts) STS(ctx context.Context, acct *config.Account) (*sts.Client, error) {
	cfg, err := a.Config(ctx, acct)
	if err != nil {
		return nil, err
	}
	return sts.NewFromConfig(cfg), nil
}

// RoleConfig returns an SDK config acting as role r (the copier), assumed
// with the credentials of r's account. The credentials renew themselves
// roleRefreshWindow before they expire, so a copy may run for days. It is
// checked with sts:GetCallerIdentity once and cached for the life of a.
func (a *Accounts) RoleConfig(ctx context.Context, r *config.Role) (aws.Config, error) {
	e := entryFor(&a.mu, a.roles, r)
	return e.get(ctx, func() (aws.Config, error) { return a.assumeRole(ctx, r) })
}

func (a *Accounts) assumeRole(ctx context.Context, r *config.Role) (aws.Config, error) {
	base, err := a.Config(ctx, r.Account)
	if err != nil {
		return aws.Config{}, err
	}
	cfg := base.Copy()
	provider := stscreds.NewAssumeRoleProvider(sts.NewFromConfig(base), r.ARN(), func(o *stscreds.AssumeRoleOptions) {
		o.RoleSessionName = SessionName
	})
	cfg.Credentials = aws.NewCredentialsCache(provider, func(o *aws.CredentialsCacheOptions) {
		o.ExpiryWindow = roleRefreshWindow
	})
	cfg = a.withPrincipal(cfg, principal{Role: r, Account: r.Account})
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return aws.Config{}, awsError("sts:AssumeRole", r.ARN(), r.Account, err)
	}
	if got := aws.ToString(out.Account); got != r.Account.ID {
		return aws.Config{}, fmt.Errorf("role %q (%s): assumed credentials act as account %s, want %s", r.Name, r.ARN(), got, r.Account.ID)
	}
	return cfg, nil
}

// RoleS3 returns an S3 client acting as role r, with the path-style and
// connection settings of the account acct it talks to.
func (a *Accounts) RoleS3(ctx context.Context, r *config.Role, acct *config.Account, maxConns int) (*s3.Client, error) {
	cfg, err := a.RoleConfig(ctx, r)
	if err != nil {
		return nil, err
	}
	return a.s3FromConfig(cfg, acct, maxConns, ""), nil
}
