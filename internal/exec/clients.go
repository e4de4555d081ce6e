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
	"github.com/lakesync/lakesync/internal/exec/awserr"
)

// roleRefreshWindow is how long before expiry assumed-role credentials are
// renewed, so a request never starts with credentials about to expire.
const roleRefreshWindow = 10 * time.Minute

// RoleSession tunes the sessions of the copier role.
type RoleSession struct {
	// Duration is the length of each session asked of sts:AssumeRole
	// (0: the SDK's 15 minutes).
	Duration time.Duration
	// RefreshWindow is how long before a session expires the next one is
	// assumed (0: roleRefreshWindow). A window as long as the session
	// renews it before every request.
	RefreshWindow time.Duration
}

// Every client signs its requests for one region: S3 refuses a request
// signed for another region than the bucket's (AuthorizationHeaderMalformed,
// or PermanentRedirect), and KMS knows a key only in its own region. So an
// S3 client is made per principal (account credentials or role) and region,
// and a KMS client per account and region, each once for the life of the
// Accounts.

// s3ClientKey names one S3 client: whose credentials (an account's, or
// role's when role is set), the account whose S3 settings apply (path
// style: the account of the buckets it addresses), the region it signs
// for, and its connections per host.
type s3ClientKey struct {
	acct     *config.Account
	role     *config.Role
	region   string
	maxConns int
}

type kmsClientKey struct {
	acct   *config.Account
	region string
}

// S3 returns an S3 client of acct in the account's region, path-style when
// the account says s3_force_path_style, allowing maxConns connections per
// host (0: the SDK default; give the job's concurrency for copies). Use it
// for requests that address no bucket of the configuration; BucketS3 for
// those that do.
func (a *Accounts) S3(ctx context.Context, acct *config.Account, maxConns int) (*s3.Client, error) {
	cfg, err := a.Config(ctx, acct)
	if err != nil {
		return nil, err
	}
	return a.s3Client(s3ClientKey{acct: acct, region: cfg.Region, maxConns: maxConns}, cfg), nil
}

// s3Client returns the client of k, made from cfg the first time.
func (a *Accounts) s3Client(k s3ClientKey, cfg aws.Config) *s3.Client {
	a.mu.Lock()
	c, ok := a.s3[k]
	a.mu.Unlock()
	if ok {
		return c
	}
	c = a.s3FromConfig(cfg, k.acct, k.maxConns, k.region)
	a.mu.Lock()
	defer a.mu.Unlock()
	if prev, ok := a.s3[k]; ok {
		return prev
	}
	a.s3[k] = c
	return c
}

func (a *Accounts) s3FromConfig(cfg aws.Config, acct *config.Account, maxConns int, region string) *s3.Client {
	httpClient := a.httpClient(maxConns)
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.HTTPClient = httpClient
		// Ranged GETs and objects copied without checksums cannot be
		// validated; the SDK would log a line for each one.
		o.DisableLogOutputChecksumValidationSkipped = true
		o.UsePathStyle = acct.S3ForcePathStyle
		if region != "" {
			o.Region = region
		}
	})
}

// BucketS3 returns an S3 client of the bucket's account signing for the
// bucket's own region (looked up once with GetBucketLocation), so requests
// are neither refused nor redirected when a bucket lives outside its
// account's default region.
func (a *Accounts) BucketS3(ctx context.Context, b *config.Bucket, maxConns int) (*s3.Client, error) {
	cfg, err := a.Config(ctx, b.Account)
	if err != nil {
		return nil, err
	}
	region, _, err := a.BucketRegion(ctx, b)
	if err != nil {
		return nil, err
	}
	return a.s3Client(s3ClientKey{acct: b.Account, region: region, maxConns: maxConns}, cfg), nil
}

// KMS returns a KMS client of key k's account in the key's region: KMS
// knows a key only in its own region, which may not be its account's.
func (a *Accounts) KMS(ctx context.Context, k *config.Key) (*kms.Client, error) {
	cfg, err := a.Config(ctx, k.Account)
	if err != nil {
		return nil, err
	}
	key := kmsClientKey{acct: k.Account, region: k.InRegion()}
	if key.region == "" {
		key.region = cfg.Region
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	c, ok := a.kms[key]
	if !ok {
		c = kms.NewFromConfig(cfg, func(o *kms.Options) { o.Region = key.region })
		a.kms[key] = c
	}
	return c, nil
}

// IAM returns an IAM client of acct.
func (a *Accounts) IAM(ctx context.Context, acct *config.Account) (*iam.Client, error) {
	cfg, err := a.Config(ctx, acct)
	if err != nil {
		return nil, err
	}
	return iam.NewFromConfig(cfg), nil
}

// STS returns an STS client of acct, in the account's region.
func (a *Accounts) STS(ctx context.Context, acct *config.Account) (*sts.Client, error) {
	cfg, err := a.Config(ctx, acct)
	if err != nil {
		return nil, err
	}
	return sts.NewFromConfig(cfg), nil
}

// RoleConfig returns an SDK config acting as role r (the copier), assumed
// with the credentials of r's account through STS in that account's region.
// The credentials renew themselves RoleSession.RefreshWindow before they expire,
// so a copy may run for days. It is checked with sts:GetCallerIdentity
// once and cached for the life of a. Its region is the role account's:
// clients of buckets elsewhere override it (RoleS3).
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
		if a.RoleSession.Duration > 0 {
			o.Duration = a.RoleSession.Duration
		}
	})
	window := a.RoleSession.RefreshWindow
	if window <= 0 {
		window = roleRefreshWindow
	}
	cfg.Credentials = aws.NewCredentialsCache(provider, func(o *aws.CredentialsCacheOptions) {
		o.ExpiryWindow = window
	})
	cfg = awserr.WithPrincipal(cfg, awserr.Principal{Role: r, Account: r.Account}, a.cfg)
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return aws.Config{}, awserr.New("sts:AssumeRole", r.ARN(), r.Account, err)
	}
	if got := aws.ToString(out.Account); got != r.Account.ID {
		return aws.Config{}, fmt.Errorf("role %q (%s): assumed credentials act as account %s, want %s", r.Name, r.ARN(), got, r.Account.ID)
	}
	return cfg, nil
}

// RoleS3 returns an S3 client acting as role r for requests to bucket b,
// signing for b's region with the path-style setting of b's account. A
// copy makes one per side: the source listing and reads in the source's
// region, the copies (which address the destination) in the
// destination's.
//
// b's region is the one S3 reported if this Accounts looked it up (a plan
// did, and refused a bucket in another region than the file says), else
// the one the configuration says: the copier makes no lookup of its own,
// which would need the bucket account's credentials to allow
// s3:GetBucketLocation where they may only assume the role.
func (a *Accounts) RoleS3(ctx context.Context, r *config.Role, b *config.Bucket, maxConns int) (*s3.Client, error) {
	cfg, err := a.RoleConfig(ctx, r)
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	region, ok := a.regions[b.BucketName]
	a.mu.Unlock()
	if !ok {
		region = b.InRegion()
	}
	return a.s3Client(s3ClientKey{acct: b.Account, role: r, region: region, maxConns: maxConns}, cfg), nil
}
