package view

import (
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/copier"
)

// copyView renders the copier's events for people: a live bar per job on
// a terminal (objects, bytes, rate, ETA, failures), a plain line every few
// seconds otherwise, and a summary per job. jsonCopy is its --json form.
type copyView struct {
	w        io.Writer // plain progress lines and the summaries
	barW     io.Writer // the bar, when not w (stderr, so stdout keeps the summaries)
	tty      bool
	interval time.Duration // plain lines; 0: every 5 s
	now      func() time.Time

	job      string
	listed   copier.Listed
	done     int64 // objects finished (copied, adopted, deleted, failed)
	failed   int64
	bytes    int64
	parts    map[string]int64 // bytes of the parts done, by key of the multipart objects in flight
	start    time.Time
	lastLine time.Time
	bar      *progressbar.ProgressBar
	cfg      *config.Job // the job's block: its archived setting
	inFlight int         // requests in flight as the last object ended (0: not known)
}

func (v *copyView) OnCopyEvent(e copier.CopyEvent) {
	switch e := e.(type) {
	case *copier.Listed:
		v.listed = *e
		if v.bar != nil && e.Done {
			// The bar measures the work: unchanged objects send no event.
			// Until the listing has ended its total is unknown (the bytes
			// listed so far are fewer than those copied): no percentage.
			v.bar.ChangeMax64(max(e.Bytes-e.UnchangedBytes, 1))
		}
	case *copier.PartDone:
		if v.parts == nil {
			v.parts = map[string]int64{}
		}
		v.parts[e.Key] += e.Bytes
		v.addBytes(e.Bytes)
	case *copier.ObjectDone:
		v.done++
		v.inFlight = e.InFlight
		if e.Err != nil {
			v.failed++
		}
		archivedFailure(v.w, e)
		// A multipart object reported its bytes part by part.
		if e.Action.Copies() && e.Bytes > 0 {
			v.addBytes(e.Bytes - v.parts[e.Key])
		}
		delete(v.parts, e.Key)
	case *copier.LeftoverUpload:
		v.leftover(e)
	case *copier.CopySummary:
		v.finish(e)
		return
	}
	v.tick()
}

func (v *copyView) addBytes(n int64) {
	v.bytes += n
	if v.bar != nil && n > 0 {
		_ = v.bar.Add64(n)
	}
}

// Begin starts the view of one job.
func (v *copyView) Begin(job *config.Job) {
	if v.now == nil {
		v.now = time.Now
	}
	*v = copyView{w: v.w, barW: v.barW, tty: v.tty, interval: v.interval, now: v.now, job: job.Name, start: v.now()}
	v.lastLine = v.start
	v.cfg = job
	if v.tty {
		w := v.barW
		if w == nil {
			w = v.w
		}
		v.bar = progressbar.NewOptions64(-1,
			progressbar.OptionSetWriter(w),
			progressbar.OptionShowBytes(true),
			progressbar.OptionSetWidth(24),
			progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionShowCount(),
			progressbar.OptionSetDescription(job.Name),
			progressbar.OptionClearOnFinish(),
		)
	}
}

// barEvery is how often the bar's description (the object counts) is
// redrawn: the bar itself redraws at most every 200 ms, and formatting the
// counts on every event cost 2.5 us an object under the copier's event lock.
const barEvery = 100 * time.Millisecond

func (v *copyView) tick() {
	if v.bar != nil {
		if now := v.now(); now.Sub(v.lastLine) >= barEvery {
			v.lastLine = now
			v.describe()
		}
		return
	}
	every := v.interval
	if every == 0 {
		every = 5 * time.Second
	}
	if now := v.now(); now.Sub(v.lastLine) >= every {
		v.lastLine = now
		elapsed := now.Sub(v.start).Seconds()
		fmt.Fprintf(v.w, "%s: %s, %s, %s/s, %d failed%s\n",
			v.job, v.objectCounts(" of ", " objects done"), humanBytes(v.bytes), humanBytes(int64(float64(v.bytes)/max(elapsed, 0.001))), v.failed, v.inFlightText())
	}
}

// objectsDone counts the objects finished and those found unchanged.
func (v *copyView) objectsDone() int64 { return v.done + v.listed.Unchanged }

// objectCounts is "N done, listing..." until the listing has ended (the
// objects listed so far are not the total, and fewer than those done
// until the next Listed event), then "N" of "M" objects: the source
// objects and the deletes.
func (v *copyView) objectCounts(of, objects string) string {
	if !v.listed.Done {
		return num(v.objectsDone()) + " done, listing..."
	}
	return num(v.objectsDone()) + of + num(v.listed.Objects+v.listed.Deletes) + objects
}

func (v *copyView) describe() {
	v.bar.Describe(fmt.Sprintf("%s %s, %d failed%s", v.job, v.objectCounts("/", " objects"), v.failed, v.inFlightText()))
}

// inFlightText is ", N in flight" once the copier has reported it.
func (v *copyView) inFlightText() string {
	if v.inFlight <= 0 {
		return ""
	}
	return fmt.Sprintf(", %d in flight", v.inFlight)
}

func (v *copyView) finish(s *copier.CopySummary) {
	if v.bar != nil {
		v.describe()
		_ = v.bar.Finish()
	}
	fmt.Fprintf(v.w, "%s: %s copied, %s adopted, %s unchanged, %s deleted, %s failed; %s in %s (%s/s), %s retries\n",
		s.Job, num(s.Copied), num(s.Adopted), num(s.Skipped), num(s.Deleted), num(s.Failed),
		humanBytes(s.Bytes), s.Duration.Round(time.Millisecond), humanBytes(int64(float64(s.Bytes)/max(s.Duration.Seconds(), 0.001))), num(s.Retries))
	if l := archivedRunLine(v.cfg, s); l != "" {
		fmt.Fprintln(v.w, l)
	}
	if l := sourceListingRunLine(s); l != "" {
		fmt.Fprintln(v.w, l)
	}
}

// Done ends the run: the summaries are written, job by job.
func (v *copyView) Done(SummaryLine) {}

// leftover says what the run did with an upload an earlier run left.
func (v *copyView) leftover(e *copier.LeftoverUpload) {
	if e.Err != nil && e.Action == "kept" {
		fmt.Fprintf(v.w, "%s: could not abort the multipart upload of %s left by an earlier run (upload %s); the next run tries again: %v\n", e.Job, e.DestKey, e.UploadID, e.Err)
		return
	}
	switch {
	case e.Action == "resumed":
		fmt.Fprintf(v.w, "%s: resuming the multipart upload of %s left by an earlier run (upload %s): %d part(s) already there are kept, only the missing ones are copied\n", e.Job, e.DestKey, e.UploadID, e.PartsResumed)
	case e.Reason == copier.ReasonNotCopied:
		fmt.Fprintf(v.w, "%s: aborted the multipart upload of %s left by an earlier run (upload %s): %s (gone at source, unchanged or adopted)\n", e.Job, e.DestKey, e.UploadID, e.Reason)
	case e.Reason != "":
		why := e.Reason
		if e.Err != nil {
			why += fmt.Sprintf(" (%v)", e.Err)
		}
		fmt.Fprintf(v.w, "%s: aborted the multipart upload of %s left by an earlier run (upload %s), not resumed because %s; the object is copied again from its first part\n", e.Job, e.DestKey, e.UploadID, why)
	default:
		fmt.Fprintf(v.w, "%s: aborted the multipart upload of %s left by an earlier run (upload %s); the object is copied again from its first part\n", e.Job, e.DestKey, e.UploadID)
	}
}
