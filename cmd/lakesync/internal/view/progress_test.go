package view

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/copier"
	"github.com/lakesync/lakesync/internal/plan"
)

// On a terminal the bar counts the bytes of every object, single-part or
// multipart (once), and its counts are redrawn at most every barEvery and
// always at the end.
func TestCopyViewBar(t *testing.T) {
	var out bytes.Buffer
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	v := &copyView{w: &out, tty: true, now: func() time.Time { return now }}
	v.Begin(&config.Job{Name: "j"})
	v.OnCopyEvent(&copier.Listed{Job: "j", Objects: 4, Bytes: 1300, Done: true})
	object := func(key string, n int64) {
		v.OnCopyEvent(&copier.ObjectDone{Job: "j", Key: key, Bytes: n, Action: plan.ObjectNew})
	}
	object("a", 100)
	now = now.Add(barEvery)
	object("b", 100)
	if got := v.bar.State().Description; got != "j 2/4 objects, 0 failed" {
		t.Errorf("after %s the counts are %q, want 2/4", barEvery, got)
	}
	object("c", 100)
	if got := v.bar.State().Description; got != "j 2/4 objects, 0 failed" {
		t.Errorf("counts redrawn within %s: %q", barEvery, got)
	}
	v.OnCopyEvent(&copier.PartDone{Job: "j", Key: "big", Part: 1, Bytes: 600})
	v.OnCopyEvent(&copier.PartDone{Job: "j", Key: "big", Part: 2, Bytes: 400})
	object("big", 1000)
	if got := v.bar.State().CurrentNum; got != 1300 {
		t.Errorf("the bar counted %d bytes, want 1300 (3 x 100 + 1000 in two parts)", got)
	}
	v.OnCopyEvent(&copier.CopySummary{Job: "j", Copied: 4, Bytes: 1300, Duration: time.Second})
	if got := v.bar.State().Description; got != "j 4/4 objects, 0 failed" {
		t.Errorf("the last counts are %q, want 4/4", got)
	}
	if !strings.Contains(out.String(), "j: 4 copied") {
		t.Errorf("no summary line:\n%q", out.String())
	}
}

// Without a terminal a line is printed every interval, with the bytes of
// every object.
func TestCopyViewPlainLines(t *testing.T) {
	var out bytes.Buffer
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	v := &copyView{w: &out, now: func() time.Time { return now }, interval: time.Second}
	v.Begin(&config.Job{Name: "j"})
	v.OnCopyEvent(&copier.Listed{Job: "j", Objects: 2, Bytes: 3072})
	v.OnCopyEvent(&copier.PartDone{Job: "j", Key: "big", Part: 1, Bytes: 1024})
	v.OnCopyEvent(&copier.ObjectDone{Job: "j", Key: "big", Bytes: 2048, Action: plan.ObjectNew})
	if out.Len() != 0 {
		t.Errorf("a line before the interval: %q", out.String())
	}
	now = now.Add(time.Second)
	v.OnCopyEvent(&copier.ObjectDone{Job: "j", Key: "small", Bytes: 1024, Action: plan.ObjectNew})
	if want := "j: 2 done, listing..., 3.0 KiB"; !strings.Contains(out.String(), want) {
		t.Errorf("line = %q, want it to contain %q", out.String(), want)
	}
}

// On a terminal the bar goes to its own stream (stderr) and the summary
// stays on w (stdout).
func TestCopyViewBarStream(t *testing.T) {
	var out, bar bytes.Buffer
	v := &copyView{w: &out, barW: &bar, tty: true}
	v.Begin(&config.Job{Name: "j"})
	v.OnCopyEvent(&copier.Listed{Job: "j", Objects: 1, Bytes: 100, Done: true})
	v.OnCopyEvent(&copier.ObjectDone{Job: "j", Key: "k", Bytes: 100, Action: plan.ObjectNew})
	v.OnCopyEvent(&copier.CopySummary{Job: "j", Copied: 1, Bytes: 100, Duration: time.Second})
	if !strings.Contains(out.String(), "j: 1 copied") || strings.Contains(out.String(), "%") {
		t.Errorf("stdout = %q, want the summary and no bar", out.String())
	}
	if bar.Len() == 0 || strings.Contains(bar.String(), "copied") {
		t.Errorf("stderr = %q, want the bar and no summary", bar.String())
	}
}

