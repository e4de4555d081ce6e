package bucketops

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

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

// eachPage calls fn with every page of t's ListObjectVersions, in order.
func eachPage(ctx context.Context, t Target, fn func(*s3.ListObjectVersionsOutput) error) error {
	in := &s3.ListObjectVersionsInput{Bucket: aws.String(t.Bucket)}
	for {
		page, err := t.Client.ListObjectVersions(ctx, in)
		if err != nil {
			return awserr.New("s3:ListObjectVersions", t.Bucket, t.Account, err)
		}
		if err := fn(page); err != nil {
			return err
		}
		if !aws.ToBool(page.IsTruncated) {
			return nil
		}
		in.KeyMarker, in.VersionIdMarker = page.NextKeyMarker, page.NextVersionIdMarker
	}
}
