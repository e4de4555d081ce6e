package copier

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"runtime/debug"
	"sync"
	"time"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/copier/limit"
)

// requestPool bounds the requests in flight in one run: objects, parts,
// listings and deletes all take a slot for each request. Size the HTTP
// transport to the same number (Accounts.S3's maxConns).
//
// The one rule of the copier's concurrency: nothing holds a slot while
// waiting for another, so there are no pools inside pools and no
// deadlock. It holds by construction:
//   - do is the only way to take a slot, and the slot is held only while
//     its fn runs;
//   - a fn is one request, or one sequence holding a single connection at
//     a time (a ranged GET then its UploadPart); do refuses a slot to a
//     fn's own ctx (errSlotHeld), so a fn cannot wait for a second one;
//   - fan-out (the parts of an upload, the objects of a verify) is an
//     errgroup.WithContext whose goroutines each call do per request: a
//     goroutine waiting for a slot holds none, and the group's Wait is
//     never called inside a fn.
//
// Two shapes are not an errgroup, and hold no slot either: the objects
// of a run go to workers (below), which keep their goroutines for the
// whole run and collect no error (an object records its own outcome, and
// a fatal one cancels the run's requests through run.fatal); and each
// listing has one goroutine fetching the next page into a channel of one
// (listPages), a producer running ahead of its consumer, not a fan-out.
type requestPool struct {
	// lim admits the requests: adaptive for concurrency = "auto", fixed
	// (Min = Max = n) for a number, so both report the same Usage.
	lim *limit.Adaptive
	// size is the most slots the pool ever has (the limiter's Max), and
	// the width of every fan-out over the pool: more goroutines than
	// slots would only wait for one.
	size int
	// throttle is how do waits out S3 shedding load (see do).
	throttle throttlePolicy
}

// throttlePolicy is how long a request that S3 throttled on every attempt
// of the SDK's retryer is tried again: rounds of the retryer's attempts,
// backoff(round) apart, until patience has passed since the first
// throttled round.
type throttlePolicy struct {
	patience time.Duration
	backoff  func(round int) time.Duration
}

// defaultThrottle tries a throttled request for ten minutes, rounds 1 s,
// 2 s, 4 s ... up to 20 s apart with full jitter: S3 answers SlowDown
// while it repartitions a prefix, which takes minutes, and the limiter
// has cut the requests in flight meanwhile.
func defaultThrottle() throttlePolicy {
	return throttlePolicy{
		patience: 10 * time.Minute,
		backoff: func(round int) time.Duration {
			d := min(20*time.Second, time.Second<<min(round, 5))
			return rand.N(d) + 1
		},
	}
}

// newRequestPool is a pool of size slots, fixed.
func newRequestPool(size int) *requestPool {
	size = max(size, 1)
	return &requestPool{lim: limit.NewAdaptive(limit.Config{Initial: size, Min: size, Max: size}), size: size, throttle: defaultThrottle()}
}

// newJobPool is the pool of job's requests: fixed at its concurrency, or,
// with concurrency = "auto", adaptive from config.DefaultConcurrency up to
// MaxInFlight(job).
func newJobPool(job *config.Job) *requestPool {
	if job.Concurrency > 0 {
		return newRequestPool(min(job.Concurrency, config.MaxConcurrency))
	}
	n := MaxInFlight(job)
	return &requestPool{lim: limit.NewAdaptive(limit.Config{Initial: config.DefaultConcurrency, Max: n}), size: n, throttle: defaultThrottle()}
}

// usage is what the run's summary reports of the requests in flight.
func (p *requestPool) usage() limit.Usage { return p.lim.Usage() }

// errSlotHeld is do called with the ctx of a fn already holding a slot: a
// bug, which would deadlock once every slot's holder waited so.
var errSlotHeld = errors.New("internal error: a request asked for a second request slot while holding one")

// slotKey marks the ctx a fn runs with; its value is the slot's
// *limit.Token, which the retryer tells of throttled attempts.
type slotKey struct{}

// slotToken is the token of the slot ctx runs in, or nil.
func slotToken(ctx context.Context) *limit.Token {
	tok, _ := ctx.Value(slotKey{}).(*limit.Token)
	return tok
}

// do runs fn in a slot, once one is free; it runs nothing once ctx is
// done. This is the only place a slot is taken and given back, and the
// limiter learns fn's outcome here (see outcome).
//
// SlowDown never fails a request while S3 still answers: when S3 has
// throttled every attempt the SDK's retryer made, the slot is given back
// (a drop: the limiter shrinks), do waits the policy's back-off holding
// no slot, and runs fn again in a new slot, until the policy's patience
// has passed. Every fn is one idempotent request or sequence (a listing
// page, a HEAD, a CopyObject, a part), so running it again is safe.
func (p *requestPool) do(ctx context.Context, fn func(ctx context.Context) error) error {
	if ctx.Value(slotKey{}) != nil {
		return errSlotHeld
	}
	var first time.Time
	for round := 0; ; round++ {
		err := p.once(ctx, fn)
		if !throttled(err) || ctx.Err() != nil {
			return err
		}
		if round == 0 {
			first = time.Now()
		}
		if time.Since(first) >= p.throttle.patience {
			return err
		}
		t := time.NewTimer(p.throttle.backoff(round))
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
	}
}

