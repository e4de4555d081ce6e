package exec

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/awserr"
	"github.com/lakesync/lakesync/internal/plan"
)

// BucketRegion returns the region of bucket b (GetBucketLocation with the
// credentials of b's account, cached per bucket name until ForgetBucket)
// and whether the bucket exists. The request is signed for the region the configuration
// says (b.InRegion()); where S3 refuses it as signed for the wrong region
// it names the bucket's region in x-amz-bucket-region, which is taken.
func (a *Accounts) BucketRegion(ctx context.Context, b *config.Bucket) (string, bool, error) {
	a.mu.Lock()
	region, ok := a.regions[b.BucketName]
	a.mu.Unlock()
	if ok {
		return region, true, nil
	}
	cfg, err := a.Config(ctx, b.Account)
	if err != nil {
		return "", false, err
	}
	client := a.s3FromConfig(cfg, b.Account, 0, b.InRegion())
	out, err := client.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(b.BucketName)})
	switch {
	case awserr.HasCode(err, "NoSuchBucket", "NotFound"):
		return "", false, nil
	case err != nil && regionHint(err) != "":
		region = regionHint(err)
	case err != nil:
		return "", false, awserr.New("s3:GetBucketLocation", b.ARN(), b.Account, err)
	default:
		region = normalizeLocation(out.LocationConstraint)
	}
	a.setBucketRegion(b.BucketName, region)
	return region, true, nil
}

// ForgetBucket drops what this Accounts knows of the bucket named name
// (its region), for a bucket deleted or about to be created again: a
// migration deletes a bucket and creates it under the same name in
// another account or region, in one run.
func (a *Accounts) ForgetBucket(name string) {
	a.mu.Lock()
	delete(a.regions, name)
	a.mu.Unlock()
}

// setBucketRegion records the region of a bucket this Accounts created.
func (a *Accounts) setBucketRegion(name, region string) {
	a.mu.Lock()
	a.regions[name] = region
	a.mu.Unlock()
}

// regionHint is the bucket region named in the x-amz-bucket-region header
// of S3's refusal of a request signed for the wrong region
// (AuthorizationHeaderMalformed, PermanentRedirect, a bare 301), or "".
func regionHint(err error) string {
	var re *smithyhttp.ResponseError
	if !errors.As(err, &re) || re.Response == nil || re.Response.Response == nil {
		return ""
	}
	if re.Response.StatusCode != http.StatusMovedPermanently && !awserr.HasCode(err, "AuthorizationHeaderMalformed", "PermanentRedirect") {
		return ""
	}
	return re.Response.Header.Get("x-amz-bucket-region")
}

// ownsBucket reports whether b's account owns the bucket: ListBuckets
// lists the buckets the caller's account owns, here those whose name
// starts with b's.
func ownsBucket(ctx context.Context, c *s3.Client, b *config.Bucket) (bool, error) {
	p := s3.NewListBucketsPaginator(c, &s3.ListBucketsInput{Prefix: aws.String(b.BucketName)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			return false, awserr.New("s3:ListAllMyBuckets", "*", b.Account, err)
		}
		for _, bk := range out.Buckets {
			if aws.ToString(bk.Name) == b.BucketName {
				return true, nil
			}
		}
	}
	return false, nil
}

// normalizeLocation turns a LocationConstraint into a region: empty means
// us-east-1 and "EU" is the legacy name of eu-west-1.
func normalizeLocation(c s3types.BucketLocationConstraint) string {
	switch c {
	case "":
		return "us-east-1"
	case s3types.BucketLocationConstraintEu:
		return "eu-west-1"
	}
	return string(c)
}

