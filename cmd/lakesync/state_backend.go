package main

import (
	"context"

	"github.com/lakesync/lakesync/internal/exec"
	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/exec/state/s3state"
	"github.com/lakesync/lakesync/internal/plan"
)

// openStateBackend opens the state at loc, so that a local file and a
// state in S3 look the same to commands: a session with the store, the
// context to run under and its Close. For S3, a writer takes the lock
// (mode's holder, the command, is recorded in it), works on a downloaded
// copy that Close uploads, and runs under a context that is cancelled
// when the run must stop (its lock was broken or another writer changed
// the state); a reader gets a downloaded copy and no lock. A read-only
// open of a state that does not exist yet returns an error wrapping
// fs.ErrNotExist.
func openStateBackend(ctx context.Context, loc state.Location, acc *exec.Accounts, mode state.Mode) (*state.Session, error) {
	b, err := exec.StateBackend(ctx, acc, loc)
	if err != nil {
		return nil, err
	}
	return b.Open(ctx, mode)
}

// remoteState is the S3 state of the configuration, for the state
// commands that work on it directly (pull, push, unlock).
func remoteState(ctx context.Context, opts *stateOptions) (*s3state.RemoteState, error) {
	cfg, err := opts.loadConfig()
	if err != nil {
		return nil, err
	}
	return exec.NewRemoteState(ctx, exec.NewAccounts(cfg), state.NewLocation(cfg, plan.Shard{}), s3state.RemoteStateOptions{})
}
