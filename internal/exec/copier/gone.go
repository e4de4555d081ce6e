package copier

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakesync/lakesync/internal/plan"
)

// An S3 Inventory report is hours or days older than the bucket it
// lists: objects it names may be gone by the time a run copies them, and
// objects written since are missing from it. With one as the source
// listing, a run counts the first as gone, not failed, and deletes a
// destination object the report lacks only once a HEAD of its source
// says it is gone.

// goneAtSource reports d, whose copy failed with err, as gone at source
// when the run's listing is an S3 Inventory and err says the source
// object does not exist (404). Nothing is recorded: the state never
// holds a copy that did not happen.
func (r *run) goneAtSource(d *ObjectDone, err error) bool {
	if r.listing == nil || !r.sourceGone(err, d.Key) {
		return false
	}
	d.Action, d.Err, d.Bytes = plan.ObjectGone, nil, 0
	d.Reason = "in the " + r.listing.String() + ", gone from the source since"
	r.done(d)
	return true
}

// deleteIfGone deletes the destination object of it, whose source the
// S3 Inventory lacks, only when a HEAD of the source finds it gone; a
// source written since the report is left alone, counted as skipped.
// A delete confirmed this way is one DeleteObjects request of its own.
func (r *run) deleteIfGone(it plan.Item) {
	srcKey := r.sel.SourceKey(it.Rel)
	start := time.Now()
	err := r.pool.do(r.work, func(ctx context.Context) error {
		_, err := r.c.Source.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(r.job.Source.BucketName), Key: aws.String(srcKey)}, r.opts.fns...)
		return r.objErr("s3:GetObject", r.job.Source, srcKey, err)
	})
	switch {
	case err == nil:
		r.done(&ObjectDone{Job: r.job.Name, Key: srcKey, DestKey: it.Destination.Key, Action: plan.ObjectKeep, Duration: time.Since(start),
			Reason: "not in the " + r.listing.String() + ", but a HEAD finds it at source: not deleted"})
	case r.sourceGone(err, srcKey):
		r.deleteObjects([]plan.Item{it})
	default:
		r.fail(&ObjectDone{Job: r.job.Name, Key: srcKey, DestKey: it.Destination.Key, Action: plan.ObjectDelete, Reason: it.Reason,
			Duration: time.Since(start), Err: err})
	}
}
