package s3state

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/awserr"
	"github.com/lakesync/lakesync/internal/exec/state"
)

// DefaultStateUploadEvery is how often a run uploads its state while it
// runs, so a killed runner loses little.
const DefaultStateUploadEvery = 2 * time.Minute

// ErrNoRemoteState is wrapped by the error of a read-only open of a remote
// state that does not exist yet.
var ErrNoRemoteState = fmt.Errorf("no remote state yet: %w", fs.ErrNotExist)

// ErrStateConflict is wrapped by the errors that must stop a run on an S3
// state: its lock was broken or taken over, or another writer changed the
// state since this run read it.
var ErrStateConflict = errors.New("remote state conflict")

// StateS3API is the S3 operations of a remote state.
type StateS3API interface {
	GetObject(ctx context.Context, params *s3.GetObjectInput, optFns ...func(*s3.Options)) (*s3.GetObjectOutput, error)
	HeadObject(ctx context.Context, params *s3.HeadObjectInput, optFns ...func(*s3.Options)) (*s3.HeadObjectOutput, error)
	PutObject(ctx context.Context, params *s3.PutObjectInput, optFns ...func(*s3.Options)) (*s3.PutObjectOutput, error)
	DeleteObject(ctx context.Context, params *s3.DeleteObjectInput, optFns ...func(*s3.Options)) (*s3.DeleteObjectOutput, error)
}

// RemoteStateOptions tune a remote state; zero values are the defaults.
type RemoteStateOptions struct {
	Lease       time.Duration    // DefaultStateLease
	UploadEvery time.Duration    // DefaultStateUploadEvery
	Now         func() time.Time // time.Now
}

// RemoteState is the state store kept in S3 (state { backend = "s3" }): a
// run takes the lock object <key>.lock with a conditional write, downloads
// the state (the base <key> and its deltas, deltas.go) to a private
// temporary file and runs on it as a local bbolt store, checkpoints what
// changed, conditional on the ETags it last read (every UploadEvery and
// at the end), and releases the lock. Two writers never overwrite each
// other: a refused upload stops the run and keeps its copy.
type RemoteState struct {
	client      StateS3API
	bucket, key string
	acct        *config.Account
	kmsKeyID    string
	now         func() time.Time
	lease       time.Duration
	uploadEvery time.Duration

	readOnly bool
	dir      string // private temporary directory of the local copy
	store    *state.Store
	stop     chan struct{}
	done     chan struct{}

	syncMu     sync.Mutex  // one checkpoint at a time; it guards:
	baseBytes  int64       // size of the base last read or written
	deltas     []deltaPart // the deltas on top of it
	deltaBytes int64       // their total size
	seq        int         // the number of this run's last delta

	mu       sync.Mutex
	lock     StateLock
	lockETag string // "" when this run holds no lock
	etag     string // of the base last read or written; "" when none
	idxETag  string // of the index of the deltas last read or written; "" when none
	failed   error  // why the background work stopped the run
}

// New is the remote state at s3://bucket/key in account acct, read and
// written through client; kmsKeyID ("" for none) encrypts what it
// uploads. Nothing is read or locked until Open.
func New(client StateS3API, bucket, key string, acct *config.Account, kmsKeyID string, opts RemoteStateOptions) *RemoteState {
	r := &RemoteState{client: client, bucket: bucket, key: key, acct: acct, kmsKeyID: kmsKeyID,
		now: opts.Now, lease: opts.Lease, uploadEvery: opts.UploadEvery}
	if r.now == nil {
		r.now = time.Now
	}
	if r.lease <= 0 {
		r.lease = DefaultStateLease
	}
	if r.uploadEvery <= 0 {
		r.uploadEvery = DefaultStateUploadEvery
	}
	return r
}

// Location is s3://bucket/key.
func (r *RemoteState) Location() string { return "s3://" + r.bucket + "/" + r.key }

// loc names an object of the state for messages, with its account.
func (r *RemoteState) loc(key string) string {
	return fmt.Sprintf("s3://%s/%s in account %q (%s)", r.bucket, key, r.acct.Name, r.acct.ID)
}

func (r *RemoteState) arn(key string) string { return "arn:aws:s3:::" + r.bucket + "/" + key }

