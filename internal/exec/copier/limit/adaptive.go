package limit

import (
	"container/list"
	"context"
	"sync"
	"time"
)

// Outcome is what a request's answer says of the load on the server.
type Outcome uint8

const (
	// Success: the request was answered (its final attempt succeeded and
	// no attempt was throttled); its latency is a sample.
	Success Outcome = iota
	// Dropped: the server shed load on some attempt (503 SlowDown,
	// throttling), even if a retry then succeeded.
	Dropped
	// Ignored: the answer says nothing of load (a 4xx client error, a
	// cancelled request); no sample.
	Ignored
)

// Defaults of Config's zero fields.
const (
	// DefaultInitial is where the limit starts: today's fixed default,
	// config.DefaultConcurrency.
	DefaultInitial = 64
	// DefaultMax is the highest limit (the new ceiling).
	DefaultMax          = 4096
	DefaultTolerance    = 1.25
	DefaultBackoff      = 0.9
	DefaultMinSamples   = 8
	DefaultQuietWindows = 8
	DefaultProbeEvery   = 30 * time.Second
)

// Config sets an Adaptive limiter; zero fields take the defaults above.
type Config struct {
	Initial int // the first limit, clamped to [Min, Max]
	Min     int // the lowest limit (default 1)
	// Max is the hard cap the limit never exceeds: the caller's memory
	// bound, at most DefaultMax.
	Max int
	// Tolerance is how much the window's average latency may exceed the
	// no-load latency before the limit shrinks (1.25: by a quarter).
	Tolerance float64
	// Backoff multiplies the limit after a window with a drop.
	Backoff float64
	// MinSamples is the fewest answers a window closes on.
	MinSamples int
	// QuietWindows is how many windows without a drop (and with latency
	// held) restart slow start toward the limit held before the drops.
	QuietWindows int
	// ProbeEvery is how old the no-load latency may get before a probe
	// window, admitting half the limit, measures it again.
	ProbeEvery time.Duration
	// Now is the clock (default time.Now); tests pass a virtual one.
	Now func() time.Time
}

func (c Config) withDefaults() Config {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&c.Max, DefaultMax)
	c.Max = min(c.Max, DefaultMax)
	def(&c.Min, 1)
	c.Min = min(c.Min, c.Max)
	def(&c.Initial, DefaultInitial)
	c.Initial = min(max(c.Initial, c.Min), c.Max)
	def(&c.MinSamples, DefaultMinSamples)
	def(&c.QuietWindows, DefaultQuietWindows)
	if c.Tolerance < 1 {
		c.Tolerance = DefaultTolerance
	}
	if c.Backoff <= 0 || c.Backoff >= 1 {
		c.Backoff = DefaultBackoff
	}
	if c.ProbeEvery <= 0 {
		c.ProbeEvery = DefaultProbeEvery
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Adaptive bounds the requests in flight by a limit it adjusts from their
// answers (see estimator). Safe for concurrent use; waiters are served in
// order.
type Adaptive struct {
	mu       sync.Mutex
	now      func() time.Time
	est      estimator
	inFlight int
	waiters  list.List // of *waiter
	use      usage
}

type waiter struct {
	ready chan struct{}
	start time.Time
}

// Token is one admitted request; Release it exactly once with its outcome.
type Token struct {
	a         *Adaptive
	start     time.Time
	throttled bool
}

// NewAdaptive returns a limiter at cfg.Initial.
func NewAdaptive(cfg Config) *Adaptive {
	cfg = cfg.withDefaults()
	now := cfg.Now()
	a := &Adaptive{now: cfg.Now, est: newEstimator(cfg, now)}
	a.use.t0, a.use.last = now, now
	return a
}

// Acquire waits for a slot under the limit, or until ctx is done.
func (a *Adaptive) Acquire(ctx context.Context) (*Token, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	a.mu.Lock()
	if tok, ok := a.tryLocked(); ok {
		a.mu.Unlock()
		return tok, nil
	}
	w := &waiter{ready: make(chan struct{})}
	elem := a.waiters.PushBack(w)
	a.mu.Unlock()
	select {
	case <-w.ready:
		return &Token{a: a, start: w.start}, nil
	case <-ctx.Done():
		a.mu.Lock()
		select {
		case <-w.ready: // admitted meanwhile: give the slot back
			a.mu.Unlock()
			(&Token{a: a, start: w.start}).Release(Ignored)
		default:
			a.waiters.Remove(elem)
			a.mu.Unlock()
		}
		return nil, ctx.Err()
	}
}

// TryAcquire takes a slot if one is free and nobody waits.
func (a *Adaptive) TryAcquire() (*Token, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.tryLocked()
}

func (a *Adaptive) tryLocked() (*Token, bool) {
	if a.waiters.Len() > 0 || a.inFlight >= a.est.admit() {
		return nil, false
	}
	now := a.now()
	a.take(now)
	return &Token{a: a, start: now}, true
}

func (a *Adaptive) take(now time.Time) {
	a.inFlight++
	a.use.set(now, a.inFlight)
	a.est.win.maxInFlight = max(a.est.win.maxInFlight, a.inFlight)
}

// Throttled reports that an attempt of the request was throttled (503
// SlowDown): a drop, counted now rather than when the retries end. The
// request keeps its slot for the retry, and its latency is no sample.
func (t *Token) Throttled() {
	if t == nil || t.a == nil {
		return
	}
	a := t.a
	a.mu.Lock()
	defer a.mu.Unlock()
	t.throttled = true
	a.est.observe(a.now(), t.start, Dropped, a.inFlight)
}

// Release frees the slot and gives the limiter the request's outcome; its
// latency is the time since Acquire returned. After Throttled, the outcome
// is already known: Release only frees the slot. A nil Token is a no-op;
// a second Release too.
func (t *Token) Release(o Outcome) {
	if t == nil || t.a == nil {
		return
	}
	a := t.a
	t.a = nil
	if t.throttled {
		o = Ignored
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now()
	a.inFlight--
	a.use.set(now, a.inFlight)
	a.est.observe(now, t.start, o, a.inFlight)
	for a.waiters.Len() > 0 && a.inFlight < a.est.admit() {
		w := a.waiters.Remove(a.waiters.Front()).(*waiter)
		a.take(now)
		w.start = now
		close(w.ready)
	}
}

// Limit is the current limit.
func (a *Adaptive) Limit() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.est.current()
}

// InFlight is the number of requests holding a slot.
func (a *Adaptive) InFlight() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.inFlight
}

// Usage is what the JSON summary reports of the requests in flight.
type Usage struct {
	Max int     `json:"concurrency_max"`
	Avg float64 `json:"concurrency_avg"` // time-weighted since NewAdaptive
}

// Usage returns the most requests in flight and their time-weighted
// average: the integral of in-flight over time divided by the time since
// NewAdaptive, so a second at 100 weighs as much as a second at 1, however
// many requests each saw.
func (a *Adaptive) Usage() Usage {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.use.at(a.now())
}

// usage integrates the in-flight count over time.
type usage struct {
	t0, last time.Time
	area     float64 // requests x seconds up to last
	cur, max int
}

func (u *usage) set(now time.Time, n int) {
	u.area += float64(u.cur) * now.Sub(u.last).Seconds()
	u.last, u.cur = now, n
	u.max = max(u.max, n)
}

func (u usage) at(now time.Time) Usage {
	span := now.Sub(u.t0).Seconds()
	if span <= 0 {
		return Usage{Max: u.max, Avg: float64(u.cur)}
	}
	return Usage{Max: u.max, Avg: (u.area + float64(u.cur)*now.Sub(u.last).Seconds()) / span}
}
