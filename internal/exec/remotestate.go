package exec

import (
	"context"
	"fmt"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/state/s3state"
)

// NewRemoteState gives access to cfg's S3 state with the credentials of
// the state block's account. Nothing is read or locked until Open.
func NewRemoteState(ctx context.Context, acc *Accounts, cfg *config.Config, opts s3state.RemoteStateOptions) (*s3state.RemoteState, error) {
	st := cfg.State
	if st.Backend != config.StateBackendS3 {
		return nil, fmt.Errorf("the state block keeps the state in the local file %s, not in S3: add backend = \"s3\", bucket, key and account to it", st.Path)
	}
	client, err := acc.BucketS3(ctx, &config.Bucket{Name: "state", Account: st.Account, BucketName: st.Bucket}, 0)
	if err != nil {
		return nil, err
	}
	kms := ""
	if k := cfg.StateKMSKey(); k != nil {
		kms = k.Ref()
	}
	return s3state.New(client, st.Bucket, st.Key, st.Account, kms, opts), nil
}
