package copier

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/plan"
)

// Copier runs the copy of one job: it lists the source, the state and
// (sync) the destination, merges them as sorted streams into decisions,
// and copies, adopts and deletes with one bounded pool of requests,
// recording each object in the state once it is fully written.
//
// Server-side transfer: Source and Destination are both the copier
// role's client (CopyObject and UploadPartCopy read the source with the
// destination call's credentials). Stream transfer: Source acts as the
// source account, Destination as the destination account.
type Copier struct {
	Source      CopySource
	Destination CopyDestination
	State       *state.Store
	Listener    CopyListener // may be nil
	// KMSKeyID is the destination CMK written on every object (a key ARN);
	// empty: the job's destination key ARN, or no SSE-KMS header when the
	// destination bucket has no key.
	KMSKeyID string
	// AdoptBySize adopts unrecorded destination objects of the same size
	// when no full-object checksum can be compared.
	AdoptBySize bool
	// AdoptOnly records the destination objects that can be adopted and
	// copies and deletes nothing: lakesync state rebuild.
	AdoptOnly bool
	// GracePeriod is how long in-flight objects may take to finish after
	// the context is cancelled (default 30s); multipart copies are aborted
	// at once.
	GracePeriod time.Duration
	// CommitEvery and CommitInterval batch state writes (defaults 500
	// records, 1s).
	CommitEvery    int
	CommitInterval time.Duration
	// Shard restricts the run to one shard of the job's keys (source,
	// state and destination alike); the zero Shard is every key. Each
	// shard needs a State of its own.
	Shard plan.Shard
	// Restorer sends the restore requests of archived = "restore" (the
	// source account's client); nil: Source, when it can.
	Restorer ObjectRestorer
	// Bandwidth caps the bytes per second a stream copy reads (apply
	// --bandwidth); 0: the job's bandwidth, if any.
	Bandwidth int64
	// Ranges are the key ranges of the job's keys the run lists (a
	// shard's ranges of a saved plan: plan.ShardRanges); nil: every key,
	// divided at the run's start (RangeBoundaries) and as ranges prove
	// large.
	Ranges []plan.KeyRange
}

// run is the state of one Run.
type run struct {
	c        *Copier
	job      *config.Job
	sel      *plan.Selector
	rules    plan.Rules
	pool     *requestPool
	opts     *requestOpts
	buffers  *bufferPool
	commit   *state.Committer
	kmsKeyID string
	stopped  context.Context // the caller's: done means stop scheduling
	work     context.Context // requests: outlives stopped by the grace period
	fatal    context.CancelCauseFunc

	// listing is the S3 Inventory read as the source listing; nil: the
	// source bucket is listed.
	listing *plan.SourceListing

	// left are the uploads earlier runs left, to resume.
	left leftovers

	mu  sync.Mutex // guards sum and listener calls
	sum CopySummary
}

// Run copies job and returns what it did. The error is nil when every
// object went through; it wraps ErrInterrupted when ctx was cancelled, is
// an *ObjectsFailedError when some objects failed, and is any other error
// when the run could not go on (listing, credentials, state writes).
func (c *Copier) Run(ctx context.Context, job *config.Job) (CopySummary, error) {
	start := time.Now()
	r, err := c.newRun(ctx, job)
	if err != nil {
		return CopySummary{Job: job.Name}, err
	}
	defer r.fatal(nil)
	stopGrace := context.AfterFunc(ctx, func() {
		time.AfterFunc(r.grace(), func() { r.fatal(ErrInterrupted) })
	})
	defer stopGrace()

	r.leftoverUploads()
	r.commit = c.State.NewCommitter(job.Name, c.CommitEvery, c.CommitInterval)
	loopErr := r.schedule()
	if loopErr == nil {
		r.abortUnclaimed()
	}
	commitErr := r.commit.Close()

	r.mu.Lock()
	sum := r.sum
	r.mu.Unlock()
	sum.Duration = time.Since(start)
	sum.Retries = r.opts.retries.Load()
	u := r.pool.usage()
	sum.ConcurrencyMax, sum.ConcurrencyAvg = u.Max, u.Avg
	r.emit(&sum)

	switch cause := context.Cause(r.work); {
	case loopErr != nil:
		return sum, loopErr
	case commitErr != nil:
		return sum, commitErr
	case ctx.Err() != nil:
		return sum, fmt.Errorf("job %q: %w after %d object(s); run again to resume", job.Name, ErrInterrupted, sum.Copied+sum.Adopted+sum.Deleted)
	case cause != nil && !errors.Is(cause, context.Canceled):
		return sum, fmt.Errorf("job %q: %w", job.Name, cause)
	case sum.Failed > 0:
		return sum, &ObjectsFailedError{Job: job.Name, Failures: sum.Failures, Count: sum.Failed}
	}
	return sum, nil
}

func (c *Copier) newRun(ctx context.Context, job *config.Job) (*run, error) {
	if c.Source == nil || c.Destination == nil || c.State == nil {
		return nil, fmt.Errorf("job %q: the copier needs a source, a destination and a state store", job.Name)
	}
	sel, err := plan.NewSelector(job, plan.WithShard(c.Shard))
	if err != nil {
		return nil, err
	}
	rules := plan.RulesFor(job)
	rules.AdoptBySize = c.AdoptBySize
	pool := newJobPool(job)
	work, fatal := context.WithCancelCause(context.WithoutCancel(ctx))
	r := &run{c: c, job: job, sel: sel, rules: rules, pool: pool, opts: newJobOpts(job, c.Bandwidth), buffers: newBufferPool(pool.size),
		kmsKeyID: c.KMSKeyID, stopped: ctx, work: work, fatal: fatal, sum: CopySummary{Job: job.Name}}
	if r.kmsKeyID == "" && job.Destination.Key != nil {
		r.kmsKeyID = job.Destination.Key.Ref()
	}
	return r, nil
}

func (r *run) grace() time.Duration {
	if r.c.GracePeriod > 0 {
		return r.c.GracePeriod
	}
	return 30 * time.Second
}

// halted reports whether scheduling must stop.
func (r *run) halted() bool { return r.stopped.Err() != nil || r.work.Err() != nil }

// record runs a state write; its failure stops the run: nothing more
// could be recorded.
func (r *run) record(fn func() error) bool {
	if err := fn(); err != nil {
		r.fatal(err)
		return false
	}
	return true
}

func (r *run) count(fn func(*CopySummary)) {
	r.mu.Lock()
	fn(&r.sum)
	r.mu.Unlock()
}

func (r *run) emit(e CopyEvent) {
	if r.c.Listener == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.c.Listener.OnCopyEvent(e)
}

// done records the outcome of one object.
func (r *run) done(d *ObjectDone) {
	d.InFlight, d.Limit = r.pool.lim.InFlight(), r.pool.lim.Limit()
	r.mu.Lock()
	switch {
	case d.Err != nil:
		r.sum.Failed++
		if len(r.sum.Failures) < maxFailures {
			r.sum.Failures = append(r.sum.Failures, ObjectFailure{Key: d.Key, Err: d.Err})
		} else {
			r.sum.Truncated = true
		}
	case d.Action == plan.ObjectAdopt:
		r.sum.Adopted++
	case d.Action == plan.ObjectDelete:
		r.sum.Deleted++
	case d.Action == plan.ObjectKeep:
		r.sum.Skipped++
	case d.Action == plan.ObjectGone:
		r.sum.Gone++
	default:
		r.sum.Copied++
		r.sum.Bytes += d.Bytes
	}
	r.mu.Unlock()
	r.emit(d)
}
