package copier

import (
	"context"
	"errors"
	"sync"

	"golang.org/x/sync/semaphore"
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
	sem *semaphore.Weighted
	// size is the number of slots, and the width of every fan-out over
	// the pool: more goroutines than slots would only wait for one.
	size int
}

func newRequestPool(size int) *requestPool {
	return &requestPool{sem: semaphore.NewWeighted(int64(size)), size: size}
}

// errSlotHeld is do called with the ctx of a fn already holding a slot: a
// bug, which would deadlock once every slot's holder waited so.
var errSlotHeld = errors.New("internal error: a request asked for a second request slot while holding one")

// slotKey marks the ctx a fn runs with.
type slotKey struct{}

// do runs fn in a slot, once one is free; it runs nothing once ctx is
// done. This is the only place a slot is taken and given back.
func (p *requestPool) do(ctx context.Context, fn func(ctx context.Context) error) error {
	if ctx.Value(slotKey{}) != nil {
		return errSlotHeld
	}
	if err := p.sem.Acquire(ctx, 1); err != nil {
		return err
	}
	defer p.sem.Release(1)
	return fn(context.WithValue(ctx, slotKey{}, p))
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
	wg      sync.WaitGroup
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
	if w.started < w.n {
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
