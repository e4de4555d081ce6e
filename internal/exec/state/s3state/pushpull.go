package s3state

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakesync/lakesync/internal/exec/awserr"
	"github.com/lakesync/lakesync/internal/exec/state"
)

// Pull writes the remote state (its base with its deltas applied) to the
// local file path, replacing it atomically (temporary file, fsync,
// rename). It takes no lock: a run in progress may upload a newer state
// afterwards.
func (r *RemoteState) Pull(ctx context.Context, path string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".pull-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	name := tmp.Name()
	tmp.Close()
	os.Remove(name) // get creates it exclusively, mode 0600
	st, err := r.fetch(ctx, name, false)
	if err == nil && st != nil {
		err = st.Close() // bbolt synced every delta applied
	}
	if err != nil {
		os.Remove(name)
		return err
	}
	if err := os.Rename(name, path); err != nil {
		os.Remove(name)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// Push uploads the local state file path as the remote state's base,
// under the lock (what is recorded in it), replacing the state there only
// if no one changed it between reading its ETag and writing. The deltas
// of the base it replaces are stale from then on, and deleted.
func (r *RemoteState) Push(ctx context.Context, path, what string) (err error) {
	st, err := state.Open(path, state.Options{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("push %s: %w", path, err)
	}
	if err := st.Close(); err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("push %s: %w", path, err)
	}
	defer f.Close()
	if err := r.acquireLock(ctx, what); err != nil {
		return err
	}
	defer func() { err = errors.Join(err, r.releaseLock(context.WithoutCancel(ctx))) }()
	etag := ""
	head, err := r.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(r.bucket), Key: aws.String(r.key)})
	switch {
	case err == nil:
		etag = aws.ToString(head.ETag)
	case !awserr.HasCode(err, "NoSuchKey", "NotFound"):
		return awserr.New("s3:HeadObject", r.arn(r.key), r.acct, err)
	}
	idx, _, ierr := r.getIndex(ctx)
	if _, err = r.put(ctx, f, etag); err != nil {
		return err
	}
	if ierr == nil && idx != nil {
		r.deleteDeltas(ctx, idx.Deltas)
	}
	return nil
}
