package limit

import (
	"math"
	"time"
)

// estimator is the algorithm of Adaptive (docs/limits.md). Answers are
// gathered in windows of about one round trip; each closed window moves
// the limit once:
//
//   - a drop in the window: limit x Backoff (multiplicative decrease), and
//     slow start ends;
//   - too few requests in flight to test the limit (under half of it): no
//     change, the job, not the server, is the bottleneck;
//   - otherwise the gradient g = Tolerance x noLoad / average latency,
//     clamped to [0.5, 1]. Below 1, latency is rising with load:
//     limit = limit x g + sqrt(limit) (Netflix's gradient limit, whose
//     sqrt term leaves room for a small queue). At 1, the limit doubles
//     in slow start and grows by sqrt(limit) after it.
//
// noLoad is the lowest window average seen; when it is older than
// ProbeEvery, one probe window admits half the limit and measures it
// afresh, so it follows a path that got slower instead of shrinking the
// limit for ever. After QuietWindows clean windows following drops, slow
// start resumes up to the limit held before them: a SlowDown burst that
// ended costs seconds, not the minutes additive growth would take.
type estimator struct {
	cfg       Config
	limit     float64
	slowStart bool
	// before is the limit when a run of drops began (0: none to return to).
	before   float64
	clean    int // windows since the last drop
	noLoad   time.Duration
	noLoadAt time.Time
	rtt      time.Duration // the last window's average latency
	probing  bool
	win      window
}

// window gathers the answers since start.
type window struct {
	start       time.Time
	sum         time.Duration // latencies of the successes
	n, drops    int
	maxInFlight int
}

func newEstimator(cfg Config, now time.Time) estimator {
	return estimator{cfg: cfg, limit: float64(cfg.Initial), slowStart: true, noLoadAt: now, win: window{start: now}}
}

func (e *estimator) current() int { return int(e.limit) }

// admit is how many requests may be in flight now: the limit, or half of
// it while a probe measures the no-load latency.
func (e *estimator) admit() int {
	if e.probing {
		return max(e.cfg.Min, int(e.limit)/2)
	}
	return int(e.limit)
}

// observe records one answer and closes the window when it has
// MinSamples answers and has lasted one round trip.
func (e *estimator) observe(now, start time.Time, o Outcome, inFlight int) {
	switch {
	case o == Dropped:
		e.win.drops++
	case o != Success:
		return
	case e.probing && start.Before(e.win.start):
		return // started before the probe, at the full limit
	default:
		e.win.sum += now.Sub(start)
		e.win.n++
	}
	round := e.rtt
	if e.win.n > 0 {
		round = e.win.sum / time.Duration(e.win.n)
	}
	if e.win.n+e.win.drops < e.cfg.MinSamples || now.Sub(e.win.start) < round {
		return
	}
	w := e.win
	e.win = window{start: now, maxInFlight: inFlight}
	e.update(now, w)
}

func (e *estimator) update(now time.Time, w window) {
	var avg time.Duration
	if w.n > 0 {
		avg = w.sum / time.Duration(w.n)
		e.rtt = avg
	}
	if e.probing && w.drops == 0 {
		// A measurement, not a verdict on the limit.
		e.probing = false
		if w.n > 0 {
			if float64(avg) > e.cfg.Tolerance*float64(e.noLoad) {
				// The path got slower: the limit was cut against a stale
				// baseline, so win it back in slow start.
				e.slowStart = true
			}
			e.noLoad, e.noLoadAt = avg, now
		}
		return
	}
	e.probing = false
	if w.drops > 0 {
		if e.before == 0 {
			e.before = e.limit
		}
		e.clean = 0
		e.slowStart = false
		e.set(e.limit * e.cfg.Backoff)
		return
	}
	if w.n == 0 {
		return
	}
	if e.noLoad == 0 || avg < e.noLoad {
		e.noLoad, e.noLoadAt = avg, now
	}
	e.clean++
	if e.before > 0 && e.clean == e.cfg.QuietWindows {
		e.slowStart = true
	}
	if now.Sub(e.noLoadAt) >= e.cfg.ProbeEvery {
		e.probing = true
	}
	if 2*w.maxInFlight < int(e.limit) {
		return // the job does not fill the limit: nothing learnt
	}
	g := min(1, max(0.5, e.cfg.Tolerance*float64(e.noLoad)/float64(avg)))
	switch {
	case g < 1:
		e.slowStart, e.before = false, 0
		e.set(e.limit*g + math.Sqrt(e.limit))
	case e.slowStart:
		next := 2 * e.limit
		if e.before > 0 && next >= e.before {
			next, e.slowStart, e.before = e.before, false, 0
		}
		e.set(next)
	default:
		e.set(e.limit + math.Sqrt(e.limit))
	}
}

func (e *estimator) set(l float64) {
	e.limit = min(max(l, float64(e.cfg.Min)), float64(e.cfg.Max))
}
