package copier

import (
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
