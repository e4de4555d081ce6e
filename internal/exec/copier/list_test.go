package copier

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakesync/lakesync/internal/config"
)

// pagedLister answers ListObjectsV2 from pages, one per call; page i is
// truncated unless it is the last, and carries a token unless noToken.
type pagedLister struct {
	pages   [][]string
	noToken bool
	// before runs before page i is answered; an error fails that call.
	before func(ctx context.Context, i int) error
	calls  atomic.Int64
}

func (l *pagedLister) ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, _ ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	i := int(l.calls.Add(1)) - 1
	if l.before != nil {
		if err := l.before(ctx, i); err != nil {
			return nil, err
		}
	}
	if want := fmt.Sprint(i); i > 0 && !l.noToken && aws.ToString(in.ContinuationToken) != want {
		return nil, fmt.Errorf("page %d asked with token %q, want %q", i, aws.ToString(in.ContinuationToken), want)
	}
	out := &s3.ListObjectsV2Output{IsTruncated: aws.Bool(i < len(l.pages)-1)}
	for _, k := range l.pages[i] {
		out.Contents = append(out.Contents, s3types.Object{Key: aws.String(k), Size: aws.Int64(1)})
	}
	if aws.ToBool(out.IsTruncated) && !l.noToken {
		out.NextContinuationToken = aws.String(fmt.Sprint(i + 1))
	}
	return out, nil
}

// drain reads a listing to its end: the keys and the error it ended with.
func drain(ctx context.Context, l *pagedLister, onPage func(n int)) ([]string, error) {
	var keys []string
	n := 0
	for objs, err := range listPages(ctx, newRequestPool(2), newRequestOpts(), l, "b", "p/") {
		if err != nil {
			return keys, err
		}
		for _, o := range objs {
			keys = append(keys, aws.ToString(o.Key))
		}
		n++
		if onPage != nil {
			onPage(n)
		}
	}
	return keys, nil
}

func TestListPagesFollowsTokensToTheLastPage(t *testing.T) {
	l := &pagedLister{pages: [][]string{{"p/a", "p/b"}, {"p/c"}, {"p/d", "p/e"}}}
	keys, err := drain(t.Context(), l, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(keys, ","); got != "p/a,p/b,p/c,p/d,p/e" {
		t.Errorf("keys %s, want all five in order", got)
	}
	if n := l.calls.Load(); n != 3 {
		t.Errorf("%d ListObjectsV2 calls, want 3", n)
	}
}

// A truncated page without a continuation token cannot be followed: it is
// an error, not the end of the listing.
func TestListPagesTruncatedWithoutTokenIsAnError(t *testing.T) {
	l := &pagedLister{pages: [][]string{{"p/a"}, {"p/b"}}, noToken: true}
	keys, err := drain(t.Context(), l, nil)
	if err == nil || !strings.Contains(err.Error(), "IsTruncated=true without a NextContinuationToken") {
		t.Fatalf("err = %v, want the truncated-without-token error", err)
	}
	if !strings.Contains(err.Error(), "s3://b/p/") || !strings.Contains(err.Error(), "page 1") {
		t.Errorf("err %q does not name the listing and the page", err)
	}
	if len(keys) != 0 {
		t.Errorf("yielded %v before failing; a page that cannot be followed yields nothing", keys)
	}
}

// A listing whose context ends between pages ends with an error, never as
// a short listing.
func TestListPagesCancelledIsNotTheEnd(t *testing.T) {
	ctx, cancel := context.WithCancelCause(t.Context())
	defer cancel(nil)
	stop := errors.New("stopped by the test")
	l := &pagedLister{pages: [][]string{{"p/a"}, {"p/b"}, {"p/c"}, {"p/d"}}}
	keys, err := drain(ctx, l, func(n int) {
		if n == 1 {
			cancel(stop)
		}
	})
	if err == nil {
		t.Fatalf("a cancelled listing ended cleanly after %v", keys)
	}
	if !errors.Is(err, stop) && !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want the context's cause", err)
	}
	if len(keys) == 4 {
		t.Errorf("listed every key although cancelled after page 1")
	}
}

