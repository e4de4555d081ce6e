package limit

import (
	"context"
	"errors"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/time/rate"
)

const rtt = 250 * time.Millisecond

// TestAdaptiveGrowsAtFixedLatency: 250 ms per request whatever the load
// (a far server with room to spare). Throughput rises with every request
// added, so the limit must grow from 64 to the ceiling: 2,000 requests in
// flight are needed for 8,000 requests/s, and a fixed 64 gives 256/s.
// Broken: no increase (limit stays 64), slow start never doubling
// (additive growth needs ~20 s to reach 2,000).
func TestAdaptiveGrowsAtFixedLatency(t *testing.T) {
	const need = 2000 // in flight for 8,000/s at 250 ms
	s := newSim(Config{}, &far{rtt: rtt, rng: rand.New(rand.NewPCG(1, 1))}, 1)
	s.run(10 * time.Second)
	reached := -1
	for i, l := range s.limit {
		if l >= need {
			reached = i
			break
		}
	}
	last := s.over(5*time.Second, 10*time.Second)
	t.Logf("fixed 250 ms: limit %d reached at %v; over 5-10 s: limit %d-%d, %.0f requests/s, latency %.0f ms; usage %+v",
		need, time.Duration(reached)*tick, last.limitMin, last.limitMax, last.throughput, last.latencyMs, s.lim.Usage())
	if reached < 0 || time.Duration(reached)*tick > 3*time.Second {
		t.Errorf("limit reached %d at tick %d, want at least %d within 3 s", s.lim.Limit(), reached, need)
	}
	if last.limitMin < need {
		t.Errorf("limit fell to %d over 5-10 s, want it to hold at least %d", last.limitMin, need)
	}
	if want := float64(need) / rtt.Seconds(); last.throughput < want {
		t.Errorf("throughput %.0f/s, want at least %.0f/s", last.throughput, want)
	}
}

// TestAdaptiveNeverExceedsMax: the caller's memory bound is a hard cap.
// Broken: set() not clamping to Max.
func TestAdaptiveNeverExceedsMax(t *testing.T) {
	const hardCap = 700
	s := newSim(Config{Max: hardCap}, &far{rtt: rtt, rng: rand.New(rand.NewPCG(2, 2))}, 2)
	s.run(10 * time.Second)
	u := s.lim.Usage()
	t.Logf("Max %d: limit %d, usage %+v", hardCap, s.lim.Limit(), u)
	if u.Max > hardCap || s.lim.Limit() != hardCap {
		t.Errorf("in flight reached %d, limit %d; want at most and finally %d", u.Max, s.lim.Limit(), hardCap)
	}
}

// TestAdaptiveHoldsAtKnee: the server serves 300 requests at once in
// 250 ms each (1,200/s) and queues the rest, so beyond 300 in flight only
// latency grows. The limit must settle just above the knee and stay
// there for two minutes (four no-load probes): at least the knee (no
// throughput lost), at most 1.5x it (a bounded queue), oscillating within
// a band. Broken: no decrease on rising latency (the limit climbs to
// 4,096), no increase (it stays at 64).
func TestAdaptiveHoldsAtKnee(t *testing.T) {
	const knee = 300
	rng := rand.New(rand.NewPCG(3, 3))
	s := newSim(Config{}, newLanes(knee, rtt, rng), 3)
	s.run(130 * time.Second)
	hold := s.over(10*time.Second, 130*time.Second)
	t.Logf("knee %d at 250 ms: over 10-130 s limit %d-%d (mean %.0f), %.0f requests/s of %d, latency %.0f ms; usage %+v",
		knee, hold.limitMin, hold.limitMax, hold.limitMean, hold.throughput, int(knee/rtt.Seconds()), hold.latencyMs, s.lim.Usage())
	if hold.limitMin < knee || hold.limitMax > knee*3/2 {
		t.Errorf("limit ranged %d-%d, want within %d-%d", hold.limitMin, hold.limitMax, knee, knee*3/2)
	}
	if band := hold.limitMax - hold.limitMin; band > knee/4 {
		t.Errorf("limit oscillated over %d, want at most %d", band, knee/4)
	}
	if want := 0.95 * knee / rtt.Seconds(); hold.throughput < want {
		t.Errorf("throughput %.0f/s, want at least %.0f/s", hold.throughput, want)
	}
}

