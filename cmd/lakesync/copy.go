package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/view"
	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec"
	"github.com/lakesync/lakesync/internal/exec/copier"
	"github.com/lakesync/lakesync/internal/exec/state"
)

// runCopy runs every job's copy after the policies are in place. A
// failed object does not stop the run; an interrupt stops it with the
// state committed and a hint to run again.
func runCopy(ctx context.Context, opts *applyOptions, cfg *config.Config, acc *exec.Accounts, store *state.Store, v view.Copy) error {
	var total view.SummaryLine
	start := time.Now()
	var failed []error
	for _, job := range cfg.Jobs {
		c, err := acc.Copier(ctx, job, store, opts.SkipPolicies)
		if err != nil {
			return err
		}
		c.Listener = v
		c.Bandwidth = opts.bandwidth
		if err := copyRanges(c, job, opts.keyRanges, opts.shard); err != nil {
			return err
		}
		v.Begin(job)
		sum, err := c.Run(ctx, job)
		total.Add(sum)
		var objErr *copier.ObjectsFailedError
		switch {
		case errors.Is(err, copier.ErrInterrupted):
			return &exitCodeError{code: exitError, msg: fmt.Sprintf("%v\nThe state %s holds every object that completed: run the same command again to resume.", err, state.NewLocation(cfg, opts.shard))}
		case errors.As(err, &objErr):
			failed = append(failed, err)
		case err != nil:
			return err
		}
	}
	total.Seconds = time.Since(start).Seconds()
	v.Done(total)
	if len(failed) > 0 {
		return &exitCodeError{code: exitError, msg: errors.Join(failed...).Error()}
	}
	return nil
}
