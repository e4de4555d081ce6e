package s3state

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/user"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakesync/lakesync/internal/exec/awserr"
)

// DefaultStateLease is how long a remote state lock stays valid without a
// refresh; a run refreshes it every lease/3, so only a run that is gone
// (killed, its machine lost) lets it expire.
const DefaultStateLease = 5 * time.Minute

// StateLock is the content of the lock object <key>.lock of a remote state.
type StateLock struct {
	ID         string    `json:"id"`
	Who        string    `json:"who"`  // user@host (pid N)
	When       time.Time `json:"when"` // when the lock was taken
	What       string    `json:"what"` // the command that holds it
	LeaseUntil time.Time `json:"lease_until"`
}

// Expired reports whether the holder's lease has run out at now.
func (l *StateLock) Expired(now time.Time) bool { return !now.Before(l.LeaseUntil) }

// newStateLock describes this process holding the lock from now.
func newStateLock(what string, now time.Time, lease time.Duration) (StateLock, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return StateLock{}, err
	}
	name := "unknown"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	host, err := os.Hostname()
	if err != nil {
		host = "unknown-host"
	}
	return StateLock{
		ID:         hex.EncodeToString(b[:]),
		Who:        fmt.Sprintf("%s@%s (pid %d)", name, host, os.Getpid()),
		When:       now.UTC(),
		What:       what,
		LeaseUntil: now.Add(lease).UTC(),
	}, nil
}

func parseStateLock(b []byte) (StateLock, error) {
	var l StateLock
	if err := json.Unmarshal(b, &l); err != nil {
		return l, err
	}
	if l.ID == "" {
		return l, errors.New("no id")
	}
	return l, nil
}

// StateLockedError is returned when another run holds the remote state.
type StateLockedError struct {
	Loc    string // s3://bucket/key.lock in account "x" (id)
	Holder StateLock
	Now    time.Time
}

func (e *StateLockedError) Error() string {
	h := e.Holder
	msg := fmt.Sprintf("the state is locked by another lakesync run: lock %s, id %s, held by %s since %s, running %q; ",
		e.Loc, h.ID, h.Who, h.When.Format(time.RFC3339), h.What)
	if h.Expired(e.Now) {
		return msg + fmt.Sprintf("its lease ran out at %s, so that run is gone: if it is, break the lock with `lakesync state unlock %s` and try again",
			h.LeaseUntil.Format(time.RFC3339), h.ID)
	}
	return msg + fmt.Sprintf("wait for it to finish (its lease runs until %s and is renewed while it runs); if it was killed, run `lakesync state unlock %s` once the lease has run out",
		h.LeaseUntil.Format(time.RFC3339), h.ID)
}

// lockKey is the key of the lock object of the state object key.
func lockKey(key string) string { return key + ".lock" }

// lockInput is the write of lock l as the lock object; the caller adds
// the condition (no lock yet, or still the one this run wrote).
func (r *RemoteState) lockInput(l StateLock) *s3.PutObjectInput {
	body, _ := json.Marshal(l)
	in := &s3.PutObjectInput{
		Bucket:      aws.String(r.bucket),
		Key:         aws.String(lockKey(r.key)),
		Body:        bytes.NewReader(body),
		ContentType: aws.String("application/json"),
	}
	r.encrypt(in)
	return in
}

// acquireLock writes the lock object only if there is none. On a refusal
// it reads the holder and returns a *StateLockedError.
func (r *RemoteState) acquireLock(ctx context.Context, what string) error {
	l, err := newStateLock(what, r.now(), r.lease)
	if err != nil {
		return err
	}
	in := r.lockInput(l)
	in.IfNoneMatch = aws.String("*")
	out, err := r.client.PutObject(ctx, in)
	if awserr.HasCode(err, "PreconditionFailed", "ConditionalRequestConflict") {
		holder, _, rerr := r.readLock(ctx)
		if rerr != nil {
			return fmt.Errorf("the state is locked by another lakesync run (lock %s), whose lock cannot be read: %w", r.loc(lockKey(r.key)), rerr)
		}
		return &StateLockedError{Loc: r.loc(lockKey(r.key)), Holder: holder, Now: r.now()}
	}
	if err != nil {
		return awserr.New("s3:PutObject", r.arn(lockKey(r.key)), r.acct, err)
	}
	r.mu.Lock()
	r.lock, r.lockETag = l, aws.ToString(out.ETag)
	r.mu.Unlock()
	return nil
}

