package limit

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"strings"
	"testing"
	"time"
)

// span is how long the cap tests run, in virtual time (the 30 s).
const span = 30 * time.Second

// within checks got against want ±10%.
func within(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 0.10*want {
		t.Errorf("%s = %.0f, want %.0f ±10%%", what, got, want)
	}
}

// TestRateHoldsCap: a caller that starts requests as fast as Wait lets it
// starts max_requests_per_second x 30 s of them in 30 s of virtual time.
func TestRateHoldsCap(t *testing.T) {
	for _, rps := range []float64{1, 10, 100, 3500, 5500} {
		vc := newVirtualClock()
		r := NewRate(rps)
		r.clock = vc.clock()
		n := 0
		for vc.elapsed() < span {
			if err := r.Wait(t.Context()); err != nil {
				t.Fatalf("rps %v: Wait: %v", rps, err)
			}
			n++
		}
		got := float64(n) / vc.elapsed().Seconds()
		t.Logf("max_requests_per_second %v: %d requests in %v = %.1f/s", rps, n, vc.elapsed(), got)
		within(t, "requests per second", got, rps)
	}
}

func TestRateNone(t *testing.T) {
	for _, rps := range []float64{0, -1, math.Inf(1), math.NaN()} {
		if r := NewRate(rps); r != nil {
			t.Errorf("NewRate(%v) = %v, want nil (no cap)", rps, r)
		}
	}
	var r *Rate
	if err := r.Wait(t.Context()); err != nil {
		t.Errorf("nil Rate: Wait = %v, want nil", err)
	}
}

// endless reads zeros forever, each Read filling p.
type endless struct{}

func (endless) Read(p []byte) (int, error) { return len(p), nil }

// TestBandwidthHoldsCap: readers pulling as fast as they can through one
// Bandwidth move bytesPerSec x 30 s in 30 s of virtual time, for reads
// smaller than the burst and reads three times larger than it (which
// must wait in steps, not fail).
func TestBandwidthHoldsCap(t *testing.T) {
	for _, bps := range []int64{64 << 10, 1 << 20, 200 << 20} {
		burst := NewBandwidth(bps).l.Burst()
		for _, size := range []int{4 << 10, 32 << 10, 3 * burst} {
			vc := newVirtualClock()
			b := NewBandwidth(bps)
			b.clock = vc.clock()
			// Two readers share the cap, reading in turn.
			rs := []io.Reader{b.Reader(t.Context(), endless{}), b.Reader(t.Context(), endless{})}
			buf := make([]byte, size)
			var total int64
			for i := 0; vc.elapsed() < span; i++ {
				n, err := rs[i%2].Read(buf)
				if err != nil {
					t.Fatalf("bandwidth %d, read %d: %v", bps, size, err)
				}
				total += int64(n)
			}
			got := float64(total) / vc.elapsed().Seconds()
			t.Logf("bandwidth %d B/s, reads of %d B (burst %d): %d B in %v = %.0f B/s", bps, size, burst, total, vc.elapsed(), got)
			within(t, "bytes per second", got, float64(bps))
		}
	}
}

func TestBandwidthNone(t *testing.T) {
	if b := NewBandwidth(0); b != nil {
		t.Errorf("NewBandwidth(0) = %v, want nil (no cap)", b)
	}
	r := strings.NewReader("x")
	var b *Bandwidth
	if got := b.Reader(t.Context(), r); got != io.Reader(r) {
		t.Errorf("nil Bandwidth: Reader wrapped r, want r itself")
	}
}

// TestBandwidthReaderCancelled: a Read whose context is done returns the
// bytes it read and the context's error, and passes r's own errors on.
func TestBandwidthReaderCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	b := NewBandwidth(1 << 20)
	n, err := b.Reader(ctx, strings.NewReader("abc")).Read(make([]byte, 8))
	if n != 3 || !errors.Is(err, context.Canceled) {
		t.Errorf("Read = %d, %v; want 3, context.Canceled", n, err)
	}
	got, err := io.ReadAll(b.Reader(t.Context(), strings.NewReader("abc")))
	if err != nil || !bytes.Equal(got, []byte("abc")) {
		t.Errorf("ReadAll = %q, %v; want \"abc\", nil", got, err)
	}
}
