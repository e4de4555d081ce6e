package copier

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakesync/lakesync/internal/config"
)

// partOverlap holds each part's request until a second part is in flight
// (a destination far away: a part is still in flight when the next one
// starts), and counts the most parts in flight at once. Parts copied one
// after the other would never release the first: the test's deadline
// does, and the count stays 1.
type partOverlap struct {
	CopyDestination
	test     context.Context // done shortly before go test would kill the test
	inFlight atomic.Int64
	most     atomic.Int64
	two      chan struct{} // closed once two parts are in flight
	once     sync.Once
}

func (p *partOverlap) hold(ctx context.Context) func() {
	n := p.inFlight.Add(1)
	for m := p.most.Load(); n > m && !p.most.CompareAndSwap(m, n); m = p.most.Load() {
	}
	if n >= 2 {
		p.once.Do(func() { close(p.two) })
	}
	select {
	case <-p.two:
	case <-ctx.Done():
	case <-p.test.Done():
	}
	return func() { p.inFlight.Add(-1) }
}

func (p *partOverlap) UploadPartCopy(ctx context.Context, in *s3.UploadPartCopyInput, optFns ...func(*s3.Options)) (*s3.UploadPartCopyOutput, error) {
	defer p.hold(ctx)()
	return p.CopyDestination.UploadPartCopy(ctx, in, optFns...)
}

func (p *partOverlap) UploadPart(ctx context.Context, in *s3.UploadPartInput, optFns ...func(*s3.Options)) (*s3.UploadPartOutput, error) {
	defer p.hold(ctx)()
	return p.CopyDestination.UploadPart(ctx, in, optFns...)
}

// TestPartsOverlap: the parts of a large copy and of a stream copy are
// pipelined: a part's request starts before the previous one has ended,
// at concurrency "auto".
func TestPartsOverlap(t *testing.T) {
	for _, transfer := range []config.Transfer{config.TransferServerSide, config.TransferStream} {
		t.Run(string(transfer), func(t *testing.T) {
			w := newCopyWorld(t)
			w.Put(t, "exports/big", body(4, 16<<20))
			job := w.Job(config.ModeSync, transfer)
			job.MultipartThreshold, job.PartSize, job.Concurrency = 5<<20, 5<<20, config.ConcurrencyAuto
			test := t.Context()
			if d, ok := t.Deadline(); ok {
				var cancel context.CancelFunc
				test, cancel = context.WithDeadline(test, d.Add(-5*time.Second))
				defer cancel()
			}
			c := w.copier(t, job, nil)
			overlap := &partOverlap{CopyDestination: c.Destination, test: test, two: make(chan struct{})}
			c.Destination = overlap
			sum, err := c.Run(t.Context(), job)
			must(t, c.State.Close())
			must(t, err)
			if sum.Copied != 1 {
				t.Fatalf("copied %d, want the object", sum.Copied)
			}
			if most := overlap.most.Load(); most < 2 {
				t.Errorf("at most %d part(s) in flight at once: the parts were not pipelined", most)
			}
		})
	}
}
