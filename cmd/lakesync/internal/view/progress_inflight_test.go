package view

import (
	"bytes"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/copier"
	"github.com/lakesync/lakesync/internal/plan"
)

// The plain lines and the bar say how many requests are in flight, as
// the last object done reported it; the JSON summary's concurrency is the
// highest of the jobs and their average weighted by each job's duration.
func TestCopyViewInFlight(t *testing.T) {
	var out bytes.Buffer
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	v := &copyView{w: &out, now: func() time.Time { return now }, interval: time.Second}
	v.Begin(&config.Job{Name: "j"})
	v.OnCopyEvent(&copier.Listed{Job: "j", Objects: 2, Bytes: 200, Done: true})
	now = now.Add(time.Second)
	v.OnCopyEvent(&copier.ObjectDone{Job: "j", Key: "a", Bytes: 100, Action: plan.ObjectNew, InFlight: 64, Limit: 80})
	if want := "j: 1 of 2 objects done, 100 B, 100 B/s, 0 failed, 64 in flight\n"; out.String() != want {
		t.Errorf("plain line %q, want %q", out.String(), want)
	}

	bar := &copyView{w: &bytes.Buffer{}, tty: true, now: func() time.Time { return now }}
	bar.Begin(&config.Job{Name: "j"})
	now = now.Add(barEvery)
	bar.OnCopyEvent(&copier.ObjectDone{Job: "j", Key: "a", Bytes: 100, Action: plan.ObjectNew, InFlight: 12})
	if got, want := bar.bar.State().Description, "j 1 done, listing..., 0 failed, 12 in flight"; got != want {
		t.Errorf("bar %q, want %q", got, want)
	}

	var total SummaryLine
	total.Add(copier.CopySummary{ConcurrencyMax: 64, ConcurrencyAvg: 40, Duration: 3 * time.Second})
	total.Add(copier.CopySummary{ConcurrencyMax: 200, ConcurrencyAvg: 160, Duration: time.Second})
	if diff := cmp.Diff([2]float64{200, 70}, [2]float64{float64(total.ConcurrencyMax), total.ConcurrencyAvg}); diff != "" {
		t.Errorf("concurrency max, avg (-want +got):\n%s", diff)
	}
}
