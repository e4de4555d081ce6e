package copier

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/awserr"
	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/plan"
)

// ListParallelism is how many key ranges a run of job lists at once:
// list_parallelism, or when it is "auto" a quarter of the request pool
// (concurrency), at least 1 and at most 16. Listing takes one request per
// range at a time, so a quarter leaves three quarters of the slots to the
// copies; 16 ranges of one page in flight hide 16 times the round trip of
// a LIST, enough for tens of thousands of keys a second.
func ListParallelism(job *config.Job) int {
	if job.ListParallelism > 0 {
		return job.ListParallelism
	}
	n := job.Concurrency
	if n <= 0 {
		n = config.DefaultConcurrency
	}
	return min(16, max(1, n/4))
}

// ranger lists and merges one job's key ranges, one step at a time: a
// step lists one page of a range on each side, scans the range's state
// records, and merges the keys up to where both pages reach. The rest of
// the range is another range. A step holds one page per side, so memory
// does not grow with the number of objects, and its requests (one LIST
// per side) are fixed by the keys and the range alone, not by timing.
type ranger struct {
	job   *config.Job
	sel   *plan.Selector
	rules plan.Rules
	pool  *requestPool
	opts  *requestOpts
	src   Lister
	dst   Lister       // nil: cp, the destination is never compared
	store *state.Store // nil: no records
	// listed, when set, is called with each selected source object of a
	// step, once over all ranges.
	listed func(plan.SourceObject)
}

// page is one side's listing of a range in one step: objs, sorted, may
// run past the range; when cut is set, objs is complete only up to the
// rel *cut (the range goes on past it and is listed in a later step).
type page struct {
	objs []s3types.Object
	cut  *string
}

// carry is what a step listed past its end on the side whose page
// reached further: the next step of the rest merges it instead of listing
// that side again. ok false: nothing carried, list the side.
type carry struct {
	src, dst     page
	srcOK, dstOK bool
}

// after is the part of p past the rel cut: the objects with a key after
// prefix+cut, complete as far as p was.
func (p page) after(prefix, cut string) page {
	i := sort.Search(len(p.objs), func(i int) bool { return aws.ToString(p.objs[i].Key) > prefix+cut })
	return page{objs: p.objs[i:], cut: p.cut}
}

// sourceFor is the source page of kr in one step: the carried one, or one
// page of ListObjectsV2 from kr's StartAfter.
func (g *ranger) sourceFor(ctx context.Context, kr plan.KeyRange, c carry) (page, error) {
	if c.srcOK {
		return c.src, nil
	}
	objs, cut, err := g.listStep(ctx, g.src, g.job.Source.BucketName, g.job.SourcePrefix, kr)
	return page{objs: objs, cut: cut}, err
}

// destinationFor is the destination page of kr in one step (none for cp).
func (g *ranger) destinationFor(ctx context.Context, kr plan.KeyRange, c carry) (page, error) {
	if g.dst == nil {
		return page{}, nil
	}
	if c.dstOK {
		return c.dst, nil
	}
	objs, cut, err := g.listStep(ctx, g.dst, g.job.Destination.BucketName, g.job.DestinationPrefix, kr)
	return page{objs: objs, cut: cut}, err
}

// step lists kr once on each side (or takes what the step before carried)
// and returns the merge of the keys of kr both listings cover, the rest of
// kr (more: there is some) for a later step, and what this step listed
// past its end on the side that reached further, for the next step of the
// rest. The first page that does not reach the end of kr decides where the
// step ends: at its last key.
func (g *ranger) step(ctx context.Context, kr plan.KeyRange, c carry) (items iter.Seq2[plan.Item, error], rest plan.KeyRange, more bool, next carry, err error) {
	var src, dst page
	var dstErr error
	done := make(chan struct{})
	go func() { // both sides' pages in flight at once
		defer close(done)
		dst, dstErr = g.destinationFor(ctx, kr, c)
	}()
	src, err = g.sourceFor(ctx, kr, c)
	<-done
	switch {
	case err != nil:
		err = fmt.Errorf("source listing: %w", err)
	case dstErr != nil:
		err = fmt.Errorf("destination listing: %w", dstErr)
	}
	if err != nil {
		return nil, plan.KeyRange{}, false, carry{}, err
	}
	this := kr
	if cut := minCut(src.cut, dst.cut); cut != nil {
		this.Upto = cut
		rest, more = kr.Rest(*cut)
		// The side whose page reached past the cut keeps the rest of it.
		if src.cut == nil || *src.cut != *cut {
			next.src, next.srcOK = src.after(g.job.SourcePrefix, *cut), true
		}
		if g.dst != nil && (dst.cut == nil || *dst.cut != *cut) {
			next.dst, next.dstOK = dst.after(g.job.DestinationPrefix, *cut), true
		}
	}
	srcObjs := sourceObjects(onePage(src.objs), nil)
	if g.listed != nil {
		srcObjs = tap(plan.Bound(srcObjs, this, g.sel.SourcePrefix, func(o *plan.SourceObject) string { return o.Key }),
			func(o plan.SourceObject) {
				if _, ok := g.sel.SourceRel(o.Key); ok {
					g.listed(o)
				}
			})
	}
	var dstObjs iter.Seq2[plan.DestinationObject, error]
	if g.dst != nil {
		dstObjs = destinationObjects(onePage(dst.objs))
	}
	var recs iter.Seq2[plan.StateRecord, error]
	if g.store != nil {
		recs = g.store.RecordsFrom(ctx, g.job.Name, g.sel.SourcePrefix, this.Seek(g.sel.SourcePrefix))
	}
	return plan.MergeRange(g.sel, g.rules, this, plan.RangeStreams{Source: srcObjs, Records: recs, Destination: dstObjs}), rest, more, next, nil
}

