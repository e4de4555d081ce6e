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
// fs.ErrNotExist. Under lakesync ui, the state the UI holds is used
// instead (withHeldState).
func openStateBackend(ctx context.Context, loc state.Location, acc *exec.Accounts, mode state.Mode) (*state.Session, error) {
	if sess, ok := heldSession(ctx, loc); ok {
		return sess, nil
	}
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

// heldStateKey is the context key of the state lakesync ui holds.
type heldStateKey struct{}

// heldState is a session a command keeps open for its lifetime (lakesync
// ui), and where its state is.
type heldState struct {
	loc  state.Location
	sess *state.Session
}

// withHeldState makes the commands run under ctx use sess, the state at
// loc that lakesync ui holds (read-write, locked) for its lifetime,
// instead of opening it again, which its own lock would refuse. Their
// Close leaves it open.
func withHeldState(ctx context.Context, loc state.Location, sess *state.Session) context.Context {
	return context.WithValue(ctx, heldStateKey{}, heldState{loc: loc, sess: sess})
}

// heldSession is the held state's session for loc, if ctx carries one
// for the same state.
func heldSession(ctx context.Context, loc state.Location) (*state.Session, bool) {
	h, ok := ctx.Value(heldStateKey{}).(heldState)
	if !ok || h.loc.Backend != loc.Backend || h.loc.Path != loc.Path || h.loc.Bucket != loc.Bucket || h.loc.Key != loc.Key {
		return nil, false
	}
	return state.NewSession(ctx, h.sess.Store(), func(context.Context) error { return nil }), true
}
