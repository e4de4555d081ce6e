package copier

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakesync/lakesync/internal/exec/awserr"
	"github.com/lakesync/lakesync/internal/plan"
)

// deleteBatch gathers destination objects gone at source (sync with
// delete = true) and deletes them 1000 per DeleteObjects request, each
// batch as one task of the run's pool.
type deleteBatch struct {
	r     *run
	w     *workers
	items []plan.Item
}

func (d *deleteBatch) add(it plan.Item) {
	d.items = append(d.items, it)
	if len(d.items) == 1000 {
		d.flush()
	}
}

func (d *deleteBatch) flush() {
	if len(d.items) == 0 || d.r.halted() {
		return
	}
	items := d.items
	d.items = nil
	d.w.Go(func() { d.r.deleteObjects(items) })
}

func (r *run) deleteObjects(items []plan.Item) {
	bucket := r.job.Destination.BucketName
	objs := make([]s3types.ObjectIdentifier, len(items))
	for i, it := range items {
		objs[i] = s3types.ObjectIdentifier{Key: aws.String(it.Destination.Key)}
		r.emit(&ObjectStarted{Job: r.job.Name, Key: r.sel.SourceKey(it.Rel), DestKey: it.Destination.Key,
			Size: it.Destination.Size, Action: plan.ObjectDelete})
	}
	var out *s3.DeleteObjectsOutput
	err := r.pool.do(r.work, func(ctx context.Context) error {
		var err error
		out, err = r.c.Destination.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String(bucket),
			Delete: &s3types.Delete{Objects: objs, Quiet: aws.Bool(true)}}, r.opts.fns...)
		return err
	})
	failed := map[string]error{}
	if err != nil {
		err = r.objErr("s3:DeleteObject", r.job.Destination, fmt.Sprintf("%s (%d objects)", items[0].Destination.Key, len(items)), err)
		if isFatalCopyError(err) {
			r.fatal(err)
		}
	} else {
		for _, e := range out.Errors {
			failed[aws.ToString(e.Key)] = r.objErr("s3:DeleteObject", r.job.Destination, aws.ToString(e.Key), awserr.DeletedKeyError(out.ResultMetadata, e))
		}
	}
	for _, it := range items {
		d := &ObjectDone{Job: r.job.Name, Key: r.sel.SourceKey(it.Rel), DestKey: it.Destination.Key,
			Action: plan.ObjectDelete, Reason: it.Reason}
		switch {
		case err != nil:
			d.Err = err
		case failed[it.Destination.Key] != nil:
			d.Err = failed[it.Destination.Key]
		default:
			if !r.record(func() error { return r.commit.Delete(d.Key) }) {
				return
			}
		}
		if d.Err != nil && r.work.Err() != nil {
			continue
		}
		r.done(d)
	}
}
