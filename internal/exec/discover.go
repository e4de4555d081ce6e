package exec

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/awserr"
	"github.com/lakesync/lakesync/internal/plan"
)

// Discoverer reads what exists in two accounts for lakesync init. It only
// reads: sts:GetCallerIdentity, s3:ListBuckets and the Get calls of each
// bucket's location, default encryption, versioning and Object Lock,
// kms:ListAliases and kms:DescribeKey, iam:ListRoles.
type Discoverer struct {
	// Load is config.LoadDefaultConfig; a test adds options (a request
	// recorder) through it. Nil: the SDK's.
	Load func(ctx context.Context, opts ...func(*awsconfig.LoadOptions) error) (aws.Config, error)
}

// Discover reads the estate of the source and destination profiles. An
// error names the flag, the profile and what could not be read.
func (d *Discoverer) Discover(ctx context.Context, sourceProfile, destinationProfile string) (*plan.Estate, error) {
	src, err := d.account(ctx, "source", sourceProfile)
	if err != nil {
		return nil, err
	}
	dest, err := d.account(ctx, "destination", destinationProfile)
	if err != nil {
		return nil, err
	}
	// The roles' trust is compared with the other account.
	for _, side := range []struct {
		s     *discoverySide
		other string
	}{{src, dest.est.ID}, {dest, src.est.ID}} {
		if side.s.est.Roles, err = side.s.roles(ctx, side.other); err != nil {
			return nil, side.s.wrap(err)
		}
	}
	return &plan.Estate{Source: src.est, Destination: dest.est}, nil
}

// discoverySide is one account being discovered: its SDK config and what
// was found so far.
type discoverySide struct {
	flag string // "source" or "destination": --source-profile
	cfg  aws.Config
	acct *config.Account // for awserr: named by the flag
	est  plan.EstateAccount
}

func (s *discoverySide) wrap(err error) error {
	return fmt.Errorf("--%s-profile %q: %w", s.flag, s.est.Profile, err)
}

func (d *Discoverer) account(ctx context.Context, flag, profile string) (*discoverySide, error) {
	s := &discoverySide{flag: flag, est: plan.EstateAccount{Profile: profile}}
	load := d.Load
	if load == nil {
		load = awsconfig.LoadDefaultConfig
	}
	opts := []func(*awsconfig.LoadOptions) error{awsconfig.WithRetryer(awserr.NewRetryer)}
	if profile != "" {
		opts = append(opts, awsconfig.WithSharedConfigProfile(profile))
	}
	cfg, err := load(ctx, opts...)
	if err != nil {
		return nil, s.wrap(fmt.Errorf("load AWS configuration: %w", err))
	}
	if cfg.Region == "" {
		return nil, s.wrap(fmt.Errorf("no region: set region in profile %q (or AWS_REGION)", profile))
	}
	s.est.Region = cfg.Region
	s.est.Endpoint = aws.ToString(cfg.BaseEndpoint)
	s.acct = &config.Account{Name: flag, Profile: profile, Region: cfg.Region}
	s.cfg = awserr.WithPrincipal(cfg, awserr.Principal{Account: s.acct}, nil)
	id, err := sts.NewFromConfig(s.cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		// Not awserr.New: the account id, which it names, is what failed.
		return nil, s.wrap(fmt.Errorf("read the caller identity (sts:GetCallerIdentity) with the profile's credentials: %w", err))
	}
	s.est.ID, s.est.ARN = aws.ToString(id.Account), aws.ToString(id.Arn)
	s.acct.ID = s.est.ID
	s.cfg = awserr.WithPrincipal(cfg, awserr.Principal{Account: s.acct, ARN: s.est.ARN}, nil)
	if s.est.Buckets, err = s.buckets(ctx); err != nil {
		return nil, s.wrap(err)
	}
	if s.est.Keys, err = s.keys(ctx); err != nil {
		return nil, s.wrap(err)
	}
	return s, nil
}

// s3In is an S3 client of the side signing for region.
func (s *discoverySide) s3In(region string) *s3.Client {
	return s3.NewFromConfig(s.cfg, func(o *s3.Options) { o.Region = region })
}

func (s *discoverySide) buckets(ctx context.Context) ([]plan.EstateBucket, error) {
	c := s.s3In(s.est.Region)
	var out []plan.EstateBucket
	p := s3.NewListBucketsPaginator(c, &s3.ListBucketsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, awserr.New("s3:ListBuckets", "the buckets of account "+s.est.ID, s.acct, err)
		}
		for _, b := range page.Buckets {
			eb, err := s.bucket(ctx, c, aws.ToString(b.Name))
			if err != nil {
				return nil, err
			}
			out = append(out, eb)
		}
	}
	slices.SortFunc(out, func(a, b plan.EstateBucket) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}