// once runs fn in one slot.
func (p *requestPool) once(ctx context.Context, fn func(ctx context.Context) error) (err error) {
	tok, err := p.lim.Acquire(ctx)
	if err != nil {
		return err
	}
	defer func() { tok.Release(outcome(ctx, err)) }()
	return fn(context.WithValue(ctx, slotKey{}, tok))
}

// outcome is what fn's error says of the load on S3: nothing when it
// was cancelled or refused (4xx: access, precondition, missing key); a
// drop when it was throttled (every attempt throttled: the retryer has
// told the token already at each retry); a latency sample when it
// succeeded.
func outcome(ctx context.Context, err error) limit.Outcome {
	switch {
	case err == nil:
		return limit.Success
	case ctx.Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return limit.Ignored
	case throttled(err):
		return limit.Dropped
	}
	return limit.Ignored
}

// MaxInFlight is the most requests in flight a run of job may reach:
// its concurrency when fixed; with "auto", config.MaxConcurrency, and for
// a stream job no more part buffers than the memory budget holds (see
// streamMemory). Size the HTTP transport's connections to it.
func MaxInFlight(job *config.Job) int {
	if job.Concurrency > 0 {
		return min(job.Concurrency, config.MaxConcurrency)
	}
	return autoMaxInFlight(job, streamMemory())
}

// streamOverhead is the memory of a run beside its part buffers, in the
// bound the README promises: part_size x in-flight parts + 64 MiB.
const streamOverhead = 64 << 20

// defaultStreamMemory is the memory budget of an adaptive stream job
// without GOMEMLIMIT: what today's fixed default held (64 parts of the
// default 64 MiB, + 64 MiB), so "auto" never takes more memory than the
// old default did; a smaller part_size lets it grow further.
const defaultStreamMemory = config.DefaultConcurrency*config.DefaultPartSize + streamOverhead

// streamMemory is the memory a stream run may hold: the Go runtime's
// memory limit (GOMEMLIMIT) when one is set, defaultStreamMemory
// otherwise.
func streamMemory() int64 {
	if l := debug.SetMemoryLimit(-1); l > 0 && l < math.MaxInt64 {
		return l
	}
	return defaultStreamMemory
}

// autoMaxInFlight is the cap of an adaptive job within memory bytes: a
// server-side job holds no buffers; a stream job holds one buffer of at
// most part_size per request in flight.
func autoMaxInFlight(job *config.Job, memory int64) int {
	if job.Transfer != config.TransferStream {
		return config.MaxConcurrency
	}
	part := job.PartSize
	if part <= 0 {
		part = config.DefaultPartSize
	}
	return int(min(config.MaxConcurrency, max(1, (memory-streamOverhead)/part)))
}

// workers runs tasks on at most n long-lived goroutines, started as the
// tasks come: the run's fan-out over objects and delete batches. It is
// not an errgroup because a goroutine per object grew a fresh stack
// through the SDK's deep middleware chain for every object
// (runtime.newstack was 6% of the CPU of a 5,000-object copy); a worker
// keeps its grown stack. A task takes pool slots only through do, one
// request at a time. Go and Wait are called from one goroutine, the
// scheduler.
type workers struct {
	tasks   chan func()
	n       int
	started int
	// want, if set, is how many workers are worth starting now (an
	// adaptive pool's limit, doubled so that the limiter is kept full): a
	// pool that may reach 4,096 slots but holds 64 does not grow 4,096
	// goroutines' stacks.
	want func() int
	wg   sync.WaitGroup
}

func newWorkers(n int) *workers { return &workers{tasks: make(chan func()), n: n} }

// Go runs fn on an idle worker, a new one while fewer than n run, or the
// first to become idle.
func (w *workers) Go(fn func()) {
	select {
	case w.tasks <- fn:
		return
	default:
	}
	if w.started < w.n && (w.want == nil || w.started < w.want()) {
		w.started++
		w.wg.Go(func() {
			fn()
			for t := range w.tasks {
				t()
			}
		})
		return
	}
	w.tasks <- fn
}

// workers are the run's workers over p: at most its size, started as its
// limit grows.
func (p *requestPool) workers() *workers {
	w := newWorkers(p.size)
	w.want = func() int { return 2 * p.lim.Limit() }
	return w
}

// Wait waits for every task to finish; Go must not be called after it.
func (w *workers) Wait() {
	close(w.tasks)
	w.wg.Wait()
}

// bufferPool recycles the part buffers of stream copies. A buffer is only
// taken inside a request slot, so at most pool-size buffers are in use,
// and at most as many more wait for reuse: memory is bounded by part size
// x concurrency, never by object size.
type bufferPool struct{ free chan []byte }

func newBufferPool(size int) *bufferPool { return &bufferPool{free: make(chan []byte, size)} }

func (b *bufferPool) get(n int64) []byte {
	select {
	case buf := <-b.free:
		if int64(cap(buf)) >= n {
			return buf[:n]
		}
	default:
	}
	return make([]byte, n)
}

func (b *bufferPool) put(buf []byte) {
	select {
	case b.free <- buf:
	default:
	}
}
