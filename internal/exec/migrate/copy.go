package migrate

import (
	"context"
	"errors"
	"fmt"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec"
	"github.com/lakesync/lakesync/internal/exec/copier"
	"github.com/lakesync/lakesync/internal/plan"
)

// applyConfig plans cfg (without listing data: the copy lists it) and
// applies its policy and bucket-setting changes, as apply does: the
// creation of a bucket with create = true first, grants before use.
func (r *run) applyConfig(ctx context.Context, cfg *config.Config) error {
	obs, err := exec.Observe(ctx, cfg, r.acc)
	if err != nil {
		return err
	}
	obs.DataNotListed = plan.DataWhileCopying
	p, err := plan.Compute(cfg, obs)
	if err != nil {
		return err
	}
	r.l.Plan(p)
	if p.Blocked() {
		return errors.New("the migration's plan cannot be applied: fix the errors above first")
	}
	retry := exec.PropagationRetry{Notify: r.l.Notice}
	return exec.ApplyPolicies(ctx, cfg, r.acc, p, retry, r.l.Policy)
}

// copyJob copies job with the copier apply runs, then verifies every
// object (size, full-object checksum, content where there is none).
// progress is called with the fraction of the listed objects done.
func (r *run) copyJob(ctx context.Context, job *config.Job, progress func(f float64)) error {
	c, err := r.acc.Copier(ctx, job, r.store, false)
	if err != nil {
		return err
	}
	objects := r.l.Copy(job)
	var listed, done int64
	c.Listener = copier.CopyListenerFunc(func(e copier.CopyEvent) {
		if objects != nil {
			objects.OnCopyEvent(e)
		}
		switch e := e.(type) {
		case *copier.Listed:
			listed = e.Objects + e.Deletes - e.Unchanged
		case *copier.ObjectDone:
			done++
			if listed > 0 {
				progress(float64(done) / float64(listed))
			}
		}
	})
	sum, err := c.Run(ctx, job)
	if err != nil {
		return fmt.Errorf("migration %q, copy %s -> %s: %w", r.m.Name, job.Source.BucketName, job.Destination.BucketName, err)
	}
	if sum.Failed > 0 {
		return fmt.Errorf("migration %q: %d object(s) failed to copy from %s to %s", r.m.Name, sum.Failed, job.Source.BucketName, job.Destination.BucketName)
	}
	src, dst, err := r.acc.BucketClients(ctx, job)
	if err != nil {
		return err
	}
	res, err := copier.VerifyExact(ctx, job, src, dst)
	if err != nil {
		return fmt.Errorf("migration %q, verify %s -> %s: %w", r.m.Name, job.Source.BucketName, job.Destination.BucketName, err)
	}
	r.l.Verified(res)
	if n := len(res.Differences); n > 0 {
		d := res.Differences[0]
		return fmt.Errorf("migration %q: %d object(s) of %s differ in %s after the copy (first: %s: %s); nothing was deleted: run lakesync migrate %s again to copy them again",
			r.m.Name, n, job.Source.BucketName, job.Destination.BucketName, d.Key, d.Problem, r.m.Name)
	}
	progress(1)
	return nil
}