// throttling is a server that answers 503 SlowDown to what arrives above
// rps during [from, to), after one round trip, in front of next.
type throttling struct {
	next     server
	from, to time.Time
	bucket   *rate.Limiter
	rng      *rand.Rand
}

func (th *throttling) attempt(now time.Time) (time.Duration, bool) {
	if !now.Before(th.from) && now.Before(th.to) && !th.bucket.AllowN(now, 1) {
		return jittered(th.rng, rtt), true
	}
	return th.next.attempt(now)
}

// TestAdaptiveBacksOffOnSlowDown: a server of 2,048 lanes at 250 ms (8,192
// requests/s) answers SlowDown above 600 requests/s from 20 s to 50 s. The
// limiter must back off (the limit falls to well under half its level
// before), keep throughput near 600/s with no object failed (every
// SlowDown retried within the attempts), and once the burst ends regain
// 90% of the earlier limit and throughput within 10 s.
// Broken: no decrease on a drop (the limit stays high and objects fail),
// no slow-start restart after the drops (additive growth takes ~20 s).
func TestAdaptiveBacksOffOnSlowDown(t *testing.T) {
	const (
		knee = 2048
		r    = 600
	)
	rng := rand.New(rand.NewPCG(4, 4))
	from, to := 20*time.Second, 50*time.Second
	srv := &throttling{next: newLanes(knee, rtt, rng), from: epoch.Add(from), to: epoch.Add(to),
		bucket: rate.NewLimiter(r, r/10), rng: rng}
	s := newSim(Config{}, srv, 4)
	s.run(80 * time.Second)
	before := s.over(10*time.Second, from)
	burst := s.over(from+10*time.Second, to)
	recovered := time.Duration(-1)
	for at := to; at+time.Second <= 80*time.Second; at += tick {
		st := s.over(at, at+time.Second)
		if st.limitMin >= before.limitMin*9/10 && st.throughput >= 0.9*before.throughput {
			recovered = at - to
			break
		}
	}
	t.Logf("before: limit %d-%d, %.0f/s; burst (last 20 s): limit %d-%d (mean %.0f), %.0f/s of %d; %d of %d attempts throttled, %d failed; recovered in %v",
		before.limitMin, before.limitMax, before.throughput, burst.limitMin, burst.limitMax, burst.limitMean, burst.throughput, r,
		s.throttled, s.attempts, s.failed, recovered)
	if burst.limitMean > before.limitMean/2 {
		t.Errorf("limit during the burst %.0f, want under half of %.0f", burst.limitMean, before.limitMean)
	}
	if burst.throughput < 0.85*r {
		t.Errorf("throughput during the burst %.0f/s, want near %d/s", burst.throughput, r)
	}
	if s.failed > 0 {
		t.Errorf("%d requests failed after %d attempts, want 0", s.failed, maxAttempts)
	}
	if recovered < 0 || recovered > 10*time.Second {
		t.Errorf("recovered %v after the burst, want within 10 s", recovered)
	}
}

// TestAdaptiveFollowsSlowerPath: at 20 s the path's latency doubles for
// good (a reroute). The no-load latency measured before is now too low
// and the gradient shrinks the limit; the no-load probe must measure the
// new path and let the limit grow back to where 8,000 requests/s need it
// (4,000 at 500 ms) within a minute. Broken: no probe (the limit stays
// collapsed).
func TestAdaptiveFollowsSlowerPath(t *testing.T) {
	f := &far{rtt: rtt, rng: rand.New(rand.NewPCG(5, 5))}
	s := newSim(Config{}, f, 5)
	s.at(epoch.Add(20*time.Second), func() { f.rtt = 2 * rtt })
	s.run(90 * time.Second)
	after := s.over(21*time.Second, 30*time.Second)
	end := s.over(80*time.Second, 90*time.Second)
	t.Logf("rtt 250 ms then 500 ms from 20 s: limit %d-%d over 21-30 s, %d-%d over 80-90 s (%.0f/s)",
		after.limitMin, after.limitMax, end.limitMin, end.limitMax, end.throughput)
	if end.limitMin < 4000 {
		t.Errorf("limit %d at the end, want at least 4000", end.limitMin)
	}
}

