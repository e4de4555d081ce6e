package copier

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakesync/lakesync/internal/exec/awserr"
	"github.com/lakesync/lakesync/internal/plan"
)

// VersionLister is what listing a job's source with source_as_of calls:
// ListObjectVersions (the SDK's signature; *s3.Client implements it).
type VersionLister interface {
	ListObjectVersions(ctx context.Context, in *s3.ListObjectVersionsInput, optFns ...func(*s3.Options)) (*s3.ListObjectVersionsOutput, error)
}

var _ VersionLister = (*s3.Client)(nil)

// version is one entry of a ListObjectVersions page: an object version
// or a delete marker (deleted).
type version struct {
	obj     plan.SourceObject // Key, VersionID and LastModified only for a delete marker
	deleted bool
	latest  bool
}

// listVersionPages yields the versions and delete markers of bucket
// under prefix, 1000 per page, read one page ahead (pagesAhead); each
// page is in key order, newest first within a key (S3 lists versions and
// delete markers apart; they are merged here). Each request takes a
// slot of pool and is made with opts.
func listVersionPages(ctx context.Context, pool *requestPool, opts *requestOpts, api VersionLister, bucket, prefix string) iter.Seq2[[]version, error] {
	in := &s3.ListObjectVersionsInput{Bucket: aws.String(bucket), MaxKeys: aws.Int32(1000)}
	if prefix != "" {
		in.Prefix = aws.String(prefix)
	}
	return pagesAhead(ctx, fmt.Sprintf("listing the versions of s3://%s/%s", bucket, prefix), func(ctx context.Context) ([]version, bool, error) {
		var out *s3.ListObjectVersionsOutput
		err := pool.do(ctx, func(ctx context.Context) error {
			var err error
			out, err = api.ListObjectVersions(ctx, in, opts.fns...)
			return err
		})
		if err != nil {
			return nil, false, awserr.New("s3:ListObjectVersions", "arn:aws:s3:::"+bucket, nil, err)
		}
		truncated := aws.ToBool(out.IsTruncated)
		if truncated && aws.ToString(out.NextKeyMarker) == "" {
			return nil, false, errTruncatedWithoutToken("NextKeyMarker")
		}
		in.KeyMarker, in.VersionIdMarker = out.NextKeyMarker, out.NextVersionIdMarker
		return pageVersions(out), truncated, nil
	})
}

// pageVersions merges a page's versions and delete markers: by key, then
// newest first (the latest first among equal times).
func pageVersions(out *s3.ListObjectVersionsOutput) []version {
	vs := make([]version, 0, len(out.Versions)+len(out.DeleteMarkers))
	for _, v := range out.Versions {
		vs = append(vs, version{obj: plan.SourceObject{Key: aws.ToString(v.Key), Size: aws.ToInt64(v.Size), ETag: aws.ToString(v.ETag),
			VersionID: aws.ToString(v.VersionId), LastModified: aws.ToTime(v.LastModified), StorageClass: string(v.StorageClass)},
			latest: aws.ToBool(v.IsLatest)})
	}
	for _, m := range out.DeleteMarkers {
		vs = append(vs, version{obj: plan.SourceObject{Key: aws.ToString(m.Key), VersionID: aws.ToString(m.VersionId),
			LastModified: aws.ToTime(m.LastModified)}, deleted: true, latest: aws.ToBool(m.IsLatest)})
	}
	slices.SortStableFunc(vs, func(a, b version) int {
		if c := cmp.Compare(a.obj.Key, b.obj.Key); c != 0 {
			return c
		}
		if c := b.obj.LastModified.Compare(a.obj.LastModified); c != 0 {
			return c
		}
		switch {
		case a.latest && !b.latest:
			return -1
		case b.latest && !a.latest:
			return 1
		}
		return 0
	})
	return vs
}

// versionsAsOf is the source listing as it was at asOf, as a sorted
// stream: for each key, the newest version modified at or before asOf;
// a key whose version then was a delete marker, or that had none yet, is
// not in it. A key's versions may go on over the next page: a key is
// yielded once a later key, or the end of the listing, shows its last
// version was seen. listed is called with each object yielded (nil: not).
func versionsAsOf(pages iter.Seq2[[]version, error], asOf time.Time, listed func(plan.SourceObject)) iter.Seq2[plan.SourceObject, error] {
	return func(yield func(plan.SourceObject, error) bool) {
		var key string     // the key whose versions are being read
		var chosen version // its version as of asOf, if found
		found, started := false, false
		flush := func() bool {
			if !started || !found || chosen.deleted {
				return true
			}
			if listed != nil {
				listed(chosen.obj)
			}
			return yield(chosen.obj, nil)
		}
		for vs, err := range pages {
			if err != nil {
				yield(plan.SourceObject{}, err)
				return
			}
			for _, v := range vs {
				if !started || v.obj.Key != key {
					if !flush() {
						return
					}
					key, found, started = v.obj.Key, false, true
				}
				if !found && !v.obj.LastModified.After(asOf) {
					chosen, found = v, true
				}
			}
		}
		flush()
	}
}

// pinned is the VersionId of every request that reads src (CopyObject's
// and UploadPartCopy's source, the HEAD and tags of a multipart copy, a
// stream's GETs): the version source_as_of chose, nil (the current
// version) otherwise.
func pinned(src *plan.SourceObject) *string {
	if src.VersionID == "" {
		return nil
	}
	return aws.String(src.VersionID)
}

// ListObjectVersions lists through the source when it can list versions
// (source_as_of), counting the versions its pages return.
func (l *countingLister) ListObjectVersions(ctx context.Context, in *s3.ListObjectVersionsInput, optFns ...func(*s3.Options)) (*s3.ListObjectVersionsOutput, error) {
	vl, ok := l.SourceReader.(VersionLister)
	if !ok {
		return nil, fmt.Errorf("source_as_of needs ListObjectVersions, which this source client (%T) lacks", l.SourceReader)
	}
	out, err := vl.ListObjectVersions(ctx, in, optFns...)
	if err == nil {
		l.objects.Add(int64(len(out.Versions)))
	}
	return out, err
}
