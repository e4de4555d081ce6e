package view

import (
	"io"
	"math"
	"time"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/copier"
)

// Copy shows a run of the copier: it receives the copier's events, is told
// when each job begins, and ends with the totals of every job.
type Copy interface {
	copier.CopyListener
	Begin(job *config.Job)
	Done(total SummaryLine)
}

// NewCopy is the view of a copy: JSON lines on t.Out with JSON; otherwise
// the human view, with a bar on t.Err when t.Out is a terminal (stdout
// keeps the summaries).
func NewCopy(f Format, t Terminal) Copy {
	if f == JSON {
		return &jsonCopy{w: t.Out, now: time.Now, start: time.Now()}
	}
	v := &copyView{w: t.Out, tty: t.OutTTY}
	if t.OutTTY {
		v.barW = t.Err
	}
	return v
}

// jsonCopy writes a JSON line per object done and per upload an earlier
// run left, and the totals at the end. Each object line says when it
// ended: seconds since the view was made, on the clock now.
type jsonCopy struct {
	w     io.Writer
	now   func() time.Time
	start time.Time
}

func (v *jsonCopy) Begin(*config.Job) {}

func (v *jsonCopy) OnCopyEvent(e copier.CopyEvent) {
	switch e := e.(type) {
	case *copier.ObjectDone:
		l := objectEventJSON(e)
		l.Elapsed = math.Round(v.now().Sub(v.start).Seconds()*1000) / 1000
		writeJSONLine(v.w, l)
	case *copier.LeftoverUpload:
		l := LeftoverUploadLine{Type: "leftover_upload", Job: e.Job, DestKey: e.DestKey, UploadID: e.UploadID, Action: e.Action,
			Reason: e.Reason, PartsResumed: e.PartsResumed}
		if e.Err != nil {
			l.Error = e.Err.Error()
		}
		writeJSONLine(v.w, l)
	}
}

func (v *jsonCopy) Done(total SummaryLine) {
	total.Type = "summary"
	writeJSONLine(v.w, total)
}

// LeftoverUploadLine is the JSON event of a LeftoverUpload.
type LeftoverUploadLine struct {
	Type     string `json:"type"` // "leftover_upload"
	Job      string `json:"job"`
	DestKey  string `json:"destination_key"`
	UploadID string `json:"upload_id"`
	Action   string `json:"action"` // "resumed", "aborted" or "kept"
	Error    string `json:"error,omitempty"`
	// Reason says why an upload was not resumed; PartsResumed is how many
	// parts a resumed upload had.
	Reason       string `json:"reason,omitempty"`
	PartsResumed int32  `json:"parts_resumed,omitempty"`
}

// ObjectEventLine is the JSON event of an object done.
type ObjectEventLine struct {
	Type    string  `json:"type"` // "object"
	Job     string  `json:"job"`
	Key     string  `json:"key"`
	DestKey string  `json:"destination_key"`
	Action  string  `json:"action"`
	Reason  string  `json:"reason,omitempty"`
	Bytes   int64   `json:"bytes"`
	Seconds float64 `json:"seconds"`
	Error   string  `json:"error,omitempty"`
	// PartsResumed is how many parts of an upload a killed run left were
	// reused (present when some were).
	PartsResumed int32 `json:"parts_resumed,omitempty"`
	// Elapsed is when the object ended, in seconds since the copy began,
	// and InFlight the requests in flight then (both for the run report).
	Elapsed  float64 `json:"elapsed,omitempty"`
	InFlight int     `json:"in_flight,omitempty"`
}

func objectEventJSON(e *copier.ObjectDone) ObjectEventLine {
	l := ObjectEventLine{Type: "object", Job: e.Job, Key: e.Key, DestKey: e.DestKey, Action: string(e.Action), Reason: e.Reason, Bytes: e.Bytes, Seconds: e.Duration.Seconds(),
		PartsResumed: e.PartsResumed, InFlight: e.InFlight}
	if e.Err != nil {
		l.Error = e.Err.Error()
	}
	return l
}

// SummaryLine is the final JSON event of apply --json: the totals of
// every job.
type SummaryLine struct {
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
	// Gone counts the objects an S3 Inventory listed that were gone from
	// the source when copied (not failures).
	Gone int64 `json:"gone,omitempty"`
	// The most requests in flight in any job, and their time-weighted
	// average over the jobs' copies.
	ConcurrencyMax int     `json:"concurrency_max"`
	ConcurrencyAvg float64 `json:"concurrency_avg"`
	inFlightSecs   float64 // requests x seconds, summed over the jobs
	copySecs       float64 // the jobs' copy durations, summed
}

// Add adds the summary of one job.
func (l *SummaryLine) Add(s copier.CopySummary) {
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
	l.Gone += s.Gone
	l.ConcurrencyMax = max(l.ConcurrencyMax, s.ConcurrencyMax)
	l.inFlightSecs += s.ConcurrencyAvg * s.Duration.Seconds()
	l.copySecs += s.Duration.Seconds()
	if l.copySecs > 0 {
		l.ConcurrencyAvg = math.Round(l.inFlightSecs/l.copySecs*10) / 10
	}
}
