package main

import (
	"context"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec"
	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/exec/state/s3state"
)

// openStateBackend opens the configured state, so that a local file and a
// state in S3 look the same to commands: the store, and a close that ends
// its use. For S3, a writer takes the lock (what, the command, is recorded
// in it), works on a downloaded copy that close uploads, and gets back a
// context that is cancelled when the run must stop (its lock was broken or
// another writer changed the state); a reader gets a downloaded copy and
// no lock. A read-only open of a state that does not exist yet returns an
// error wrapping fs.ErrNotExist.
func openStateBackend(ctx context.Context, cfg *config.Config, acc *exec.Accounts, readOnly bool, what string) (context.Context, *state.Store, func(context.Context) error, error) {
	if cfg.State.Backend != config.StateBackendS3 {
		store, err := state.Open(cfg.State.Path, state.Options{ReadOnly: readOnly})
		if err != nil {
			return ctx, nil, nil, err
		}
		return ctx, store, func(context.Context) error { return store.Close() }, nil
	}
	remote, err := exec.NewRemoteState(ctx, acc, cfg, s3state.RemoteStateOptions{})
	if err != nil {
		return ctx, nil, nil, err
	}
	runCtx, stop := context.WithCancelCause(ctx)
	store, err := remote.Open(ctx, readOnly, what, stop)
	if err != nil {
		stop(nil)
		return ctx, nil, nil, err
	}
	return runCtx, store, func(ctx context.Context) error {
		defer stop(nil)
		return remote.Close(ctx)
	}, nil
}

// stateName is where the state lives, for messages: its file, or
// s3://bucket/key.
func stateName(cfg *config.Config) string {
	if cfg.State.Backend == config.StateBackendS3 {
		return "s3://" + cfg.State.Bucket + "/" + cfg.State.Key
	}
	return cfg.State.Path
}

// remoteState is the S3 state of the configuration, for the state
// commands that work on it directly (pull, push, unlock).
func remoteState(ctx context.Context, opts *stateOptions) (*s3state.RemoteState, error) {
	cfg, err := opts.loadConfig()
	if err != nil {
		return nil, err
	}
	return exec.NewRemoteState(ctx, exec.NewAccounts(cfg), cfg, s3state.RemoteStateOptions{})
}