// On an incremental run the bar measures the work left: unchanged
// objects send no event but count as done, and their bytes are not in
// the bar's total.
func TestCopyViewBarIncremental(t *testing.T) {
	var out bytes.Buffer
	v := &copyView{w: &out, tty: true}
	v.Begin(&config.Job{Name: "j"})
	v.OnCopyEvent(&copier.Listed{Job: "j", Objects: 3, Bytes: 300, Done: true, Unchanged: 2, UnchangedBytes: 200})
	v.OnCopyEvent(&copier.ObjectDone{Job: "j", Key: "k", Bytes: 100, Action: plan.ObjectChanged})
	if st := v.bar.State(); st.Max != 100 || st.CurrentNum != 100 {
		t.Errorf("bar at %d of %d bytes, want 100 of 100", st.CurrentNum, st.Max)
	}
	v.OnCopyEvent(&copier.CopySummary{Job: "j", Copied: 1, Skipped: 2, Bytes: 100, Duration: time.Second})
	if got := v.bar.State().Description; got != "j 3/3 objects, 0 failed" {
		t.Errorf("the last counts are %q, want 3/3", got)
	}
}

// Until the listing has ended the counts say "N done, listing...": the
// objects listed so far are not the total, and Listed comes every 1000
// objects, so more are done than the last one counted. Once it has ended
// they are "N of M", M counting the deletes as well. On a terminal and in
// plain lines alike.
func TestCopyViewListing(t *testing.T) {
	for _, tty := range []bool{false, true} {
		var out bytes.Buffer
		now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		v := &copyView{w: &out, tty: tty, now: func() time.Time { return now }, interval: time.Second}
		v.Begin(&config.Job{Name: "j"})
		counts := func() string {
			if tty {
				return v.bar.State().Description
			}
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			return lines[len(lines)-1]
		}
		v.OnCopyEvent(&copier.Listed{Job: "j", Objects: 1000, Bytes: 1000})
		for i := range 1005 {
			if i == 1004 {
				now = now.Add(time.Second)
			}
			v.OnCopyEvent(&copier.ObjectDone{Job: "j", Key: fmt.Sprint(i), Bytes: 1, Action: plan.ObjectNew})
		}
		want := "j: 1,005 done, listing..., 1005 B"
		if tty {
			want = "j 1,005 done, listing..., 0 failed"
		}
		if got := counts(); !strings.HasPrefix(got, want) {
			t.Errorf("tty %v: while listing the counts read %q, want %q", tty, got, want)
		}
		if tty && v.bar.State().Max != -1 {
			t.Errorf("while listing the bar has a total of %d bytes, fewer than the 1005 B copied: want none", v.bar.State().Max)
		}
		v.OnCopyEvent(&copier.Listed{Job: "j", Objects: 1010, Bytes: 1010, Deletes: 2, Done: true})
		now = now.Add(time.Second)
		v.OnCopyEvent(&copier.ObjectDone{Job: "j", Key: "gone", Action: plan.ObjectDelete})
		want = "j: 1,006 of 1,012 objects done, 1005 B"
		if tty {
			want = "j 1,006/1,012 objects, 0 failed"
		}
		if got := counts(); !strings.HasPrefix(got, want) {
			t.Errorf("tty %v: once listed the counts read %q, want %q", tty, got, want)
		}
		if tty && v.bar.State().Max != 1010 {
			t.Errorf("once listed the bar's total is %d bytes, want 1010", v.bar.State().Max)
		}
	}
}
