package copier

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

func TestWorkersBoundAndComplete(t *testing.T) {
	const n, tasks = 4, 200
	w := newWorkers(n)
	var running, peak, done atomic.Int64
	for range tasks {
		w.Go(func() {
			cur := running.Add(1)
			for {
				p := peak.Load()
				if cur <= p || peak.CompareAndSwap(p, cur) {
					break
				}
			}
			time.Sleep(100 * time.Microsecond)
			running.Add(-1)
			done.Add(1)
		})
	}
	w.Wait()
	if got := done.Load(); got != tasks {
		t.Errorf("%d tasks ran, want %d", got, tasks)
	}
	if p := peak.Load(); p > n {
		t.Errorf("%d tasks ran at once, want at most %d", p, n)
	}
	if w.started > n {
		t.Errorf("%d workers started, want at most %d", w.started, n)
	}
}

// TestPoolRefusesASecondSlotToItsHolder: a request running in a slot that
// asks for another one is refused at once (and its fn never runs), even
// with slots free: with every slot's holder waiting so, the run would
// deadlock. A request whose ctx is done runs nothing.
func TestPoolRefusesASecondSlotToItsHolder(t *testing.T) {
	p := newRequestPool(2)
	inner := false
	err := p.do(t.Context(), func(ctx context.Context) error {
		return p.do(ctx, func(context.Context) error {
			inner = true
			return nil
		})
	})
	if !errors.Is(err, errSlotHeld) || inner {
		t.Errorf("nested do: err = %v, inner fn ran = %v; want errSlotHeld and no run", err, inner)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	ran := false
	if err := p.do(ctx, func(context.Context) error { ran = true; return nil }); !errors.Is(err, context.Canceled) || ran {
		t.Errorf("do with a done ctx: err = %v, fn ran = %v; want context.Canceled and no run", err, ran)
	}
}
