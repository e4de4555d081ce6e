package copier

import (
	"context"
	"fmt"
	"iter"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakesync/lakesync/internal/exec/awserr"
	"github.com/lakesync/lakesync/internal/plan"
)

// listPages yields the objects of bucket under prefix, 1000 per page
// (ListObjectsV2), read one page ahead (pagesAhead). Each request takes a
// slot of pool and is made with opts.
func listPages(ctx context.Context, pool *requestPool, opts *requestOpts, api interface {
	ListObjectsV2(context.Context, *s3.ListObjectsV2Input, ...func(*s3.Options)) (*s3.ListObjectsV2Output, error)
}, bucket, prefix string) iter.Seq2[[]s3types.Object, error] {
	in := &s3.ListObjectsV2Input{Bucket: aws.String(bucket), MaxKeys: aws.Int32(1000)}
	if prefix != "" {
		in.Prefix = aws.String(prefix)
	}
	return pagesAhead(ctx, fmt.Sprintf("listing s3://%s/%s", bucket, prefix), func(ctx context.Context) ([]s3types.Object, bool, error) {
		var out *s3.ListObjectsV2Output
		err := pool.do(ctx, func(ctx context.Context) error {
			var err error
			out, err = api.ListObjectsV2(ctx, in, opts.fns...)
			return err
		})
		if err != nil {
			return nil, false, awserr.New("s3:ListObjectsV2", "arn:aws:s3:::"+bucket, nil, err)
		}
		truncated := aws.ToBool(out.IsTruncated)
		if truncated && aws.ToString(out.NextContinuationToken) == "" {
			return nil, false, errTruncatedWithoutToken("NextContinuationToken")
		}
		in.ContinuationToken = out.NextContinuationToken
		return out.Contents, truncated, nil
	})
}

// errTruncatedWithoutToken is a listing page that says there is more
// without saying where it goes on.
func errTruncatedWithoutToken(token string) error {
	return fmt.Errorf("S3 answered IsTruncated=true without a %s, so the rest of the listing cannot be read; run again, and if it persists, the endpoint is not a conforming S3", token)
}

// pagesAhead yields the pages next returns, in order, until one says
// there are no more. A goroutine fetches the next page while the
// consumer works on the current one, so copying starts while listing goes
// on; it stops when the consumer stops or ctx ends. It is a producer one
// page ahead of its consumer, not a fan-out, so a goroutine and a channel
// of one page, not an errgroup. where names the listing in errors.
//
// The end of the listing is explicit: the stream ends without an error
// only after next answered a page with more false. A listing cut short
// (ctx ended, S3 said "truncated" without a continuation token) ends with
// an error, never as a short listing: a short source listing would make
// every destination object after it look gone and be deleted.
func pagesAhead[T any](ctx context.Context, where string, next func(context.Context) (page T, more bool, err error)) iter.Seq2[T, error] {
	type page struct {
		items T
		last  bool // S3 said the listing ends here
		err   error
	}
	return func(yield func(T, error) bool) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		pages := make(chan page, 1)
		go func() {
			defer close(pages)
			send := func(p page) bool {
				select {
				case pages <- p:
					return true
				case <-ctx.Done():
					return false
				}
			}
			for n := 1; ; n++ {
				items, more, err := next(ctx)
				if err != nil {
					send(page{err: fmt.Errorf("%s, page %d: %w", where, n, err)})
					return
				}
				if !send(page{items: items, last: !more}) || !more {
					return
				}
			}
		}()
		for p := range pages {
			if !yield(p.items, p.err) || p.err != nil || p.last {
				return
			}
		}
		// The goroutine stopped before the last page: ctx ended.
		err := context.Cause(ctx)
		if err == nil {
			err = context.Canceled
		}
		var zero T
		yield(zero, fmt.Errorf("%s: stopped before its last page: %w", where, err))
	}
}

// sourceObjects is the source listing as a sorted stream for plan.Merge;
// listed is called with each object the job selects.
func sourceObjects(pages iter.Seq2[[]s3types.Object, error], listed func(plan.SourceObject)) iter.Seq2[plan.SourceObject, error] {
	return flatten(pages, func(o s3types.Object) plan.SourceObject {
		so := plan.SourceObject{Key: aws.ToString(o.Key), Size: aws.ToInt64(o.Size),
			ETag: aws.ToString(o.ETag), LastModified: aws.ToTime(o.LastModified), StorageClass: string(o.StorageClass)}
		if listed != nil {
			listed(so)
		}
		return so
	})
}

// destinationObjects is the destination listing as a sorted stream.
func destinationObjects(pages iter.Seq2[[]s3types.Object, error]) iter.Seq2[plan.DestinationObject, error] {
	return flatten(pages, func(o s3types.Object) plan.DestinationObject {
		return plan.DestinationObject{Key: aws.ToString(o.Key), Size: aws.ToInt64(o.Size), ETag: aws.ToString(o.ETag)}
	})
}

// flatten streams the objects of a listing's pages, each as conv makes
// it, in the listing's (key) order; a listing error ends the stream.
func flatten[T any](pages iter.Seq2[[]s3types.Object, error], conv func(s3types.Object) T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for objs, err := range pages {
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, o := range objs {
				if !yield(conv(o), nil) {
					return
				}
			}
		}
	}
}

// fullObjectChecksum is "ALGORITHM:value" of the first full-object
// checksum a HeadObject (with checksum mode enabled) returned, or "".
// Composite checksums of multipart objects ("...-N") are not full-object.
func fullObjectChecksum(h *s3.HeadObjectOutput) string {
	if h.ChecksumType != "" && h.ChecksumType != s3types.ChecksumTypeFullObject {
		return ""
	}
	for _, c := range []struct {
		alg string
		v   *string
	}{{"CRC64NVME", h.ChecksumCRC64NVME}, {"CRC32C", h.ChecksumCRC32C}, {"CRC32", h.ChecksumCRC32},
		{"SHA256", h.ChecksumSHA256}, {"SHA1", h.ChecksumSHA1}} {
		if v := aws.ToString(c.v); v != "" && !strings.Contains(v, "-") {
			return c.alg + ":" + v
		}
	}
	return ""
}
