package s3state

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakesync/lakesync/internal/exec/awserr"
	"github.com/lakesync/lakesync/internal/plan"
)

const stateBucket = "konfir-lakesync-state"

// remoteWorld is a reset moto with the state bucket in the lake account.
func remoteWorld(t *testing.T) (*testWorld, *s3.Client) {
	t.Helper()
	w := newWorld(t)
	if err := w.lake.CreateBucket(t.Context(), stateBucket); err != nil {
		t.Fatal(err)
	}
	return w, w.lake.S3()
}

func (w *testWorld) remote(c *s3.Client, now func() time.Time) *RemoteState {
	return New(c, stateBucket, "lakesync/prod.state", w.lakeAcct, "", RemoteStateOptions{Now: now})
}

// TestMotoConditionalWrites checks what the remote state relies on:
// PutObject with If-None-Match: * refuses an existing object, PutObject
// and DeleteObject with If-Match refuse another ETag.
func TestMotoConditionalWrites(t *testing.T) {
	_, c := remoteWorld(t)
	ctx := t.Context()
	put := func(body string, mod func(*s3.PutObjectInput)) (string, error) {
		in := &s3.PutObjectInput{Bucket: aws.String(stateBucket), Key: aws.String("k"), Body: strings.NewReader(body)}
		mod(in)
		out, err := c.PutObject(ctx, in)
		if err != nil {
			return "", err
		}
		return aws.ToString(out.ETag), nil
	}
	first, err := put("one", func(in *s3.PutObjectInput) { in.IfNoneMatch = aws.String("*") })
	if err != nil {
		t.Fatalf("If-None-Match: * on a new key: %v", err)
	}
	if _, err := put("two", func(in *s3.PutObjectInput) { in.IfNoneMatch = aws.String("*") }); !awserr.HasCode(err, "PreconditionFailed") {
		t.Errorf("If-None-Match: * on an existing key: %v, want PreconditionFailed", err)
	}
	second, err := put("three", func(in *s3.PutObjectInput) { in.IfMatch = aws.String(first) })
	if err != nil {
		t.Fatalf("If-Match with the current ETag: %v", err)
	}
	if _, err := put("four", func(in *s3.PutObjectInput) { in.IfMatch = aws.String(first) }); !awserr.HasCode(err, "PreconditionFailed") {
		t.Errorf("If-Match with an old ETag: %v, want PreconditionFailed", err)
	}
	del := func(etag string) error {
		_, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(stateBucket), Key: aws.String("k"), IfMatch: aws.String(etag)})
		return err
	}
	if err := del(first); !awserr.HasCode(err, "PreconditionFailed") {
		t.Errorf("DeleteObject If-Match with an old ETag: %v, want PreconditionFailed", err)
	}
	if err := del(second); err != nil {
		t.Errorf("DeleteObject If-Match with the current ETag: %v", err)
	}
}

func putRecords(t *testing.T, r *RemoteState, keys ...string) {
	t.Helper()
	var recs []plan.StateRecord
	for _, k := range keys {
		recs = append(recs, plan.StateRecord{SourceKey: k, SourceETag: `"e"`, Size: 1, DestKey: k, DestETag: `"e"`})
	}
	if err := r.store.Apply("job", recs, nil); err != nil {
		t.Fatal(err)
	}
}

