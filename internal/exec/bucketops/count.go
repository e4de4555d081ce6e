package bucketops

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakesync/lakesync/internal/exec/awserr"
)

// Count lists every version and delete marker of t's bucket
// (ListObjectVersions, which an unversioned bucket answers too: each
// object once, as its current version).
func Count(ctx context.Context, t Target) (Census, error) {
	var c Census
	err := eachPage(ctx, t, func(page *s3.ListObjectVersionsOutput) error {
		for _, v := range page.Versions {
			if aws.ToBool(v.IsLatest) {
				c.Objects++
			} else {
				c.Versions++
			}
			c.Bytes += aws.ToInt64(v.Size)
		}
		c.DeleteMarkers += int64(len(page.DeleteMarkers))
		return nil
	})
	return c, err
}

// Versioned reports whether t's bucket has versioning enabled (a
// suspended or never enabled bucket is not).
func Versioned(ctx context.Context, t Target) (bool, error) {
	out, err := t.Client.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String(t.Bucket)})
	if err != nil {
		return false, awserr.New("s3:GetBucketVersioning", t.Bucket, t.Account, err)
	}
	return out.Status == s3types.BucketVersioningStatusEnabled, nil
}

// eachPage calls fn with every page of t's ListObjectVersions, in order.
// The next page is fetched before fn sees the current one, so fn may
// delete what the page lists: the markers the next request starts from
// still exist when it is made (moto loses its place otherwise).
func eachPage(ctx context.Context, t Target, fn func(*s3.ListObjectVersionsOutput) error) error {
	list := func(keyMarker, versionMarker *string) (*s3.ListObjectVersionsOutput, error) {
		page, err := t.Client.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String(t.Bucket),
			KeyMarker: keyMarker, VersionIdMarker: versionMarker})
		if err != nil {
			return nil, awserr.New("s3:ListObjectVersions", t.Bucket, t.Account, err)
		}
		return page, nil
	}
	page, err := list(nil, nil)
	for err == nil {
		var next *s3.ListObjectVersionsOutput
		if aws.ToBool(page.IsTruncated) {
			if next, err = list(page.NextKeyMarker, page.NextVersionIdMarker); err != nil {
				break
			}
		}
		if err = fn(page); err != nil || next == nil {
			break
		}
		page = next
	}
	return err
}
