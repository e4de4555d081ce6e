package copier

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakesync/lakesync/internal/config"
)

// failingWrites fails the destination write named by op ("part" for
// UploadPartCopy and UploadPart, "complete" for CompleteMultipartUpload)
// on its failOn-th call (1-based) with a non-retryable error.
type failingWrites struct {
	CopyDestination
	op     string
	failOn int64
	calls  atomic.Int64
}

var errInjected = errors.New("injected write failure")

func (f *failingWrites) fail(op string) error {
	if op == f.op && f.calls.Add(1) == f.failOn {
		return errInjected
	}
	return nil
}

func (f *failingWrites) UploadPartCopy(ctx context.Context, in *s3.UploadPartCopyInput, optFns ...func(*s3.Options)) (*s3.UploadPartCopyOutput, error) {
	if err := f.fail("part"); err != nil {
		return nil, err
	}
	return f.CopyDestination.UploadPartCopy(ctx, in, optFns...)
}

func (f *failingWrites) UploadPart(ctx context.Context, in *s3.UploadPartInput, optFns ...func(*s3.Options)) (*s3.UploadPartOutput, error) {
	if err := f.fail("part"); err != nil {
		return nil, err
	}
	return f.CopyDestination.UploadPart(ctx, in, optFns...)
}

func (f *failingWrites) CompleteMultipartUpload(ctx context.Context, in *s3.CompleteMultipartUploadInput, optFns ...func(*s3.Options)) (*s3.CompleteMultipartUploadOutput, error) {
	if err := f.fail("complete"); err != nil {
		return nil, err
	}
	return f.CopyDestination.CompleteMultipartUpload(ctx, in, optFns...)
}

// TestMultipartLeavesNoUpload: a failed part, a failed Complete and an
// interrupt in the middle of an upload each leave no upload open at the
// destination and none in the state, record nothing, and write no object.
// The 21 MiB object has 5 parts of 5 MiB, copied 2 at a time, so the
// interrupt (at the first part done) comes before the last part starts.
func TestMultipartLeavesNoUpload(t *testing.T) {
	tests := []struct {
		name      string
		transfer  config.Transfer
		fail      string // failingWrites.op; "" for the interrupt
		failOn    int64
		interrupt bool
	}{
		{"server-side part fails", config.TransferServerSide, "part", 3, false},
		{"stream part fails", config.TransferStream, "part", 3, false},
		{"complete fails", config.TransferServerSide, "complete", 1, false},
		{"interrupted (server-side)", config.TransferServerSide, "", 0, true},
		{"interrupted (stream)", config.TransferStream, "", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newCopyWorld(t)
			w.Put(t, "exports/big", body(7, 21<<20))
			job := w.Job(config.ModeSync, tt.transfer)
			job.MultipartThreshold, job.PartSize, job.Concurrency = 5<<20, 5<<20, 2
			c := w.copier(t, job, nil)
			fw := &failingWrites{CopyDestination: c.Destination, op: tt.fail, failOn: tt.failOn}
			c.Destination = fw
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			var parts atomic.Int64
			c.Listener = listenerFunc(func(e CopyEvent) {
				if _, ok := e.(*PartDone); ok && parts.Add(1) == 1 && tt.interrupt {
					cancel()
				}
			})
			sum, err := c.Run(ctx, job)
			switch {
			case tt.interrupt && !errors.Is(err, ErrInterrupted):
				t.Errorf("interrupted run: err = %v, want ErrInterrupted", err)
			case !tt.interrupt && (sum.Failed != 1 || !errors.Is(sum.Failures[0].Err, errInjected)):
				t.Errorf("run with a failed %s: failed %d (%v), err %v; want the object failed by the injected error", tt.fail, sum.Failed, sum.Failures, err)
			}
			if !tt.interrupt && fw.calls.Load() < tt.failOn {
				t.Fatalf("only %d %s calls: the fault was never injected", fw.calls.Load(), tt.fail)
			}
			if tt.interrupt && parts.Load() >= 5 {
				t.Fatalf("all %d parts were copied before the interrupt took effect: the test proves nothing", parts.Load())
			}
			ups, err := c.State.Uploads(job.Name)
			must(t, err)
			if len(ups) != 0 {
				t.Errorf("state keeps %d upload(s): %v", len(ups), ups)
			}
			if _, ok, err := c.State.Get(job.Name, "exports/big"); err != nil || ok {
				t.Errorf("state records the object (%v, %v) although its copy did not complete", ok, err)
			}
			must(t, c.State.Close())
			w.noUploads(t)
			if keys := w.DestinationKeys(t); len(keys) != 0 {
				t.Errorf("destination holds %v", keys)
			}
		})
	}
}

// listenerFunc is a CopyListener of one function.
type listenerFunc func(CopyEvent)

func (f listenerFunc) OnCopyEvent(e CopyEvent) { f(e) }
