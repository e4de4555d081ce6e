package moto_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/lakesync/lakesync/internal/testenv/faultproxy"
	"github.com/lakesync/lakesync/internal/testenv/moto"
)

var srv *moto.Server

func TestMain(m *testing.M) { os.Exit(moto.Main(m, &srv)) }

// world resets the server and creates the two accounts of the tests.
func world(t *testing.T) (prod, lake *moto.Account) {
	t.Helper()
	s := moto.Require(t, srv)
	ctx := t.Context()
	if err := s.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	prod, err := s.NewAccount(ctx, "111111111111")
	if err != nil {
		t.Fatal(err)
	}
	lake, err = s.NewAccount(ctx, "222222222222")
	if err != nil {
		t.Fatal(err)
	}
	prod.Profile, lake.Profile = "prod", "lake"
	return prod, lake
}

func callerAccount(t *testing.T, ctx context.Context, c *sts.Client) string {
	t.Helper()
	out, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.Account)
}

func TestUserKeysActAsTheirAccount(t *testing.T) {
	prod, lake := world(t)
	ctx := t.Context()
	if got := callerAccount(t, ctx, prod.STS()); got != prod.ID {
		t.Errorf("prod keys act as %s, want %s", got, prod.ID)
	}
	if got := callerAccount(t, ctx, lake.STS()); got != lake.ID {
		t.Errorf("lake keys act as %s, want %s", got, lake.ID)
	}
	// Buckets are per account: listing with lake's keys does not show prod's.
	if err := prod.CreateBucket(ctx, "prod-data"); err != nil {
		t.Fatal(err)
	}
	out, err := lake.S3().ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Buckets) != 0 {
		t.Errorf("lake sees %d buckets, want 0", len(out.Buckets))
	}
}

func TestSharedConfigProfiles(t *testing.T) {
	prod, lake := world(t)
	env, err := srv.WriteSharedConfig(t.TempDir(), prod, lake)
	if err != nil {
		t.Fatal(err)
	}
	env.Setenv(t)
	ctx := t.Context()
	for _, a := range []*moto.Account{prod, lake} {
		cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithSharedConfigProfile(a.Profile))
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Region != moto.DefaultRegion {
			t.Errorf("profile %s: region %q", a.Profile, cfg.Region)
		}
		if got := callerAccount(t, ctx, sts.NewFromConfig(cfg)); got != a.ID {
			t.Errorf("profile %s acts as %s, want %s", a.Profile, got, a.ID)
		}
	}
}

func TestAssumeRoleAcrossAccounts(t *testing.T) {
	prod, lake := world(t)
	ctx := t.Context()
	arn, err := lake.CreateRole(ctx, "lakesync-admin", moto.TrustAccount(prod.ID))
	if err != nil {
		t.Fatal(err)
	}
	cfg := prod.Config()
	cfg.Credentials = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(prod.STS(), arn))
	if got := callerAccount(t, ctx, sts.NewFromConfig(cfg)); got != lake.ID {
		t.Errorf("assumed role acts as %s, want %s", got, lake.ID)
	}
}

// Quirks lakesync depends on, pinned so a moto upgrade that changes them
// is noticed.
func TestQuirks(t *testing.T) {
	prod, lake := world(t)
	ctx := t.Context()

	t.Run("invalid JSON bucket policy is accepted", func(t *testing.T) {
		if err := prod.CreateBucket(ctx, "quirk-policy"); err != nil {
			t.Fatal(err)
		}
		if err := prod.PutBucketPolicy(ctx, "quirk-policy", "{not json"); err != nil {
			t.Fatalf("moto now refuses invalid JSON: %v", err)
		}
		out, err := prod.S3().GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("quirk-policy")})
		if err != nil {
			t.Fatal(err)
		}
		if got := aws.ToString(out.Policy); got != "{not json" {
			t.Errorf("policy read back as %q", got)
		}
	})

	t.Run("key of another account is NotFound", func(t *testing.T) {
		arn, err := lake.CreateKey(ctx, "alias/lake")
		if err != nil {
			t.Fatal(err)
		}
		_, err = prod.KMS().DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(arn)})
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "NotFoundException" {
			t.Errorf("DescribeKey of lake's key with prod's keys: %v, want NotFoundException", err)
		}
		out, err := lake.KMS().DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/lake")})
		if err != nil {
			t.Fatal(err)
		}
		if got := aws.ToString(out.KeyMetadata.Arn); got != arn {
			t.Errorf("alias resolves to %s, want %s", got, arn)
		}
	})

	t.Run("reset forgets the keys", func(t *testing.T) {
		if err := srv.Reset(ctx); err != nil {
			t.Fatal(err)
		}
		got := callerAccount(t, ctx, prod.STS())
		if got == prod.ID {
			t.Errorf("after Reset, prod's old keys still act as %s", got)
		}
		t.Logf("after Reset, unknown keys act as %s", got)
	})
}

func TestStopKillsServer(t *testing.T) {
	moto.Require(t, srv)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	s, err := moto.Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := s.Reset(ctx); err == nil {
		t.Errorf("server on port %d still answers after Stop", s.Port)
	}
}

// A CreateUser that moto carried out but whose answer was lost (the
// connection reset mid-answer) is retried by the SDK, and the retry finds
// the user: NewAccount takes it as the user it created. A user that is
// there at the first attempt stays an error.
func TestCreateUserAnswerLost(t *testing.T) {
	s := moto.Require(t, srv)
	ctx := t.Context()
	if err := s.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	p, err := faultproxy.New(s.URL, faultproxy.Config{Rules: []faultproxy.Rule{
		{Kind: faultproxy.Reset, Match: faultproxy.Match{Methods: []string{"POST"}}, Every: 1, Max: 1},
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	const id = "333333333333"
	arn, err := s.CreateUserAt(ctx, p.URL, id)
	if got := p.Counts().Total(); got != 1 {
		t.Fatalf("the proxy reset %d answer(s), want 1: the test proves nothing", got)
	}
	if want := "arn:aws:iam::" + id + ":user/" + moto.UserName; err != nil || arn != want {
		t.Fatalf("create after a lost answer: %q, %v; want %s", arn, err, want)
	}
	if _, err := s.CreateUserAt(ctx, s.URL, id); err == nil || !strings.Contains(err.Error(), "(1 attempt(s))") {
		t.Errorf("create of a user that exists: %v, want the EntityAlreadyExists of the first attempt", err)
	}
}

// The same for a bucket: a CreateBucket whose answer was lost is retried,
// and the retry's BucketAlreadyOwnedByYou is the bucket it created.
func TestCreateBucketAnswerLost(t *testing.T) {
	prod, _ := world(t)
	p, err := faultproxy.New(srv.URL, faultproxy.Config{Rules: []faultproxy.Rule{
		{Kind: faultproxy.Reset, Match: faultproxy.Match{Methods: []string{"PUT"}, PathPrefix: "/reborn"}, Every: 1, Max: 1},
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if err := prod.Via(p.URL).CreateBucket(t.Context(), "reborn"); err != nil {
		t.Fatalf("create after a lost answer: %v", err)
	}
	if got := p.Counts().Total(); got != 1 {
		t.Fatalf("the proxy reset %d answer(s), want 1: the test proves nothing", got)
	}
	if err := prod.CreateBucket(t.Context(), "reborn"); err == nil {
		t.Error("a bucket that exists at the first attempt was taken as created")
	}
}
