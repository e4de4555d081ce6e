package s3state

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// testClock is a clock the test moves.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *testClock) advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// lockObject reads the lock object: its lock and its ETag.
func lockObject(ctx context.Context, t *testing.T, c *s3.Client) (StateLock, string) {
	t.Helper()
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(stateBucket), Key: aws.String("lakesync/prod.state.lock")})
	if err != nil {
		t.Fatalf("read the lock object: %v", err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	must(t, err)
	var l StateLock
	must(t, json.Unmarshal(b, &l))
	return l, aws.ToString(out.ETag)
}

// TestRemoteStateLeaseRenewals: three renewals in a row each extend the
// lease and keep the lock object's new ETag, so the next renewal and the
// release (both conditional on it) still find the lock theirs. A renewal
// that kept the old ETag would lose the lock at the second renewal, and
// every CI run would stop after two lease periods. The lock and the state
// object are written with SSE-KMS under the state's key.
func TestRemoteStateLeaseRenewals(t *testing.T) {
	w, c := remoteWorld(t)
	ctx := t.Context()
	keyARN, err := w.lake.CreateKey(ctx, "")
	must(t, err)
	clock := &testClock{now: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)}
	r := New(c, stateBucket, "lakesync/prod.state", w.lakeAcct, keyARN, RemoteStateOptions{Now: clock.Now})
	if _, err := r.Open(ctx, false, "lakesync apply", nil); err != nil {
		t.Fatal(err)
	}
	first, firstETag := lockObject(ctx, t, c)
	prevETag := firstETag
	for i := 1; i <= 3; i++ {
		clock.advance(2 * time.Minute)
		if err := r.refreshLock(ctx); err != nil {
			t.Fatalf("renewal %d: %v", i, err)
		}
		l, etag := lockObject(ctx, t, c)
		if want := clock.Now().Add(DefaultStateLease); !l.LeaseUntil.Equal(want) {
			t.Errorf("renewal %d: lease until %s, want %s", i, l.LeaseUntil, want)
		}
		if l.ID != first.ID {
			t.Errorf("renewal %d changed the lock id %s to %s", i, first.ID, l.ID)
		}
		if etag == prevETag {
			t.Errorf("renewal %d did not rewrite the lock object (ETag %s unchanged)", i, etag)
		}
		if r.lockETag != etag {
			t.Errorf("renewal %d: the run keeps ETag %s, the lock object has %s", i, r.lockETag, etag)
		}
		prevETag = etag
	}
	// Past the first lease, the lock is still live for anyone else.
	_, err = New(c, stateBucket, "lakesync/prod.state", w.lakeAcct, keyARN, RemoteStateOptions{Now: clock.Now}).Open(ctx, false, "other", nil)
	var locked *StateLockedError
	if !errors.As(err, &locked) || locked.Holder.ID != first.ID || locked.Holder.Expired(clock.Now()) {
		t.Errorf("open by another run after 3 renewals: %v, want the live lock %s", err, first.ID)
	}
	putRecords(t, r, "a")
	if err := r.Close(ctx); err != nil {
		t.Fatalf("close after renewals: %v", err)
	}
	if _, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(stateBucket), Key: aws.String("lakesync/prod.state.lock")}); err == nil {
		t.Error("the lock object is still there after Close: the release's If-Match missed the renewed ETag")
	}
	h, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(stateBucket), Key: aws.String("lakesync/prod.state")})
	must(t, err)
	if h.ServerSideEncryption != s3types.ServerSideEncryptionAwsKms || aws.ToString(h.SSEKMSKeyId) != keyARN {
		t.Errorf("state object encrypted with %q key %q, want aws:kms with %s", h.ServerSideEncryption, aws.ToString(h.SSEKMSKeyId), keyARN)
	}
}

// TestRemoteStateLockEncrypted: the lock object is written with SSE-KMS
// under the state's key, on acquisition and on renewal.
func TestRemoteStateLockEncrypted(t *testing.T) {
	w, c := remoteWorld(t)
	ctx := t.Context()
	keyARN, err := w.lake.CreateKey(ctx, "")
	must(t, err)
	r := New(c, stateBucket, "lakesync/prod.state", w.lakeAcct, keyARN, RemoteStateOptions{})
	if _, err := r.Open(ctx, false, "lakesync apply", nil); err != nil {
		t.Fatal(err)
	}
	defer r.Close(ctx)
	for _, step := range []string{"acquired", "renewed"} {
		if step == "renewed" {
			must(t, r.refreshLock(ctx))
		}
		h, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(stateBucket), Key: aws.String("lakesync/prod.state.lock")})
		must(t, err)
		if h.ServerSideEncryption != s3types.ServerSideEncryptionAwsKms || aws.ToString(h.SSEKMSKeyId) != keyARN {
			t.Errorf("lock %s: encrypted with %q key %q, want aws:kms with %s", step, h.ServerSideEncryption, aws.ToString(h.SSEKMSKeyId), keyARN)
		}
	}
}

// TestRemoteStateBackgroundRenews: the background work renews the lease
// again and again (three renewals seen on the lock object) without ever
// reporting the lock lost.
func TestRemoteStateBackgroundRenews(t *testing.T) {
	w, c := remoteWorld(t)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	r := New(c, stateBucket, "lakesync/prod.state", w.lakeAcct, "",
		RemoteStateOptions{Lease: 300 * time.Millisecond, UploadEvery: time.Hour})
	lost := make(chan error, 1)
	if _, err := r.Open(ctx, false, "test", func(err error) { lost <- err }); err != nil {
		t.Fatal(err)
	}
	_, etag := lockObject(ctx, t, c)
	for renewals := 0; renewals < 3; {
		select {
		case err := <-lost:
			t.Fatalf("lost the lock after %d renewals: %v", renewals, err)
		case <-ctx.Done():
			t.Fatalf("only %d renewals seen before the test's deadline", renewals)
		case <-time.After(20 * time.Millisecond):
		}
		if _, e := lockObject(ctx, t, c); e != etag {
			renewals++
			etag = e
		}
	}
	if err := r.Close(ctx); err != nil {
		t.Fatalf("close: %v", err)
	}
	select {
	case err := <-lost:
		t.Errorf("lost reported: %v", err)
	default:
	}
}
