package copier

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"golang.org/x/sync/semaphore"

	"github.com/lakesync/lakesync/internal/exec/awserr"
)

// requestPool bounds the requests in flight in one run: objects, parts,
// listings and deletes all take a slot for each request, and nothing holds
// a slot while waiting for another, so there are no pools inside pools and
// no deadlock. Size the HTTP transport to the same number (Accounts.S3's
// maxConns).
type requestPool struct {
	sem     *semaphore.Weighted
	size    int
	retries atomic.Int64
	// optFns is opts as the variadic argument of every copier call, built
	// once: a method value and a one-element slice at each call cost two
	// allocations per request.
	optFns []func(*s3.Options)
}

func newRequestPool(size int) *requestPool {
	p := &requestPool{sem: semaphore.NewWeighted(int64(size)), size: size}
	p.optFns = []func(*s3.Options){p.opts}
	return p
}

// do runs one request (or one sequence that holds a single connection at a
// time, such as a ranged GET then its UploadPart) in a slot.
func (p *requestPool) do(ctx context.Context, fn func(ctx context.Context) error) error {
	if err := p.sem.Acquire(ctx, 1); err != nil {
		return err
	}
	defer p.sem.Release(1)
	return fn(ctx)
}

// opts are the per-request options of every copier call (pass optFns):
// the client's retryer, counted, and retrying KMS throttling too. The
// wrapper is made per request because the copier only sees its clients
// as interfaces: the client's own retryer is known only here.
func (p *requestPool) opts(o *s3.Options) {
	o.Retryer = &countingRetryer{RetryerV2: asV2(o.Retryer), n: &p.retries}
}

// countingRetryer counts retries and treats KMS throttling seen through
// S3 as retryable; backoff (exponential with jitter) stays the client's.
type countingRetryer struct {
	aws.RetryerV2
	n *atomic.Int64
}

func (r *countingRetryer) IsErrorRetryable(err error) bool {
	return r.RetryerV2.IsErrorRetryable(err) ||
		awserr.HasCode(err, "KMS.ThrottlingException", "ThrottlingException", "SlowDown", "RequestTimeout")
}

func (r *countingRetryer) RetryDelay(attempt int, err error) (time.Duration, error) {
	r.n.Add(1)
	return r.RetryerV2.RetryDelay(attempt, err)
}

type v2Adapter struct{ aws.Retryer }

func (a v2Adapter) GetAttemptToken(context.Context) (func(error) error, error) {
	return a.GetInitialToken(), nil
}

func asV2(r aws.Retryer) aws.RetryerV2 {
	if r == nil {
		return v2Adapter{awserr.NewRetryer()}
	}
	if v2, ok := r.(aws.RetryerV2); ok {
		return v2
	}
	return v2Adapter{r}
}

// workers runs tasks on at most n long-lived goroutines, started as the
// tasks come. A goroutine per object grew a fresh stack through the SDK's
// deep middleware chain for every object (runtime.newstack was 6% of the
// CPU of a 5,000-object copy); a worker keeps its grown stack. Go and
// Wait are called from one goroutine, the scheduler.
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
