package limit

import (
	"context"
	"time"
)

// epoch is the virtual clocks' time zero.
var epoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// virtualClock is a clock whose sleeps advance it instantly.
type virtualClock struct{ t time.Time }

func newVirtualClock() *virtualClock { return &virtualClock{t: epoch} }

func (v *virtualClock) now() time.Time { return v.t }

func (v *virtualClock) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d > 0 {
		v.t = v.t.Add(d)
	}
	return nil
}

func (v *virtualClock) clock() clock { return clock{now: v.now, sleep: v.sleep} }

func (v *virtualClock) elapsed() time.Duration { return v.t.Sub(epoch) }
