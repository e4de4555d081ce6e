package bucketops

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakesync/lakesync/internal/exec/awserr"
)

// deleteBatch is how many keys one DeleteObjects request deletes, S3's
// limit.
const deleteBatch = 1000

// shownFailures bounds the per-version errors Empty's error spells out.
const shownFailures = 10

// Empty deletes every version and delete marker of t's bucket
// (DeleteObjects, 1000 keys a request, Quiet), then, when deleteBucket
// and every version is gone, the bucket. progress, when not nil, is
// called after each request with the running count of deleted versions
// and markers. A version S3 refuses to delete does not stop the others:
// Empty returns them all, each named by awserr, and leaves the bucket.
func Empty(ctx context.Context, t Target, deleteBucket bool, progress func(deleted int64)) error {
	var (
		batch   []s3types.ObjectIdentifier
		deleted int64
		failed  []error
	)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		errs, err := deleteVersions(ctx, t, batch)
		if err != nil {
			return err
		}
		deleted += int64(len(batch) - len(errs))
		failed = append(failed, errs...)
		batch = batch[:0]
		if progress != nil {
			progress(deleted)
		}
		return nil
	}
	add := func(key, version *string) error {
		batch = append(batch, s3types.ObjectIdentifier{Key: key, VersionId: version})
		if len(batch) == deleteBatch {
			return flush()
		}
		return nil
	}
	err := eachPage(ctx, t, func(page *s3.ListObjectVersionsOutput) error {
		for _, v := range page.Versions {
			if err := add(v.Key, v.VersionId); err != nil {
				return err
			}
		}
		for _, m := range page.DeleteMarkers {
			if err := add(m.Key, m.VersionId); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return fmt.Errorf("emptying bucket %s: %w", t.Bucket, err)
	}
	if len(failed) > 0 {
		return failedVersions(t.Bucket, deleted, failed)
	}
	if !deleteBucket {
		return nil
	}
	if _, err := t.Client.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(t.Bucket)}); err != nil {
		return awserr.New("s3:DeleteBucket", t.Bucket, t.Account, err)
	}
	return nil
}

// deleteVersions deletes one batch; it returns the versions S3 refused,
// each as an awserr error, or the error of the request itself.
func deleteVersions(ctx context.Context, t Target, objs []s3types.ObjectIdentifier) ([]error, error) {
	out, err := t.Client.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String(t.Bucket),
		Delete: &s3types.Delete{Objects: objs, Quiet: aws.Bool(true)}})
	if err != nil {
		what := fmt.Sprintf("%s (%d versions from %s)", awserr.ObjectARN(t.Bucket, ""), len(objs), aws.ToString(objs[0].Key))
		return nil, awserr.New("s3:DeleteObjects", what, t.Account, err)
	}
	var errs []error
	for _, e := range out.Errors {
		what := awserr.ObjectARN(t.Bucket, aws.ToString(e.Key))
		if v := aws.ToString(e.VersionId); v != "" {
			what += " (version " + v + ")"
		}
		errs = append(errs, awserr.New("s3:DeleteObject", what, t.Account, awserr.DeletedKeyError(out.ResultMetadata, e)))
	}
	return errs, nil
}

// failedVersions is Empty's error when some versions were not deleted:
// how many, and the first few of them.
func failedVersions(bucket string, deleted int64, failed []error) error {
	shown := failed[:min(len(failed), shownFailures)]
	err := fmt.Errorf("bucket %s is not empty: %d versions could not be deleted (%d were); the bucket is kept",
		bucket, len(failed), deleted)
	if more := len(failed) - len(shown); more > 0 {
		shown = append(shown, fmt.Errorf("and %d more", more))
	}
	return errors.Join(append([]error{err}, shown...)...)
}