// readLock reads the lock object and its ETag.
func (r *RemoteState) readLock(ctx context.Context) (StateLock, string, error) {
	out, err := r.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(r.bucket), Key: aws.String(lockKey(r.key))})
	if err != nil {
		return StateLock{}, "", awserr.New("s3:GetObject", r.arn(lockKey(r.key)), r.acct, err)
	}
	defer out.Body.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(out.Body); err != nil {
		return StateLock{}, "", awserr.New("s3:GetObject", r.arn(lockKey(r.key)), r.acct, err)
	}
	l, err := parseStateLock(buf.Bytes())
	if err != nil {
		return StateLock{}, "", fmt.Errorf("lock %s is not a lakesync lock (%v): delete it by hand if no lakesync run holds it", r.loc(lockKey(r.key)), err)
	}
	return l, aws.ToString(out.ETag), nil
}

// refreshLock extends the lease, only if the lock object is still the one
// this run wrote.
func (r *RemoteState) refreshLock(ctx context.Context) error {
	r.mu.Lock()
	l, etag := r.lock, r.lockETag
	r.mu.Unlock()
	l.LeaseUntil = r.now().Add(r.lease).UTC()
	in := r.lockInput(l)
	in.IfMatch = aws.String(etag)
	out, err := r.client.PutObject(ctx, in)
	if awserr.HasCode(err, "PreconditionFailed", "NoSuchKey", "NotFound", "ConditionalRequestConflict") {
		return fmt.Errorf("%w: this run lost its lock %s (id %s): it was broken or taken over by another run; stopping so that two runs never write the state at once", ErrStateConflict, r.loc(lockKey(r.key)), l.ID)
	}
	if err != nil {
		return awserr.New("s3:PutObject", r.arn(lockKey(r.key)), r.acct, err)
	}
	r.mu.Lock()
	r.lock, r.lockETag = l, aws.ToString(out.ETag)
	r.mu.Unlock()
	return nil
}

// releaseLock deletes the lock object if it is still ours.
func (r *RemoteState) releaseLock(ctx context.Context) error {
	r.mu.Lock()
	etag := r.lockETag
	r.lockETag = ""
	r.mu.Unlock()
	if etag == "" {
		return nil
	}
	_, err := r.client.DeleteObject(ctx, &s3.DeleteObjectInput{
		Bucket: aws.String(r.bucket), Key: aws.String(lockKey(r.key)), IfMatch: aws.String(etag),
	})
	if awserr.HasCode(err, "PreconditionFailed", "NoSuchKey", "NotFound") {
		return nil // no longer ours: someone broke it; leave theirs alone
	}
	return awserr.New("s3:DeleteObject", r.arn(lockKey(r.key)), r.acct, err)
}

// Unlock breaks a stale lock: it deletes the lock object only if its id is
// id and its lease has run out. A live lease is refused: its run is still
// renewing it.
func (r *RemoteState) Unlock(ctx context.Context, id string) (StateLock, error) {
	l, etag, err := r.readLock(ctx)
	if awserr.HasCode(err, "NoSuchKey", "NotFound") {
		return l, fmt.Errorf("there is no lock %s: the state is not locked", r.loc(lockKey(r.key)))
	}
	if err != nil {
		return l, err
	}
	if l.ID != id {
		return l, fmt.Errorf("lock %s has id %s, not %s (held by %s since %s): give the id of the lock to break", r.loc(lockKey(r.key)), l.ID, id, l.Who, l.When.Format(time.RFC3339))
	}
	if now := r.now(); !l.Expired(now) {
		return l, fmt.Errorf("lock %s (id %s) is live: %s, running %q, renews its lease, which runs until %s; stop that run, or wait until the lease runs out after it is gone",
			r.loc(lockKey(r.key)), l.ID, l.Who, l.What, l.LeaseUntil.Format(time.RFC3339))
	}
	_, err = r.client.DeleteObject(ctx, &s3.DeleteObjectInput{
		Bucket: aws.String(r.bucket), Key: aws.String(lockKey(r.key)), IfMatch: aws.String(etag),
	})
	if awserr.HasCode(err, "PreconditionFailed") {
		return l, fmt.Errorf("lock %s changed while breaking it (its holder renewed it, or another run took it): look again with `lakesync state unlock`", r.loc(lockKey(r.key)))
	}
	return l, awserr.New("s3:DeleteObject", r.arn(lockKey(r.key)), r.acct, err)
}
