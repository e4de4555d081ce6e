package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec"
	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/plan"
)

// planKeys is how many keys of each action a plan keeps to show.
const planKeys = 10

// observeData lists every job's source and destination with the accounts'
// own credentials and reads its state records, counting what a run would
// do. store is the state apply holds open; nil opens it read-only. shard
// restricts every job to one shard's keys.
func observeData(ctx context.Context, cfg *config.Config, acc *exec.Accounts, store *state.Store, shard plan.Shard) (map[string]*plan.JobObservation, error) {
	if store == nil {
		var err error
		if store, err = openStateForPlan(cfg.State.Path); err != nil {
			return nil, err
		}
		if store != nil {
			defer store.Close()
		}
	}
	out := map[string]*plan.JobObservation{}
	for _, job := range cfg.Jobs {
		src, err := acc.BucketS3(ctx, job.Source, job.Concurrency)
		if err != nil {
			return nil, err
		}
		dst, err := acc.BucketS3(ctx, job.Destination, job.Concurrency)
		if err != nil {
			return nil, err
		}
		if out[job.Name], err = exec.ObserveData(ctx, job, src, dst, store, planKeys, shard); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// openStateForPlan opens the state read-only; a state that does not exist
// yet has no records (nil store).
func openStateForPlan(path string) (*state.Store, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	st, err := state.Open(path, state.Options{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("read the state for the plan: %w", err)
	}
	return st, nil
}