func TestRemoteStateRoundTrip(t *testing.T) {
	w, c := remoteWorld(t)
	ctx := t.Context()
	if _, err := w.remote(c, nil).Open(ctx, true, "", nil); !errors.Is(err, ErrNoRemoteState) {
		t.Fatalf("read-only open of a missing state: %v, want ErrNoRemoteState", err)
	}
	r := w.remote(c, nil)
	if _, err := r.Open(ctx, false, "test", nil); err != nil {
		t.Fatal(err)
	}
	putRecords(t, r, "a", "b")
	if err := r.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(stateBucket), Key: aws.String("lakesync/prod.state.lock")}); err == nil {
		t.Error("the lock object is still there after Close")
	}
	if _, err := os.Stat(r.dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the local copy %s is still there after Close: %v", r.dir, err)
	}
	ro := w.remote(c, nil)
	st, err := ro.Open(ctx, true, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rec, err := range st.Records(ctx, "job", "") {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, rec.SourceKey)
	}
	if strings.Join(got, ",") != "a,b" {
		t.Errorf("records after the round trip: %v, want a,b", got)
	}
	if err := ro.Close(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestRemoteStateLock(t *testing.T) {
	w, c := remoteWorld(t)
	ctx := t.Context()
	holder := w.remote(c, nil)
	if _, err := holder.Open(ctx, false, "lakesync apply -c first.hcl", nil); err != nil {
		t.Fatal(err)
	}
	id := holder.lock.ID

	_, err := w.remote(c, nil).Open(ctx, false, "lakesync apply -c second.hcl", nil)
	var locked *StateLockedError
	if !errors.As(err, &locked) || locked.Holder.ID != id || locked.Holder.What != "lakesync apply -c first.hcl" {
		t.Fatalf("second open: %v, want StateLockedError naming lock %s", err, id)
	}
	t.Log(err)

	// A live lease is refused, whoever asks.
	if _, err := w.remote(c, nil).Unlock(ctx, id); err == nil || !strings.Contains(err.Error(), "is live") {
		t.Errorf("unlock of a live lock: %v, want a refusal", err)
	}
	// Past the lease: the wrong id is refused, the right one breaks it.
	later := func() time.Time { return time.Now().Add(DefaultStateLease + time.Minute) }
	if _, err := w.remote(c, later).Unlock(ctx, "0000"); err == nil || !strings.Contains(err.Error(), id) {
		t.Errorf("unlock with a wrong id: %v, want a refusal naming %s", err, id)
	}
	if _, err := w.remote(c, later).Unlock(ctx, id); err != nil {
		t.Fatalf("unlock of an expired lock: %v", err)
	}
	// The broken holder can no longer renew: it must stop.
	if err := holder.refreshLock(ctx); err == nil || !strings.Contains(err.Error(), "lost its lock") {
		t.Errorf("renewing a broken lock: %v, want lost", err)
	}
	next := w.remote(c, nil)
	if _, err := next.Open(ctx, false, "next", nil); err != nil {
		t.Fatalf("open after unlock: %v", err)
	}
	if err := next.Close(ctx); err != nil {
		t.Fatal(err)
	}
	holder.store.Close()
	os.RemoveAll(holder.dir)
}

// TestRemoteStateConflict changes the state object under a run: its
// upload is refused, the other writer's state stays, the run's copy is
// kept and named.
func TestRemoteStateConflict(t *testing.T) {
	w, c := remoteWorld(t)
	ctx := t.Context()
	r := w.remote(c, nil)
	if _, err := r.Open(ctx, false, "test", nil); err != nil {
		t.Fatal(err)
	}
	putRecords(t, r, "a")
	if err := r.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	putRecords(t, r, "b")
	if err := r.Sync(ctx); err != nil {
		t.Fatalf("second upload on the run's own ETag: %v", err)
	}
	foreign := []byte("written by someone else")
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(stateBucket), Key: aws.String("lakesync/prod.state"), Body: bytes.NewReader(foreign)}); err != nil {
		t.Fatal(err)
	}
	putRecords(t, r, "c")
	err := r.Sync(ctx)
	if err == nil || !strings.Contains(err.Error(), "changed by another writer") || !errors.Is(err, ErrStateConflict) || !strings.Contains(err.Error(), "s3://"+stateBucket+"/lakesync/prod.state") {
		t.Fatalf("upload over a changed state: %v, want a refusal naming it", err)
	}
	t.Log(err)
	err = r.Close(ctx)
	if err == nil || !strings.Contains(err.Error(), filepath.Join(r.dir, "state")) {
		t.Errorf("close after a refused upload: %v, want the error naming the kept copy", err)
	}
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(stateBucket), Key: aws.String("lakesync/prod.state")})
	if err != nil {
		t.Fatal(err)
	}
	defer out.Body.Close()
	if got, _ := io.ReadAll(out.Body); !bytes.Equal(got, foreign) {
		t.Errorf("the other writer's state was overwritten: %d bytes", len(got))
	}
	os.RemoveAll(r.dir)
}

// TestRemoteStatePushPull moves a state out and back in.
func TestRemoteStatePushPull(t *testing.T) {
	w, c := remoteWorld(t)
	ctx := t.Context()
	r := w.remote(c, nil)
	if _, err := r.Open(ctx, false, "test", nil); err != nil {
		t.Fatal(err)
	}
	putRecords(t, r, "a")
	if err := r.Close(ctx); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "pulled")
	if err := w.remote(c, nil).Pull(ctx, file); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("pulled file: %v %v, want mode 0600", fi, err)
	}
	other := New(c, stateBucket, "other.state", w.lakeAcct, "", RemoteStateOptions{})
	if err := other.Push(ctx, file, "push"); err != nil {
		t.Fatal(err)
	}
	if err := other.Push(ctx, filepath.Join(t.TempDir(), "missing"), "push"); err == nil {
		t.Error("pushing a missing file succeeded")
	}
	st, err := other.Open(ctx, true, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, err := range st.Records(ctx, "job", "") {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 1 {
		t.Errorf("pushed state has %d records, want 1", n)
	}
	other.Close(ctx)
}

// TestRemoteStateBackground: while a run holds the state, it uploads it
// on its own; when its lock is broken, it is told to stop, and Close
// reports it and keeps the run's copy.
func TestRemoteStateBackground(t *testing.T) {
	w, c := remoteWorld(t)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	r := New(c, stateBucket, "lakesync/prod.state", w.lakeAcct, "",
		RemoteStateOptions{Lease: 300 * time.Millisecond, UploadEvery: 20 * time.Millisecond})
	lost := make(chan error, 1)
	if _, err := r.Open(ctx, false, "test", func(err error) { lost <- err }); err != nil {
		t.Fatal(err)
	}
	putRecords(t, r, "a")
	for {
		if _, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(stateBucket), Key: aws.String("lakesync/prod.state")}); err == nil {
			break
		}
		select {
		case err := <-lost:
			t.Fatalf("stopped before any upload: %v", err)
		case <-ctx.Done():
			t.Fatal("the state was never uploaded while the run held it")
		case <-time.After(10 * time.Millisecond):
		}
	}
	if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(stateBucket), Key: aws.String("lakesync/prod.state.lock")}); err != nil {
		t.Fatal(err)
	}
	var err error
	select {
	case err = <-lost:
	case <-ctx.Done():
		t.Fatal("the run was never told it lost its lock")
	}
	if !strings.Contains(err.Error(), "lost its lock") {
		t.Errorf("lost: %v, want the lock named as lost", err)
	}
	if cerr := r.Close(ctx); cerr == nil || !strings.Contains(cerr.Error(), "lost its lock") || !strings.Contains(cerr.Error(), r.dir) {
		t.Errorf("close after losing the lock: %v, want the loss and the kept copy", cerr)
	}
	os.RemoveAll(r.dir)
}