// TestAdaptiveIdleLimitHolds: a job that never has more than 100
// requests to make (a slow listing) teaches nothing about the server
// beyond 100 in flight, so the limit must not climb to the ceiling on
// it, where a sudden burst of work would meet it untested. Broken: no
// check of how full the window was.
func TestAdaptiveIdleLimitHolds(t *testing.T) {
	const demand = 100
	s := newSim(Config{}, &far{rtt: rtt, rng: rand.New(rand.NewPCG(6, 6))}, 6)
	s.demand = demand
	s.run(30 * time.Second)
	st := s.over(10*time.Second, 30*time.Second)
	t.Logf("demand %d: limit %d-%d, %.0f/s", demand, st.limitMin, st.limitMax, st.throughput)
	if st.limitMax > 4*demand {
		t.Errorf("limit climbed to %d with %d in flight at most, want at most %d", st.limitMax, demand, 4*demand)
	}
}

// TestAdaptiveAcquire: Acquire waits for a slot and gets it on a
// Release; a cancelled Acquire holds none. Broken: Release not waking a
// waiter (the test hangs), a cancelled waiter keeping its slot.
func TestAdaptiveAcquire(t *testing.T) {
	a := NewAdaptive(Config{Initial: 1, Max: 1})
	first, err := a.Acquire(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := a.TryAcquire(); ok {
		t.Fatal("TryAcquire succeeded over the limit of 1")
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancelled := make(chan error)
	go func() {
		_, err := a.Acquire(ctx)
		cancelled <- err
	}()
	waitForWaiter(a)
	cancel()
	if err := <-cancelled; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled Acquire = %v, want context.Canceled", err)
	}
	got := make(chan *Token)
	go func() {
		tok, err := a.Acquire(t.Context())
		if err != nil {
			t.Error(err)
		}
		got <- tok
	}()
	waitForWaiter(a)
	first.Release(Ignored)
	second := <-got
	if n := a.InFlight(); n != 1 {
		t.Errorf("in flight %d after the hand-over, want 1", n)
	}
	second.Release(Ignored)
	second.Release(Ignored) // a second Release is a no-op
	if n := a.InFlight(); n != 0 {
		t.Errorf("in flight %d after releasing all, want 0", n)
	}
}

// waitForWaiter yields until an Acquire waits on a (a state, not a time).
func waitForWaiter(a *Adaptive) {
	for {
		a.mu.Lock()
		n := a.waiters.Len()
		a.mu.Unlock()
		if n > 0 {
			return
		}
		runtime.Gosched()
	}
}

// TestAdaptiveUsage: concurrency_avg is time-weighted: 1 in flight for
// 1 s, 4 for 1 s, none for 2 s is 1.25 (a per-event average would say
// otherwise). Broken: usage.set not integrating over time.
func TestAdaptiveUsage(t *testing.T) {
	vc := newVirtualClock()
	a := NewAdaptive(Config{Now: vc.now})
	var toks []*Token
	take := func(n int) {
		for range n {
			tok, ok := a.TryAcquire()
			if !ok {
				t.Fatal("TryAcquire refused under the limit")
			}
			toks = append(toks, tok)
		}
	}
	take(1)
	vc.t = vc.t.Add(time.Second)
	take(3)
	vc.t = vc.t.Add(time.Second)
	for _, tok := range toks {
		tok.Release(Ignored)
	}
	vc.t = vc.t.Add(2 * time.Second)
	if diff := cmp.Diff(Usage{Max: 4, Avg: 1.25}, a.Usage()); diff != "" {
		t.Errorf("Usage (-want +got):\n%s", diff)
	}
}

// TestConfigDefaults: zero fields take the defaults; Initial and Max are
// clamped to the ceiling and to each other.
func TestConfigDefaults(t *testing.T) {
	for _, tt := range []struct {
		cfg  Config
		want int
	}{
		{Config{}, DefaultInitial},
		{Config{Initial: 5000}, DefaultMax},
		{Config{Initial: 5000, Max: 10000}, DefaultMax},
		{Config{Max: 16}, 16},
		{Config{Initial: 2, Min: 8}, 8},
	} {
		if got := NewAdaptive(tt.cfg).Limit(); got != tt.want {
			t.Errorf("NewAdaptive(%+v).Limit() = %d, want %d", tt.cfg, got, tt.want)
		}
	}
}