// A listing cancelled while a request is in flight ends with an error.
func TestListPagesCancelledInFlightIsNotTheEnd(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	l := &pagedLister{pages: [][]string{{"p/a"}, {"p/b"}, {"p/c"}}}
	l.before = func(rctx context.Context, i int) error {
		if i == 1 {
			cancel()
			<-rctx.Done()
			return rctx.Err()
		}
		return nil
	}
	if keys, err := drain(ctx, l, nil); err == nil {
		t.Fatalf("a listing cancelled during page 2 ended cleanly after %v", keys)
	}
}

// failingLister fails the source listing's page n (0-based) of bucket
// with a non-retryable error and asks every page for pageSize keys, so a
// small world has many pages.
type failingLister struct {
	CopySource
	bucket   string
	failPage int // -1: never
	pageSize int32
	calls    atomic.Int64
}

func (f *failingLister) ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, optFns ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	in.MaxKeys = aws.Int32(f.pageSize)
	if aws.ToString(in.Bucket) == f.bucket {
		if n := int(f.calls.Add(1)) - 1; n == f.failPage {
			return nil, fmt.Errorf("injected failure of page %d", n+1)
		}
	}
	return f.CopySource.ListObjectsV2(ctx, in, optFns...)
}

// smallPagesDestination asks every destination page for pageSize keys.
type smallPagesDestination struct {
	CopyDestination
	pageSize int32
	calls    atomic.Int64
}

func (d *smallPagesDestination) ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, optFns ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	d.calls.Add(1)
	in.MaxKeys = aws.Int32(d.pageSize)
	return d.CopyDestination.ListObjectsV2(ctx, in, optFns...)
}

// TestSyncDeleteWithFailedSourcePage: a sync with delete = true whose
// source listing fails on page 2 deletes nothing, although every
// destination object after page 1 looks gone from a short listing; with
// the listing whole, the same world deletes exactly the object gone at
// source. Pages are 3 keys, so both listings span several pages on moto.
func TestSyncDeleteWithFailedSourcePage(t *testing.T) {
	w := newCopyWorld(t)
	for i := range 10 {
		w.Put(t, fmt.Sprintf("exports/%02d", i), body(i, 100))
	}
	job := w.Job(config.ModeSync, config.TransferServerSide)
	job.Delete = true
	if _, _, err := w.run(t, job); err != nil {
		t.Fatalf("first sync: %v", err)
	}
	// One object gone at source: the only one a whole listing deletes.
	_, err := w.Prod.S3().DeleteObject(t.Context(), &s3.DeleteObjectInput{Bucket: aws.String("prod-data"), Key: aws.String("exports/09")})
	must(t, err)

	runWith := func(failPage int) (CopySummary, *failingLister, *smallPagesDestination, error) {
		c := w.copier(t, job, nil)
		src := &failingLister{CopySource: c.Source, bucket: "prod-data", failPage: failPage, pageSize: 3}
		dst := &smallPagesDestination{CopyDestination: c.Destination, pageSize: 3}
		c.Source, c.Destination = src, dst
		sum, err := c.Run(t.Context(), job)
		c.State.Close()
		return sum, src, dst, err
	}

	sum, _, _, err := runWith(1)
	if sum.Deleted != 0 {
		t.Errorf("deleted %d objects after a failed source listing", sum.Deleted)
	}
	if got := len(w.DestinationKeys(t)); got != 10 {
		t.Errorf("destination holds %d objects after a failed listing, want all 10", got)
	}
	if err == nil || !strings.Contains(err.Error(), "injected failure of page 2") {
		t.Fatalf("sync with a failed source page: err = %v, want the listing error", err)
	}

	sum, src, dst, err := runWith(-1)
	if err != nil {
		t.Fatalf("sync with whole listings: %v", err)
	}
	if src.calls.Load() < 3 || dst.calls.Load() < 3 {
		t.Errorf("listings took %d source and %d destination pages; the test needs several", src.calls.Load(), dst.calls.Load())
	}
	if sum.Deleted != 1 {
		t.Errorf("deleted %d, want exactly the object gone at source", sum.Deleted)
	}
	keys := w.DestinationKeys(t)
	if len(keys) != 9 || keys[len(keys)-1] != "prod/08" {
		t.Errorf("destination keys %v, want prod/00..prod/08", keys)
	}
}
