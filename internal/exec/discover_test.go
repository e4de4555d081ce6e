package exec

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go/middleware"
	"github.com/google/go-cmp/cmp"

	"github.com/lakesync/lakesync/internal/plan"
	"github.com/lakesync/lakesync/internal/testenv/moto"
)

// recordingDiscoverer is a Discoverer that records the operation of
// every request its clients send, "S3.GetBucketLocation".
func recordingDiscoverer() (*Discoverer, func() []string) {
	var mu sync.Mutex
	var ops []string
	record := middleware.InitializeMiddlewareFunc("record", func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
		mu.Lock()
		ops = append(ops, awsmiddleware.GetServiceID(ctx)+"."+awsmiddleware.GetOperationName(ctx))
		mu.Unlock()
		return next.HandleInitialize(ctx, in)
	})
	d := &Discoverer{Load: func(ctx context.Context, opts ...func(*awsconfig.LoadOptions) error) (aws.Config, error) {
		opts = append(opts, awsconfig.WithAPIOptions([]func(*middleware.Stack) error{
			func(s *middleware.Stack) error { return s.Initialize.Add(record, middleware.Before) },
		}))
		return awsconfig.LoadDefaultConfig(ctx, opts...)
	}}
	return d, func() []string { mu.Lock(); defer mu.Unlock(); return slices.Clone(ops) }
}

// TestDiscoverOnlyReads discovers the demo world with more buckets, a
// KMS-encrypted, versioned and an Object Lock bucket, and roles: it finds
// them all, with the candidate roles only, and every request it sends is a
// Get, List or Describe.
func TestDiscoverOnlyReads(t *testing.T) {
	s := moto.Require(t, motoSrv)
	ctx := t.Context()
	demo, err := s.BuildDemo(ctx, t.TempDir(), 0)
	must(t, err)
	demo.Env.Setenv(t)
	must(t, demo.Prod.CreateBucket(ctx, "konfir-prod-clicks"))
	prodKey, err := demo.Prod.CreateKey(ctx, "")
	must(t, err)
	_, err = demo.Prod.S3().PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: aws.String("konfir-prod-clicks"),
		ServerSideEncryptionConfiguration: &s3types.ServerSideEncryptionConfiguration{Rules: []s3types.ServerSideEncryptionRule{{
			ApplyServerSideEncryptionByDefault: &s3types.ServerSideEncryptionByDefault{SSEAlgorithm: s3types.ServerSideEncryptionAwsKms, KMSMasterKeyID: aws.String(prodKey)},
		}}}})
	must(t, err)
	_, err = demo.Prod.S3().PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("konfir-prod-clicks"),
		VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}})
	must(t, err)
	_, err = demo.Lake.S3().CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("konfir-lake-locked"), ObjectLockEnabledForBucket: aws.Bool(true),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(demo.Lake.Region)}})
	must(t, err)
	_, err = demo.Lake.CreateRole(ctx, "ingest", moto.TrustAccount(moto.DemoProdID))
	must(t, err)
	_, err = demo.Lake.CreateRole(ctx, "admin", moto.TrustAccount(moto.DemoLakeID))
	must(t, err)

	d, ops := recordingDiscoverer()
	e, err := d.Discover(ctx, "prod", "lake")
	if err != nil {
		t.Fatal(err)
	}
	bucketNames := func(a plan.EstateAccount) (out []string) {
		for _, b := range a.Buckets {
			out = append(out, b.Name)
		}
		return out
	}
	roleNames := func(a plan.EstateAccount) (out []string) {
		for _, r := range a.Roles {
			out = append(out, r.Name+": "+r.Reason)
		}
		return out
	}
	got := map[string]any{
		"ids":          []string{e.Source.ID, e.Destination.ID},
		"source":       bucketNames(e.Source),
		"destination":  bucketNames(e.Destination),
		"source roles": roleNames(e.Source),
		"lake roles":   roleNames(e.Destination),
		"clicks":       e.Source.Buckets[0],
		"locked":       e.Destination.Buckets[1].ObjectLock,
		"lake keys":    len(e.Destination.Keys),
		"lake alias":   e.Destination.Keys[0].Aliases,
		"prod key":     e.Source.Key(prodKey) != nil,
	}
	want := map[string]any{
		"ids":          []string{moto.DemoProdID, moto.DemoLakeID},
		"source":       []string{"konfir-prod-clicks", moto.DemoSource},
		"destination":  []string{moto.DemoDest, "konfir-lake-locked"},
		"source roles": []string{`lakesync-copier: its name has "lakesync"`},
		"lake roles":   []string{"ingest: its trust policy names account " + moto.DemoProdID},
		"clicks":       plan.EstateBucket{Name: "konfir-prod-clicks", Region: demo.Prod.Region, Encryption: "aws:kms", KeyARN: prodKey, Versioning: "Enabled"},
		"locked":       true,
		"lake keys":    1,
		"lake alias":   []string{moto.DemoKeyAlias},
		"prod key":     true,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("discovered (-want +got):\n%s", diff)
	}
	reads := regexp.MustCompile(`^[A-Za-z0-9 ]+\.(Get|List|Describe)[A-Za-z]+$`)
	all := ops()
	for _, op := range all {
		if !reads.MatchString(op) {
			t.Errorf("init sent %s, which is not a read", op)
		}
	}
	for _, op := range []string{"STS.GetCallerIdentity", "S3.ListBuckets", "S3.GetBucketLocation", "S3.GetBucketEncryption", "S3.GetBucketVersioning", "S3.GetObjectLockConfiguration", "KMS.ListAliases", "KMS.DescribeKey", "IAM.ListRoles"} {
		if !slices.Contains(all, op) {
			t.Errorf("no %s request recorded; recorded: %s", op, strings.Join(all, ", "))
		}
	}
}

// TestDiscoverNamesTheProfile: an unreadable account is named by its flag
// and profile, with what could not be read.
func TestDiscoverNamesTheProfile(t *testing.T) {
	s := moto.Require(t, motoSrv)
	demo, err := s.BuildDemo(t.Context(), t.TempDir(), 0)
	must(t, err)
	demo.Env.Setenv(t)
	_, err = (&Discoverer{}).Discover(t.Context(), "prod", "nope")
	if err == nil || !strings.HasPrefix(err.Error(), `--destination-profile "nope": load AWS configuration:`) {
		t.Errorf("err = %v, want it to name --destination-profile \"nope\"", err)
	}
}
