package s3state

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/plan"
)

func (w *testWorld) location() state.Location {
	return state.Location{Backend: config.StateBackendS3, Bucket: stateBucket, Key: "lakesync/prod.state", Account: w.lakeAcct}
}

// TestBackendLostLockCancelsContext: when a writing session's lock is
// broken, the context the session hands its caller is cancelled with the
// loss as its cause (the caller's own context is not), and Close reports
// the loss.
func TestBackendLostLockCancelsContext(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir()) // the run's kept copy
	w, c := remoteWorld(t)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	b := NewBackend(c, w.location(), RemoteStateOptions{Lease: 300 * time.Millisecond, UploadEvery: time.Hour})
	sess, err := b.Open(ctx, state.ReadWrite("lakesync apply"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(stateBucket), Key: aws.String("lakesync/prod.state.lock")}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-sess.Context().Done():
	case <-ctx.Done():
		t.Fatal("the session's context was never cancelled after its lock was broken")
	}
	if cause := context.Cause(sess.Context()); !errors.Is(cause, ErrStateConflict) || !strings.Contains(cause.Error(), "lost its lock") {
		t.Errorf("cause: %v, want the lost lock (ErrStateConflict)", cause)
	}
	if ctx.Err() != nil {
		t.Errorf("the caller's own context was cancelled: %v", ctx.Err())
	}
	if err := sess.Close(ctx); err == nil || !strings.Contains(err.Error(), "lost its lock") {
		t.Errorf("close after losing the lock: %v, want the loss", err)
	}
}

// TestBackendModes: a writing session takes the lock in its holder's
// name; a read-only one takes none, so it opens while the writer holds
// it; a second writer is refused, told who holds it.
func TestBackendModes(t *testing.T) {
	w, c := remoteWorld(t)
	ctx := t.Context()
	b := NewBackend(c, w.location(), RemoteStateOptions{})
	if _, err := b.Open(ctx, state.ReadOnly()); !errors.Is(err, ErrNoRemoteState) {
		t.Fatalf("read-only open of a missing state: %v, want ErrNoRemoteState", err)
	}
	writer, err := b.Open(ctx, state.ReadWrite("lakesync apply -c first.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	if err := writer.Store().Put("job", plan.StateRecord{SourceKey: "a", SourceETag: `"e"`, Size: 1, DestKey: "a", DestETag: `"e"`}); err != nil {
		t.Fatal(err)
	}
	if err := writer.Close(ctx); err != nil {
		t.Fatal(err)
	}
	writer, err = b.Open(ctx, state.ReadWrite("lakesync apply -c first.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close(ctx)
	reader, err := b.Open(ctx, state.ReadOnly())
	if err != nil {
		t.Fatalf("read-only open while a writer holds the lock: %v", err)
	}
	if _, found, err := reader.Store().Get("job", "a"); err != nil || !found {
		t.Errorf("the reader does not see the record the first writer uploaded: found %v, %v", found, err)
	}
	if err := reader.Close(ctx); err != nil {
		t.Fatal(err)
	}
	_, err = b.Open(ctx, state.ReadWrite("lakesync apply -c second.hcl"))
	var locked *StateLockedError
	if !errors.As(err, &locked) || locked.Holder.What != "lakesync apply -c first.hcl" {
		t.Errorf("second writer: %v, want StateLockedError naming the first writer", err)
	}
}
