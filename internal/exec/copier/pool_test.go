package copier

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/smithy-go"
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

// TestPoolWaitsOutSlowDown: a request S3 throttled on every attempt of
// the SDK's retryer is run again in a new slot, after the back-off,
// until it succeeds; it fails only once the policy's patience is spent,
// and an error that is not throttling is returned at once.
func TestPoolWaitsOutSlowDown(t *testing.T) {
	slowDown := &smithy.GenericAPIError{Code: "SlowDown", Message: "Please reduce your request rate."}
	denied := &smithy.GenericAPIError{Code: "AccessDenied", Message: "Access Denied"}
	for _, tc := range []struct {
		name      string
		throttles int // answers SlowDown this many times, then answers
		last      error
		patience  time.Duration
		wantCalls int
		wantErr   error
	}{
		{"throttled 30 rounds, then served", 30, nil, time.Hour, 31, nil},
		{"throttled past the patience", 30, nil, 0, 1, slowDown},
		{"not throttling", 0, denied, time.Hour, 1, denied},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newRequestPool(2)
			var rounds []int
			p.throttle = throttlePolicy{patience: tc.patience, backoff: func(round int) time.Duration {
				rounds = append(rounds, round)
				return 0
			}}
			calls := 0
			err := p.do(context.Background(), func(ctx context.Context) error {
				if slotToken(ctx) == nil {
					t.Fatal("fn runs without a slot")
				}
				calls++
				if calls <= tc.throttles {
					return slowDown
				}
				return tc.last
			})
			if !errors.Is(err, tc.wantErr) || calls != tc.wantCalls {
				t.Fatalf("do: err %v after %d call(s), want %v after %d", err, calls, tc.wantErr, tc.wantCalls)
			}
			if tc.wantCalls > 1 && len(rounds) != tc.wantCalls-1 {
				t.Fatalf("waited %d times between %d calls", len(rounds), calls)
			}
			if u := p.usage(); u.Max > 1 {
				t.Fatalf("a retried request held %d slots at once", u.Max)
			}
		})
	}
}
