package copier

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lakesync/lakesync/internal/plan"
)

// CopyEvent is a progress event of a copy run: one of *Listed,
// *ObjectStarted, *PartDone, *ObjectDone, *LeftoverUpload and
// *CopySummary.
type CopyEvent interface{ copyEvent() }

// CopyListener receives the events of a run. The copier calls it from one
// goroutine at a time, in order; it must not block for long.
type CopyListener interface{ OnCopyEvent(CopyEvent) }

// CopyListenerFunc adapts a function to CopyListener.
type CopyListenerFunc func(CopyEvent)

// OnCopyEvent calls f.
func (f CopyListenerFunc) OnCopyEvent(e CopyEvent) { f(e) }

// Listed reports the source listing's progress: the totals so far. It is
// sent every 1000 source objects selected, so objects listed since the
// last one may already be done, and once with Done set when every listing
// (source, state records, destination) has ended: only then are the
// totals the whole of the run's work.
type Listed struct {
	Job     string
	Objects int64 // source objects selected
	Bytes   int64
	Done    bool // the listing is complete
	// Deletes counts the destination objects found gone at source that
	// the run deletes (sync with delete = true): work beside Objects.
	Deletes int64
	// Unchanged and UnchangedBytes are the listed objects found unchanged
	// so far: nothing is sent for each of them, and the work left of the
	// listing is Bytes - UnchangedBytes.
	Unchanged      int64
	UnchangedBytes int64
}

// ObjectStarted is sent when an object's copy (or adoption, or delete)
// starts.
type ObjectStarted struct {
	Job     string
	Key     string // source key
	DestKey string
	Size    int64
	Action  plan.ObjectAction
}

// LeftoverUpload is sent for each multipart upload an earlier run of the
// job started and never finished (a kill -9): what the run did with it.
// It comes before any object for an upload recorded by an older lakesync,
// when its object's copy starts otherwise, and at the end of the run for
// one whose object the run did not copy.
type LeftoverUpload struct {
	Job      string
	DestKey  string
	UploadID string
	// Action is "resumed" (only the missing parts are copied;
	// PartsResumed were there), "aborted" (the object is copied again
	// from its first part) or "kept" (the abort failed; Err says why,
	// and the next run tries again).
	Action string
	// Reason says why an upload was not resumed: the source changed, the
	// part size changed, a part S3 holds does not fit the part plan, the
	// transfer changed, S3 no longer knows it,
	// its parts could not be read (Err says why), or this run did not
	// copy its object. Empty for an upload an older lakesync recorded.
	Reason       string
	PartsResumed int32
	Err          error
}

// PartDone is sent when one part of a multipart copy is written.
type PartDone struct {
	Job   string
	Key   string
	Part  int32
	Bytes int64
}

// ObjectDone is sent when an object is copied, adopted or deleted, or
// failed (Err set), or left archived (Action plan.ObjectArchived, Reason
// saying why), or, with an S3 Inventory as the source listing, found gone
// at source (plan.ObjectGone) or left alone because a HEAD found the
// source the report lacks (plan.ObjectKeep). Bytes are those written (0 when adopted or deleted).
type ObjectDone struct {
	Job      string
	Key      string // source key
	DestKey  string
	Bytes    int64
	Action   plan.ObjectAction
	Reason   string
	Duration time.Duration
	Err      error
	// InFlight is the requests in flight as the object ended, and Limit
	// the pool's limit then (concurrency, or where "auto" has it).
	InFlight int
	Limit    int
	// PartsResumed is how many parts of a multipart upload a killed run
	// left were reused, not copied again (Bytes leaves them out).
	PartsResumed int32
}

// CopySummary ends a run and is also its result.
type CopySummary struct {
	Job      string
	Copied   int64
	Adopted  int64
	Skipped  int64 // unchanged, and gone at source with delete off
	Deleted  int64
	Failed   int64
	Bytes    int64 // bytes written
	Duration time.Duration
	Retries  int64 // requests retried by the SDK (throttling, transient errors)
	// ConcurrencyMax and ConcurrencyAvg are the most requests in flight
	// and their time-weighted average over the run (limit.Usage).
	ConcurrencyMax int
	ConcurrencyAvg float64
	Failures       []ObjectFailure
	Truncated      bool // more objects failed than Failures holds
	// Archived counts the archived source objects this run did not copy
	// (archived = "skip", or restores requested or in progress), with
	// their bytes; they are not failures. RestoresRequested counts the
	// restore requests this run sent, Restoring the objects whose restore
	// is still in progress.
	Archived          int64
	ArchivedBytes     int64
	RestoresRequested int64
	Restoring         int64
	// SourceListing is the S3 Inventory report the run read as its
	// source listing (nil: it listed the source bucket), and Gone counts
	// the objects the report named that were gone from the source when
	// the run came to copy them (ObjectDone with plan.ObjectGone): not
	// failures, not recorded.
	SourceListing *plan.SourceListing
	Gone          int64
}

// ObjectFailure names a failed object.
type ObjectFailure struct {
	Key string
	Err error
}

// maxFailures is how many failures a summary names.
const maxFailures = 100

func (*Listed) copyEvent()         {}
func (*ObjectStarted) copyEvent()  {}
func (*PartDone) copyEvent()       {}
func (*ObjectDone) copyEvent()     {}
func (*LeftoverUpload) copyEvent() {}
func (*CopySummary) copyEvent()    {}

// ErrInterrupted is returned (wrapped) by Run when its context was
// cancelled: scheduling stopped, in-flight objects finished or were
// aborted, and the state holds every object that completed. Running again
// resumes.
var ErrInterrupted = errors.New("copy interrupted")

// ObjectsFailedError is returned by Run when the run went through but
// some objects failed.
type ObjectsFailedError struct {
	Job      string
	Failures []ObjectFailure
	Count    int64
}

func (e *ObjectsFailedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "job %q: %d object(s) failed", e.Job, e.Count)
	for i, f := range e.Failures {
		if i == 5 {
			fmt.Fprintf(&b, "; and %d more", e.Count-5)
			break
		}
		fmt.Fprintf(&b, "; %s: %v", f.Key, f.Err)
	}
	return b.String()
}
