package exec

import (
	"context"
	"fmt"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/exec/state/s3state"
)

// StateBackend is the backend of the state at loc: its local file, or its
// object in S3 with the credentials of loc's account. Nothing is read or
// locked until Open.
func StateBackend(ctx context.Context, acc *Accounts, loc state.Location) (state.Backend, error) {
	if !loc.Remote() {
		return state.File{Path: loc.Path}, nil
	}
	return newS3StateBackend(ctx, acc, loc, s3state.RemoteStateOptions{})
}

// NewRemoteState gives access to the S3 state at loc with the credentials
// of its account, for pulling, pushing and unlocking it. Nothing is read
// or locked until Open.
func NewRemoteState(ctx context.Context, acc *Accounts, loc state.Location, opts s3state.RemoteStateOptions) (*s3state.RemoteState, error) {
	if !loc.Remote() {
		return nil, fmt.Errorf("the state block keeps the state in the local file %s, not in S3: add backend = \"s3\", bucket, key and account to it", loc.Path)
	}
	b, err := newS3StateBackend(ctx, acc, loc, opts)
	if err != nil {
		return nil, err
	}
	return b.Remote(), nil
}

func newS3StateBackend(ctx context.Context, acc *Accounts, loc state.Location, opts s3state.RemoteStateOptions) (*s3state.Backend, error) {
	client, err := acc.BucketS3(ctx, &config.Bucket{Name: "state", Account: loc.Account, BucketName: loc.Bucket}, 0)
	if err != nil {
		return nil, err
	}
	return s3state.NewBackend(client, loc, opts), nil
}
