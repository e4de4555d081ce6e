package s3state

import (
	"context"

	"github.com/lakesync/lakesync/internal/exec/state"
)

// Backend is the state backend of a state kept in S3: each Open is a new
// RemoteState on the location, read and written through one client.
type Backend struct {
	client StateS3API
	loc    state.Location
	opts   RemoteStateOptions
}

var _ state.Backend = (*Backend)(nil)

// NewBackend is the backend of the S3 state at loc, read and written
// through client (with the credentials of loc's account).
func NewBackend(client StateS3API, loc state.Location, opts RemoteStateOptions) *Backend {
	return &Backend{client: client, loc: loc, opts: opts}
}

// Remote is a new RemoteState on the backend's location, for the commands
// that pull, push or unlock it.
func (b *Backend) Remote() *RemoteState {
	return New(b.client, b.loc.Bucket, b.loc.Key, b.loc.Account, b.loc.KMSKey, b.opts)
}

// Open reads the state into a local store (see RemoteState.Open). A
// writing session holds the lock until Close, and its Context is
// cancelled, with the reason (wrapping ErrStateConflict) as its cause,
// when the lock is lost or another writer changes the state.
func (b *Backend) Open(ctx context.Context, mode state.Mode) (*state.Session, error) {
	r := b.Remote()
	runCtx, stop := context.WithCancelCause(ctx)
	store, err := r.Open(ctx, !mode.Writes(), mode.Holder(), stop)
	if err != nil {
		stop(nil)
		return nil, err
	}
	return state.NewSession(runCtx, store, func(ctx context.Context) error {
		defer stop(nil)
		return r.Close(ctx)
	}), nil
}
