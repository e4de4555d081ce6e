package copier

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakesync/lakesync/internal/config"
)

// partWatch fails part 2 of an upload once part 1 is in flight, holds
// part 1 until its context ends, and counts the parts that start after
// part 2 failed. If the copier kept scheduling after the failure, the
// first later part releases part 1, so the test fails instead of hanging;
// the test's own deadline (go test -timeout) ends part 1 otherwise.
type partWatch struct {
	CopyDestination
	test      context.Context // done shortly before go test would kill the test
	first     chan struct{}   // closed when part 1 starts
	later     chan struct{}   // closed when a part starts after part 2 failed
	laterOnce sync.Once
	failed    atomic.Bool  // part 2 has returned its error
	after     atomic.Int64 // parts started after that
	mu        sync.Mutex
	cause     error // why part 1's ctx ended; nil if it never did
}

func newPartWatch(test context.Context, dst CopyDestination) *partWatch {
	return &partWatch{CopyDestination: dst, test: test, first: make(chan struct{}), later: make(chan struct{})}
}

// part is the fault of part n; nil lets the real call go on.
func (w *partWatch) part(ctx context.Context, n int32) error {
	if w.failed.Load() {
		w.after.Add(1)
		w.laterOnce.Do(func() { close(w.later) })
		return fmt.Errorf("part %d started after part 2 failed", n)
	}
	switch n {
	case 1:
		close(w.first)
		select {
		case <-ctx.Done():
			w.mu.Lock()
			w.cause = context.Cause(ctx)
			w.mu.Unlock()
			return ctx.Err()
		case <-w.later:
			return errors.New("part 1 released by a later part")
		case <-w.test.Done():
			return errors.New("part 1 released by the test's deadline")
		}
	case 2:
		<-w.first
		w.failed.Store(true)
		return errInjected
	}
	return nil
}

func (w *partWatch) UploadPartCopy(ctx context.Context, in *s3.UploadPartCopyInput, optFns ...func(*s3.Options)) (*s3.UploadPartCopyOutput, error) {
	if err := w.part(ctx, *in.PartNumber); err != nil {
		return nil, err
	}
	return w.CopyDestination.UploadPartCopy(ctx, in, optFns...)
}

func (w *partWatch) UploadPart(ctx context.Context, in *s3.UploadPartInput, optFns ...func(*s3.Options)) (*s3.UploadPartOutput, error) {
	if err := w.part(ctx, *in.PartNumber); err != nil {
		return nil, err
	}
	return w.CopyDestination.UploadPart(ctx, in, optFns...)
}

// TestFailedPartCancelsItsSiblings: when one part fails, the part in
// flight is cancelled by that failure, no part starts after it, the run
// reports the part's own error, and the upload is aborted. The 21 MiB
// object has 5 parts of 5 MiB, copied 2 at a time: parts 3 to 5 would
// start only if the copier went on after part 2 failed.
func TestFailedPartCancelsItsSiblings(t *testing.T) {
	for _, transfer := range []config.Transfer{config.TransferServerSide, config.TransferStream} {
		t.Run(string(transfer), func(t *testing.T) {
			w := newCopyWorld(t)
			w.Put(t, "exports/big", body(3, 21<<20))
			job := w.Job(config.ModeSync, transfer)
			job.MultipartThreshold, job.PartSize, job.Concurrency = 5<<20, 5<<20, 2
			test := t.Context()
			if d, ok := t.Deadline(); ok {
				var cancel context.CancelFunc
				test, cancel = context.WithDeadline(test, d.Add(-5*time.Second))
				defer cancel()
			}
			c := w.copier(t, job, nil)
			watch := newPartWatch(test, c.Destination)
			c.Destination = watch
			sum, _ := c.Run(t.Context(), job)
			if n := watch.after.Load(); n != 0 {
				t.Errorf("%d part(s) started after part 2 failed, want none", n)
			}
			watch.mu.Lock()
			cause := watch.cause
			watch.mu.Unlock()
			if !errors.Is(cause, errInjected) {
				t.Errorf("part 1's context ended with %v, want cancelled by part 2's failure (%v)", cause, errInjected)
			}
			if sum.Failed != 1 || !errors.Is(sum.Failures[0].Err, errInjected) {
				t.Errorf("failed %d (%v), want the object failed by part 2's error", sum.Failed, sum.Failures)
			}
			must(t, c.State.Close())
			w.noUploads(t)
		})
	}
}
