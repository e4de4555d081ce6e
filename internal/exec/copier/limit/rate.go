package limit

import (
	"context"
	"io"
	"math"
	"time"

	"golang.org/x/time/rate"
)

// Rate caps the requests a job starts per second (max_requests_per_second).
// A nil *Rate is no cap. Safe for concurrent use.
type Rate struct {
	l     *rate.Limiter
	clock clock
}

// rateBurst is how much time's worth of tokens a Rate or Bandwidth may
// hand out at once. A burst of one request would lose rate each time a
// sleeping caller wakes late (timers overshoot by tens of microseconds, a
// request slot at 3,500/s is 286 µs); 20 ms absorbs that and adds at most
// 20 ms's worth (0.07% of a 30 s run) to any interval.
const rateBurst = 20 * time.Millisecond

// NewRate returns a cap of rps requests per second, or nil (no cap) when
// rps <= 0.
func NewRate(rps float64) *Rate {
	if rps <= 0 || math.IsInf(rps, 1) || math.IsNaN(rps) {
		return nil
	}
	burst := max(1, int(rps*rateBurst.Seconds()))
	return &Rate{l: rate.NewLimiter(rate.Limit(rps), burst), clock: realClock}
}

// Wait blocks until one more request may start, or ctx is done.
func (r *Rate) Wait(ctx context.Context) error {
	if r == nil {
		return ctx.Err()
	}
	return waitN(ctx, r.l, r.clock, 1)
}

// waitN takes n tokens from l, in chunks no larger than its burst (so a
// large n never fails), sleeping on c for each chunk's delay. On ctx done
// the chunk not yet waited out is given back.
func waitN(ctx context.Context, l *rate.Limiter, c clock, n int) error {
	for n > 0 {
		chunk := min(n, l.Burst())
		now := c.now()
		res := l.ReserveN(now, chunk)
		if err := c.sleep(ctx, res.DelayFrom(now)); err != nil {
			res.CancelAt(c.now())
			return err
		}
		n -= chunk
	}
	return nil
}

// Bandwidth caps the bytes per second that pass through the readers it
// wraps, all together (bandwidth = "200MiB"). A nil *Bandwidth is no cap.
// Safe for concurrent use.
type Bandwidth struct {
	l     *rate.Limiter
	clock clock
}

// minBandwidthBurst is the smallest burst: io.Copy's buffer, so a copy
// loop's read needs one reservation.
const minBandwidthBurst = 32 << 10

// NewBandwidth returns a cap of bytesPerSec, or nil (no cap) when
// bytesPerSec <= 0. The burst is 100 ms's worth (at least 32 KiB): reads
// larger than that wait in several steps, never fail.
func NewBandwidth(bytesPerSec int64) *Bandwidth {
	if bytesPerSec <= 0 {
		return nil
	}
	burst := max(minBandwidthBurst, bytesPerSec/10)
	return &Bandwidth{l: rate.NewLimiter(rate.Limit(bytesPerSec), int(min(burst, math.MaxInt32))), clock: realClock}
}

// Reader returns r whose reads hold the cap: each Read returns what r
// gave and then waits for as many bytes' worth of tokens. When ctx is
// done, Read returns the bytes it has read and ctx's error. On a nil
// Bandwidth it returns r itself.
func (b *Bandwidth) Reader(ctx context.Context, r io.Reader) io.Reader {
	if b == nil {
		return r
	}
	return &capReader{ctx: ctx, r: r, b: b}
}

type capReader struct {
	ctx context.Context
	r   io.Reader
	b   *Bandwidth
}

func (c *capReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		if werr := waitN(c.ctx, c.b.l, c.b.clock, n); werr != nil {
			return n, werr
		}
	}
	return n, err
}