func observeBucket(ctx context.Context, acc *Accounts, b *config.Bucket) (*plan.ObservedBucket, error) {
	region, exists, err := acc.BucketRegion(ctx, b)
	if err != nil && b.Create && awserr.HasCode(err, "AccessDenied", "AllAccessDisabled") {
		// The name exists but not in b's account: another account holds it.
		return &plan.ObservedBucket{HeldByOther: true}, nil
	}
	if err != nil {
		return nil, err
	}
	if !exists {
		return &plan.ObservedBucket{Exists: false}, nil
	}
	ob := &plan.ObservedBucket{Exists: true, Region: region}
	c, err := acc.BucketS3(ctx, b, 0)
	if err != nil {
		return nil, err
	}
	name := aws.String(b.BucketName)
	if b.Create {
		// Adopted only if the account owns it: bucket names are global.
		owned, err := ownsBucket(ctx, c, b)
		if err != nil {
			return nil, err
		}
		if !owned {
			return &plan.ObservedBucket{HeldByOther: true}, nil
		}
	}

	pol, err := c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: name})
	switch {
	case awserr.HasCode(err, "NoSuchBucketPolicy"):
	case err != nil:
		return nil, awserr.New("s3:GetBucketPolicy", b.ARN(), b.Account, err)
	default:
		ob.Policy = []byte(aws.ToString(pol.Policy))
	}

	own, err := c.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: name})
	switch {
	case awserr.HasCode(err, "OwnershipControlsNotFoundError"):
	case err != nil:
		return nil, awserr.New("s3:GetBucketOwnershipControls", b.ARN(), b.Account, err)
	case own.OwnershipControls != nil && len(own.OwnershipControls.Rules) > 0:
		ob.ObjectOwnership = string(own.OwnershipControls.Rules[0].ObjectOwnership)
	}

	enc, err := c.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: name})
	switch {
	case awserr.HasCode(err, "ServerSideEncryptionConfigurationNotFoundError"):
	case err != nil:
		return nil, awserr.New("s3:GetBucketEncryption", b.ARN(), b.Account, err)
	default:
		ob.Encryption = encryptionRule(enc.ServerSideEncryptionConfiguration)
	}

	lc, err := c.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: name})
	switch {
	case awserr.HasCode(err, "NoSuchLifecycleConfiguration"):
	case err != nil:
		return nil, awserr.New("s3:GetBucketLifecycleConfiguration", b.ARN(), b.Account, err)
	default:
		ob.AbortIncompleteDays = abortIncompleteDays(lc.Rules)
		if ob.Lifecycle, err = json.Marshal(lc.Rules); err != nil {
			return nil, fmt.Errorf("encode lifecycle rules of %s: %w", b.BucketName, err)
		}
	}
	if err := observeVersions(ctx, c, b, ob); err != nil {
		return nil, err
	}
	return ob, nil
}

// encryptionRule is the bucket's default encryption: its first rule, the
// one S3 applies.
func encryptionRule(c *s3types.ServerSideEncryptionConfiguration) *plan.BucketEncryption {
	if c == nil || len(c.Rules) == 0 {
		return nil
	}
	r := c.Rules[0]
	e := &plan.BucketEncryption{BucketKeyEnabled: aws.ToBool(r.BucketKeyEnabled)}
	if d := r.ApplyServerSideEncryptionByDefault; d != nil {
		e.Algorithm = string(d.SSEAlgorithm)
		e.KMSKeyID = aws.ToString(d.KMSMasterKeyID)
	}
	return e
}

// abortIncompleteDays is the smallest days-after-initiation of an enabled
// rule aborting incomplete multipart uploads for the whole bucket (no
// prefix, tag or size filter), 0 when there is none.
func abortIncompleteDays(rules []s3types.LifecycleRule) int32 {
	var days int32
	for _, r := range rules {
		if r.Status != s3types.ExpirationStatusEnabled || r.AbortIncompleteMultipartUpload == nil {
			continue
		}
		if !wholeBucket(r) {
			continue
		}
		d := aws.ToInt32(r.AbortIncompleteMultipartUpload.DaysAfterInitiation)
		if d > 0 && (days == 0 || d < days) {
			days = d
		}
	}
	return days
}

func wholeBucket(r s3types.LifecycleRule) bool {
	// The deprecated top-level Prefix still scopes rules written long ago.
	//lint:ignore SA1019 old rules still carry it
	if aws.ToString(r.Prefix) != "" {
		return false
	}
	f := r.Filter
	if f == nil {
		return true
	}
	return f.And == nil && f.Tag == nil && f.ObjectSizeGreaterThan == nil &&
		f.ObjectSizeLessThan == nil && aws.ToString(f.Prefix) == ""
}