// minCut is the smaller of two cuts; nil is no cut.
func minCut(a, b *string) *string {
	switch {
	case a == nil:
		return b
	case b == nil || *a <= *b:
		return a
	}
	return b
}

// listStep lists one page of bucket under prefix from kr's StartAfter.
// cut is the rel of the page's last key when the listing goes on within
// kr (S3 said truncated and the last key is in kr), else nil: the page
// holds every key of kr.
func (g *ranger) listStep(ctx context.Context, api Lister, bucket, prefix string, kr plan.KeyRange) ([]s3types.Object, *string, error) {
	in := &s3.ListObjectsV2Input{Bucket: aws.String(bucket), MaxKeys: aws.Int32(1000)}
	if prefix != "" {
		in.Prefix = aws.String(prefix)
	}
	if sa := kr.StartAfter(prefix); sa != "" {
		in.StartAfter = aws.String(sa)
	}
	where := fmt.Sprintf("listing s3://%s/%s in key range %s", bucket, prefix, kr)
	var out *s3.ListObjectsV2Output
	err := g.pool.do(ctx, func(ctx context.Context) error {
		var err error
		out, err = api.ListObjectsV2(ctx, in, g.opts.fns...)
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", where, awserr.New("s3:ListObjectsV2", "arn:aws:s3:::"+bucket, nil, err))
	}
	if !aws.ToBool(out.IsTruncated) {
		return out.Contents, nil, nil
	}
	if len(out.Contents) == 0 {
		return nil, nil, fmt.Errorf("%s: S3 answered IsTruncated=true with no keys, so the rest of the listing cannot be read; run again, and if it persists, the endpoint is not a conforming S3", where)
	}
	last := aws.ToString(out.Contents[len(out.Contents)-1].Key)
	if kr.Locate(prefix, last) != 0 {
		return out.Contents, nil, nil // the page reaches past kr
	}
	rel := last[len(prefix):]
	return out.Contents, &rel, nil
}

// onePage is a listing of one page, for sourceObjects and
// destinationObjects.
func onePage(objs []s3types.Object) iter.Seq2[[]s3types.Object, error] {
	return func(yield func([]s3types.Object, error) bool) { yield(objs, nil) }
}

// tap calls fn with each entry of seq as it passes.
func tap[T any](seq iter.Seq2[T, error], fn func(T)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for v, err := range seq {
			if err == nil {
				fn(v)
			}
			if !yield(v, err) {
				return
			}
		}
	}
}

// RangeBoundaries are the boundaries (rels, for plan.Tile) a run of job
// divides its key space at: the common prefixes of one page of a
// delimiter ("/") listing of the source prefix, grouped into at most
// 4 x ListParallelism ranges (plan.BoundariesFromPrefixes). One page, so
// that a flat space of many keys costs one request (its ranges split as
// they prove large when list_parallelism is a number). A saved plan
// records them for its shards; a run without one lists them itself once
// its first page shows there is more (divideRest).
func RangeBoundaries(ctx context.Context, job *config.Job, src Lister) ([]string, error) {
	return rangeBoundaries(ctx, newRequestPool(1), newRequestOpts(), src, job, 4*ListParallelism(job))
}

func rangeBoundaries(ctx context.Context, pool *requestPool, opts *requestOpts, src Lister, job *config.Job, groups int) ([]string, error) {
	bucket, prefix := job.Source.BucketName, job.SourcePrefix
	in := &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Delimiter: aws.String("/"), MaxKeys: aws.Int32(1000)}
	if prefix != "" {
		in.Prefix = aws.String(prefix)
	}
	var out *s3.ListObjectsV2Output
	err := pool.do(ctx, func(ctx context.Context) error {
		var err error
		out, err = src.ListObjectsV2(ctx, in, opts.fns...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("listing the prefixes of s3://%s/%s: %w", bucket, prefix, awserr.New("s3:ListObjectsV2", "arn:aws:s3:::"+bucket, nil, err))
	}
	var rels []string
	for _, cp := range out.CommonPrefixes {
		if p := aws.ToString(cp.Prefix); len(p) > len(prefix) {
			rels = append(rels, p[len(prefix):])
		}
	}
	bounds := plan.BoundariesFromPrefixes(rels, groups)
	maxRel := (&plan.Selector{SourcePrefix: job.SourcePrefix, DestinationPrefix: job.DestinationPrefix}).MaxRelBytes()
	return slices.DeleteFunc(bounds, func(b string) bool { return len(b) > maxRel }), nil
}
