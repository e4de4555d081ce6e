package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec"
	"github.com/lakesync/lakesync/internal/exec/copier"
	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/exec/state/s3state"
	"github.com/lakesync/lakesync/internal/plan"
)

// planKeys is how many keys of each action a plan keeps to show.
const planKeys = 10

// observeData lists every job's source and destination with the accounts'
// own credentials and reads its state records, counting what a run would
// do. store is the state apply holds open; nil opens it read-only. shard
// restricts every job to one shard's keys.
//
// A destination in toCreate (bucket block names: create = true, observed
// absent) is listed as the empty bucket apply creates.
//
// It also reads how far each migration block got (nil in a shard's plan:
// lakesync migrate records it in the unsharded state).
func observeData(ctx context.Context, cfg *config.Config, acc *exec.Accounts, store *state.Store, shard plan.Shard, toCreate map[string]bool) (map[string]*plan.JobObservation, map[string]*plan.MigrationProgress, error) {
	if store == nil {
		st, closeState, err := openStateForPlan(ctx, state.NewLocation(cfg, shard), acc)
		if err != nil {
			return nil, nil, err
		}
		if st != nil {
			defer closeState(ctx)
			store = st
		}
	}
	out := map[string]*plan.JobObservation{}
	for _, job := range cfg.Jobs {
		src, dst, err := acc.BucketClients(ctx, job)
		if err != nil {
			return nil, nil, err
		}
		var lister copier.Lister = dst
		if toCreate[job.Destination.Name] {
			lister = exec.EmptyBucket{}
		}
		if out[job.Name], err = copier.ObserveData(ctx, job, src, lister, store, planKeys, shard); err != nil {
			return nil, nil, err
		}
	}
	if shard.Sharded() {
		return out, nil, nil
	}
	migrations, err := migrationProgress(cfg, store)
	return out, migrations, err
}

// migrationProgress is how far each migration block of cfg got, as the
// state's migration records say; a state not created yet has none.
func migrationProgress(cfg *config.Config, store *state.Store) (map[string]*plan.MigrationProgress, error) {
	out := map[string]*plan.MigrationProgress{}
	if store == nil {
		return out, nil
	}
	for _, m := range cfg.Migrations {
		rec, ok, err := store.Migration(m.Name)
		if err != nil {
			return nil, fmt.Errorf("migration %q: %w", m.Name, err)
		}
		if ok {
			out[m.Name] = &plan.MigrationProgress{StepsDone: rec.Step, DeletingSource: rec.Status == plan.MigrationDeletingSource}
		}
	}
	return out, nil
}

// openStateForPlan opens the state at loc read-only (from S3: a
// downloaded copy, no lock); a state that does not exist yet has no
// records (nil store).
func openStateForPlan(ctx context.Context, loc state.Location, acc *exec.Accounts) (*state.Store, func(context.Context) error, error) {
	if !loc.Remote() {
		if _, err := os.Stat(loc.Path); errors.Is(err, fs.ErrNotExist) {
			return nil, nil, nil
		}
	}
	sess, err := openStateBackend(ctx, loc, acc, state.ReadOnly())
	if errors.Is(err, s3state.ErrNoRemoteState) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read the state for the plan: %w", err)
	}
	return sess.Store(), sess.Close, nil
}

// planKeyRanges are every job's key range boundaries, from one delimiter
// listing of its source prefix (copier.RangeBoundaries), for the plan
// file.
func planKeyRanges(ctx context.Context, cfg *config.Config, acc *exec.Accounts) (map[string][]string, error) {
	out := map[string][]string{}
	for _, job := range cfg.Jobs {
		src, _, err := acc.BucketClients(ctx, job)
		if err != nil {
			return nil, err
		}
		if out[job.Name], err = copier.RangeBoundaries(ctx, job, src); err != nil {
			return nil, fmt.Errorf("job %q: %w", job.Name, err)
		}
	}
	return out, nil
}

// toCreate names the bucket blocks with create = true observed absent.
func toCreate(cfg *config.Config, obs *plan.Observed) map[string]bool {
	out := map[string]bool{}
	for _, b := range cfg.Buckets {
		if ob := obs.Buckets[b.Name]; b.Create && ob != nil && !ob.Exists {
			out[b.Name] = true
		}
	}
	return out
}
