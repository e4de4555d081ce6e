package limit

import (
	"container/heap"
	"math/rand/v2"
	"time"
)

// This file is a discrete-event simulation of the copier against a
// server, in virtual time: one goroutine, no sleeps, the same events for
// the same seed. The client has endless work; each request takes a slot
// from the Adaptive limiter for all its attempts, as requestPool.do will,
// and a throttled attempt is retried after the SDK's backoff (jittered
// exponential, up to awserr.MaxAttempts attempts) while holding it.

// tick is the width of the simulation's measurement buckets.
const tick = 100 * time.Millisecond

// maxAttempts mirrors awserr.MaxAttempts (limit may not import it).
const maxAttempts = 10

// server answers one attempt arriving at now: after how long, and
// whether it was throttled (503 SlowDown).
type server interface {
	attempt(now time.Time) (after time.Duration, throttled bool)
}

type sim struct {
	now    time.Time
	events events
	seq    int
	lim    *Adaptive
	srv    server
	rng    *rand.Rand
	// demand is the most requests the job has at once (0: endless).
	demand int
	// per tick, from epoch
	ok       []int // requests answered with success
	limit    []int // the limit at the tick's start
	inFlight []int
	latency  []time.Duration // sum of the successes' latencies
	// totals
	attempts, throttled, failed int
}

func newSim(cfg Config, srv server, seed uint64) *sim {
	s := &sim{now: epoch, srv: srv, rng: rand.New(rand.NewPCG(seed, 14))}
	cfg.Now = func() time.Time { return s.now }
	s.lim = NewAdaptive(cfg)
	return s
}

type event struct {
	at  time.Time
	seq int
	fn  func()
}

type events []event

func (e events) Len() int { return len(e) }
func (e events) Less(i, j int) bool {
	return e[i].at.Before(e[j].at) || e[i].at.Equal(e[j].at) && e[i].seq < e[j].seq
}
func (e events) Swap(i, j int) { e[i], e[j] = e[j], e[i] }
func (e *events) Push(x any)   { *e = append(*e, x.(event)) }
func (e *events) Pop() any {
	old := *e
	x := old[len(old)-1]
	*e = old[:len(old)-1]
	return x
}

func (s *sim) after(d time.Duration, fn func()) {
	s.seq++
	heap.Push(&s.events, event{at: s.now.Add(d), seq: s.seq, fn: fn})
}

// run simulates until d after epoch.
func (s *sim) run(d time.Duration) {
	end := epoch.Add(d)
	for t := s.now; t.Before(end); t = t.Add(tick) {
		s.at(t, func() {
			s.limit = append(s.limit, s.lim.Limit())
			s.inFlight = append(s.inFlight, s.lim.InFlight())
			s.ok = append(s.ok, 0)
			s.latency = append(s.latency, 0)
		})
	}
	s.fill()
	for len(s.events) > 0 && s.events[0].at.Before(end) {
		e := heap.Pop(&s.events).(event)
		s.now = e.at
		e.fn()
	}
}

func (s *sim) at(t time.Time, fn func()) {
	s.seq++
	heap.Push(&s.events, event{at: t, seq: s.seq, fn: fn})
}

// fill starts requests while the job has some and the limiter admits
// them (never past DefaultMax, so a limiter that breaks its ceiling fails
// a test instead of running away).
func (s *sim) fill() {
	for s.demand == 0 || s.lim.InFlight() < s.demand {
		if s.lim.InFlight() > DefaultMax {
			return
		}
		tok, ok := s.lim.TryAcquire()
		if !ok {
			return
		}
		s.try(tok, s.now, 1)
	}
}

// try makes attempt n of the request that acquired tok at start.
func (s *sim) try(tok *Token, start time.Time, n int) {
	s.attempts++
	after, throttled := s.srv.attempt(s.now)
	s.after(after, func() {
		switch {
		case throttled && n < maxAttempts:
			s.throttled++
			tok.Throttled()
			// The standard retryer's ExponentialJitterBackoff.
			backoff := time.Duration(s.rng.Float64() * float64(min(20*time.Second, time.Second<<n)))
			s.after(backoff, func() { s.try(tok, start, n+1) })
			return
		case throttled:
			s.throttled++
			s.failed++
			tok.Release(Dropped)
		default:
			i := s.bucket()
			s.ok[i]++
			s.latency[i] += s.now.Sub(start)
			tok.Release(Success)
		}
		s.fill()
	})
}

func (s *sim) bucket() int { return min(int(s.now.Sub(epoch)/tick), len(s.ok)-1) }

// stats are the simulated outcomes over [from, to).
type stats struct {
	throughput           float64 // successes per second
	limitMin, limitMax   int
	limitMean, latencyMs float64
}

func (s *sim) over(from, to time.Duration) stats {
	i, j := int(from/tick), int(to/tick)
	st := stats{limitMin: s.limit[i], limitMax: s.limit[i]}
	var ok, lim int
	var lat time.Duration
	for k := i; k < j; k++ {
		ok += s.ok[k]
		lim += s.limit[k]
		lat += s.latency[k]
		st.limitMin = min(st.limitMin, s.limit[k])
		st.limitMax = max(st.limitMax, s.limit[k])
	}
	st.throughput = float64(ok) / (to - from).Seconds()
	st.limitMean = float64(lim) / float64(j-i)
	if ok > 0 {
		st.latencyMs = float64(lat/time.Duration(ok)) / float64(time.Millisecond)
	}
	return st
}

// jittered is base ±20%, uniformly.
func jittered(rng *rand.Rand, base time.Duration) time.Duration {
	return time.Duration(float64(base) * (0.8 + 0.4*rng.Float64()))
}

// far is a server at a fixed distance with no capacity limit.
type far struct {
	rtt time.Duration
	rng *rand.Rand
}

func (f *far) attempt(time.Time) (time.Duration, bool) { return jittered(f.rng, f.rtt), false }

// lanes is a server (or a client box) that serves at most len(free)
// requests at once, each for about service; the others queue in order.
type lanes struct {
	service time.Duration
	free    timeHeap // when each lane is next free
	rng     *rand.Rand
}

func newLanes(c int, service time.Duration, rng *rand.Rand) *lanes {
	l := &lanes{service: service, rng: rng, free: make(timeHeap, c)}
	for i := range l.free {
		l.free[i] = epoch
	}
	return l
}

func (l *lanes) attempt(now time.Time) (time.Duration, bool) {
	start := l.free[0]
	if start.Before(now) {
		start = now
	}
	done := start.Add(jittered(l.rng, l.service))
	l.free[0] = done
	heap.Fix(&l.free, 0)
	return done.Sub(now), false
}

type timeHeap []time.Time

func (h timeHeap) Len() int           { return len(h) }
func (h timeHeap) Less(i, j int) bool { return h[i].Before(h[j]) }
func (h timeHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *timeHeap) Push(x any)        { *h = append(*h, x.(time.Time)) }
func (h *timeHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
