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

// CreateBucket creates bucket b in its region (CreateBucket with the
// region's LocationConstraint), then turns on all four Block Public
// Access settings and, when bc asks, versioning. The default encryption,
// ownership and abort rule are the plan's settings, written after it. A
// bucket the account already owns (BucketAlreadyOwnedByYou) is adopted;
// one another account holds (BucketAlreadyExists) is an error naming it.
func CreateBucket(ctx context.Context, acc *Accounts, b *config.Bucket, bc *plan.BucketCreation) error {
	return CreateBucketThen(ctx, acc, b, bc, nil)
}

// CreateBucketThen is CreateBucket with a check of an adopted bucket:
// when S3 answers that the account owns the name already, adopted is
// called before any setting is written, and its error is returned as is.
// A migration checks there that the bucket is not the one S3 is still
// deleting.
func CreateBucketThen(ctx context.Context, acc *Accounts, b *config.Bucket, bc *plan.BucketCreation, adopted func(context.Context) error) error {
	// The bucket does not exist yet: the client is of its configured
	// region, not of one S3 reports.
	cfg, err := acc.Config(ctx, b.Account)
	if err != nil {
		return err
	}
	c := acc.s3Client(s3ClientKey{acct: b.Account, region: b.InRegion()}, cfg)
	name := aws.String(b.BucketName)
	in := &s3.CreateBucketInput{Bucket: name, ObjectOwnership: s3types.ObjectOwnershipBucketOwnerEnforced}
	if r := b.InRegion(); r != "us-east-1" {
		in.CreateBucketConfiguration = &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(r)}
	}
	_, err = c.CreateBucket(ctx, in)
	switch {
	case awserr.HasCode(err, "BucketAlreadyOwnedByYou"):
		acc.ForgetBucket(b.BucketName) // its region is S3's to say
		if adopted != nil {
			if err := adopted(ctx); err != nil {
				return err
			}
		}
	case err != nil:
		return awserr.New("s3:CreateBucket", b.ARN(), b.Account, err)
	default:
		acc.setBucketRegion(b.BucketName, b.InRegion())
	}
	_, err = c.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: name,
		PublicAccessBlockConfiguration: &s3types.PublicAccessBlockConfiguration{
			BlockPublicAcls: aws.Bool(true), IgnorePublicAcls: aws.Bool(true),
			BlockPublicPolicy: aws.Bool(true), RestrictPublicBuckets: aws.Bool(true),
		}})
	if err != nil {
		return awserr.New("s3:PutPublicAccessBlock", b.ARN(), b.Account, err)
	}
	if !bc.Versioning {
		return nil
	}
	_, err = c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: name,
		VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}})
	return awserr.New("s3:PutBucketVersioning", b.ARN(), b.Account, err)
}

// EmptyBucket lists a bucket apply has yet to create (create = true,
// observed absent): it has no objects.
type EmptyBucket struct{}

// ListObjectsV2 lists no objects.
func (EmptyBucket) ListObjectsV2(context.Context, *s3.ListObjectsV2Input, ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	return &s3.ListObjectsV2Output{}, nil
}