// Open reads the state into a local store. For writing it first takes the
// lock (what, the command line, is recorded in it), and keeps the lock and
// uploads the state in the background until Close; lost is called once if
// that background work must stop the run (the lock was broken, or another
// writer changed the state). Read-only opens take no lock and return an
// error wrapping ErrNoRemoteState when there is no state yet.
func (r *RemoteState) Open(ctx context.Context, readOnly bool, what string, lost func(error)) (*state.Store, error) {
	r.readOnly = readOnly
	if !readOnly {
		if err := r.acquireLock(ctx, what); err != nil {
			return nil, err
		}
	}
	store, err := r.download(ctx)
	if err != nil {
		if !readOnly {
			_ = r.releaseLock(context.WithoutCancel(ctx))
		}
		return nil, err
	}
	r.store = store
	if !readOnly {
		r.stop, r.done = make(chan struct{}), make(chan struct{})
		go r.background(context.WithoutCancel(ctx), lost)
	}
	return store, nil
}

// download copies the state (its base and deltas) to a new private file
// and opens it; a writer's store tracks its changes for the checkpoints.
func (r *RemoteState) download(ctx context.Context) (*state.Store, error) {
	dir, err := os.MkdirTemp("", "lakesync-state-*") // mode 0700
	if err != nil {
		return nil, fmt.Errorf("a temporary directory for the state %s: %w", r.Location(), err)
	}
	r.dir = dir
	path := filepath.Join(dir, "state")
	store, err := r.fetch(ctx, path, !r.readOnly)
	switch {
	case errors.Is(err, ErrNoRemoteState) && !r.readOnly:
		// A new state: bbolt creates the file.
	case err != nil:
		os.RemoveAll(dir)
		return nil, err
	}
	if store != nil && !r.readOnly {
		return store, nil
	}
	if store != nil {
		if err := store.Close(); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	store, err = state.Open(path, state.Options{ReadOnly: r.readOnly, TrackChanges: !r.readOnly})
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("the state %s: %w", r.loc(r.key), err)
	}
	return store, nil
}

// get writes the state object to a new file at path (mode 0600) and
// returns its ETag.
func (r *RemoteState) get(ctx context.Context, path string) (string, error) {
	out, err := r.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(r.bucket), Key: aws.String(r.key)})
	if awserr.HasCode(err, "NoSuchKey", "NotFound") {
		return "", fmt.Errorf("%s: %w", r.loc(r.key), ErrNoRemoteState)
	}
	if err != nil {
		return "", awserr.New("s3:GetObject", r.arn(r.key), r.acct, err)
	}
	defer out.Body.Close()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", fmt.Errorf("download the state %s: %w", r.Location(), err)
	}
	_, err = io.Copy(f, out.Body)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return "", fmt.Errorf("download the state %s to %s: %w", r.loc(r.key), path, err)
	}
	return aws.ToString(out.ETag), nil
}

// background renews the lock every lease/3 and uploads the state every
// uploadEvery until Close.
func (r *RemoteState) background(ctx context.Context, lost func(error)) {
	defer close(r.done)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		<-r.stop
		cancel()
	}()
	renew := time.NewTicker(r.lease / 3)
	defer renew.Stop()
	upload := time.NewTicker(r.uploadEvery)
	defer upload.Stop()
	for {
		var err error
		select {
		case <-r.stop:
			return
		case <-renew.C:
			err = r.refreshLock(ctx)
		case <-upload.C:
			err = r.Sync(ctx)
		}
		// Other failures (the SDK has retried them) are tried again at the
		// next tick; the lease outlasts two missed renewals, and Close
		// uploads a last time.
		if errors.Is(err, ErrStateConflict) && ctx.Err() == nil {
			r.mu.Lock()
			r.failed = err
			r.mu.Unlock()
			if lost != nil {
				lost(err)
			}
			return
		}
	}
}

// Close stops the background work, uploads the state a last time, closes
// the local store and releases the lock. The upload and the release run
// even when ctx is cancelled (an interrupted run keeps what it did). When
// the state could not be uploaded, the local copy is kept and named.
func (r *RemoteState) Close(ctx context.Context) error {
	if r.store == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	if r.stop != nil {
		close(r.stop)
		<-r.done
	}
	r.mu.Lock()
	err := r.failed
	r.mu.Unlock()
	if err == nil && !r.readOnly {
		err = r.Sync(ctx)
	}
	if cerr := r.store.Close(); err == nil {
		err = cerr
	}
	r.store = nil
	if !r.readOnly {
		if lerr := r.releaseLock(ctx); err == nil {
			err = lerr
		}
	}
	if err != nil && !r.readOnly {
		return fmt.Errorf("%w; this run's state is kept in %s", err, filepath.Join(r.dir, "state"))
	}
	return errors.Join(err, os.RemoveAll(r.dir))
}
