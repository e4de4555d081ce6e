package main

import (
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/copier"
)

// copyView renders the copier's events: a live bar per job on a terminal
// (objects, bytes, rate, ETA, failures), a plain line every few seconds
// otherwise, JSON lines with --json; always a final summary.
type copyView struct {
	w        io.Writer // JSON lines, plain progress lines and the summaries
	barW     io.Writer // the bar, when not w (stderr, so stdout keeps the summaries)
	json     bool
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
		if e.Err != nil {
			v.failed++
		}
		if v.json {
			writeJSONEvent(v.w, objectEventJSON(e))
		} else {
			archivedFailure(v.w, e)
		}
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

// begin starts the view of one job.
func (v *copyView) begin(job *config.Job) {
	if v.now == nil {
		v.now = time.Now
	}
	*v = copyView{w: v.w, barW: v.barW, json: v.json, tty: v.tty, interval: v.interval, now: v.now, job: job.Name, start: v.now()}
	v.lastLine = v.start
	v.cfg = job
	if v.tty && !v.json {
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
	if v.json {
		return
	}
	every := v.interval
	if every == 0 {
		every = 5 * time.Second
	}
	if now := v.now(); now.Sub(v.lastLine) >= every {
		v.lastLine = now
		elapsed := now.Sub(v.start).Seconds()
		fmt.Fprintf(v.w, "%s: %s, %s, %s/s, %d failed\n",
			v.job, v.objectCounts(" of ", " objects done"), humanBytes(v.bytes), humanBytes(int64(float64(v.bytes)/max(elapsed, 0.001))), v.failed)
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
	v.bar.Describe(fmt.Sprintf("%s %s, %d failed", v.job, v.objectCounts("/", " objects"), v.failed))
}

func (v *copyView) finish(s *copier.CopySummary) {
	if v.bar != nil {
		v.describe()
		_ = v.bar.Finish()
	}
	if v.json {
		return
	}
	fmt.Fprintf(v.w, "%s: %s copied, %s adopted, %s unchanged, %s deleted, %s failed; %s in %s (%s/s), %s retries\n",
		s.Job, num(s.Copied), num(s.Adopted), num(s.Skipped), num(s.Deleted), num(s.Failed),
		humanBytes(s.Bytes), s.Duration.Round(time.Millisecond), humanBytes(int64(float64(s.Bytes)/max(s.Duration.Seconds(), 0.001))), num(s.Retries))
	if l := archivedRunLine(v.cfg, s); l != "" {
		fmt.Fprintln(v.w, l)
	}
}

// leftover says what the run did with an upload an earlier run left.
func (v *copyView) leftover(e *copier.LeftoverUpload) {
	if v.json {
		l := leftoverUploadLine{Type: "leftover_upload", Job: e.Job, DestKey: e.DestKey, UploadID: e.UploadID, Action: e.Action}
		if e.Err != nil {
			l.Error = e.Err.Error()
		}
		writeJSONEvent(v.w, l)
		return
	}
	if e.Err != nil {
		fmt.Fprintf(v.w, "%s: could not abort the multipart upload of %s left by an earlier run (upload %s); the next run tries again: %v\n", e.Job, e.DestKey, e.UploadID, e.Err)
		return
	}
	fmt.Fprintf(v.w, "%s: aborted the multipart upload of %s left by an earlier run (upload %s); the object is copied again from its first part\n", e.Job, e.DestKey, e.UploadID)
}

// leftoverUploadLine is the JSON event of a LeftoverUpload.
type leftoverUploadLine struct {
	Type     string `json:"type"` // "leftover_upload"
	Job      string `json:"job"`
	DestKey  string `json:"destination_key"`
	UploadID string `json:"upload_id"`
	Action   string `json:"action"` // "aborted" or "kept"
	Error    string `json:"error,omitempty"`
}

type objectEventLine struct {
	Type    string  `json:"type"` // "object"
	Job     string  `json:"job"`
	Key     string  `json:"key"`
	DestKey string  `json:"destination_key"`
	Action  string  `json:"action"`
	Reason  string  `json:"reason,omitempty"`
	Bytes   int64   `json:"bytes"`
	Seconds float64 `json:"seconds"`
	Error   string  `json:"error,omitempty"`
}

func objectEventJSON(e *copier.ObjectDone) objectEventLine {
	l := objectEventLine{Type: "object", Job: e.Job, Key: e.Key, DestKey: e.DestKey, Action: string(e.Action), Reason: e.Reason, Bytes: e.Bytes, Seconds: e.Duration.Seconds()}
	if e.Err != nil {
		l.Error = e.Err.Error()
	}
	return l
}

// summaryLine is the final JSON event of apply --json.
type summaryLine struct {
	Type    string  `json:"type"` // "summary"
	Copied  int64   `json:"copied"`
	Adopted int64   `json:"adopted"`
	Skipped int64   `json:"skipped"`
	Deleted int64   `json:"deleted"`
	Failed  int64   `json:"failed"`
	Bytes   int64   `json:"bytes"`
	Retries int64   `json:"retries"`
	Seconds float64 `json:"seconds"`
	// Archived source objects not copied (not failures), their bytes, the
	// restore requests sent and the restores still in progress.
	Archived          int64 `json:"archived"`
	ArchivedBytes     int64 `json:"archived_bytes"`
	RestoresRequested int64 `json:"restores_requested"`
	Restoring         int64 `json:"restoring"`
}

func (l *summaryLine) add(s copier.CopySummary) {
	l.Copied += s.Copied
	l.Adopted += s.Adopted
	l.Skipped += s.Skipped
	l.Deleted += s.Deleted
	l.Failed += s.Failed
	l.Bytes += s.Bytes
	l.Retries += s.Retries
	l.Archived += s.Archived
	l.ArchivedBytes += s.ArchivedBytes
	l.RestoresRequested += s.RestoresRequested
	l.Restoring += s.Restoring
}
