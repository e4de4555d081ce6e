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

// observeVersions reads the bucket's versioning status and Object Lock
// configuration into ob: what source_as_of needs of a source, and what
// a destination's deletes and writes become.
func observeVersions(ctx context.Context, c *s3.Client, b *config.Bucket, ob *plan.ObservedBucket) error {
	name := aws.String(b.BucketName)
	v, err := c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: name})
	if err != nil {
		return awserr.New("s3:GetBucketVersioning", b.ARN(), b.Account, err)
	}
	ob.Versioning = string(v.Status)

	l, err := c.GetObjectLockConfiguration(ctx, &s3.GetObjectLockConfigurationInput{Bucket: name})
	switch {
	case awserr.HasCode(err, "ObjectLockConfigurationNotFoundError"):
	case err != nil:
		return awserr.New("s3:GetObjectLockConfiguration", b.ARN(), b.Account, err)
	default:
		ob.ObjectLock = objectLock(l.ObjectLockConfiguration)
	}
	return nil
}

// objectLock is a bucket's Object Lock configuration, nil when Object
// Lock is not enabled.
func objectLock(c *s3types.ObjectLockConfiguration) *plan.BucketObjectLock {
	if c == nil || c.ObjectLockEnabled != s3types.ObjectLockEnabledEnabled {
		return nil
	}
	l := &plan.BucketObjectLock{}
	if c.Rule != nil && c.Rule.DefaultRetention != nil {
		d := c.Rule.DefaultRetention
		l.Mode, l.Days, l.Years = string(d.Mode), aws.ToInt32(d.Days), aws.ToInt32(d.Years)
	}
	return l
}
