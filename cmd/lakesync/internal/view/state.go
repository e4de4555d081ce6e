package view

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/exec/state/s3state"
	"github.com/lakesync/lakesync/internal/plan"
)

// StateList shows lakesync state list: each record as it is read, then
// Done. A list that fails before Done shows nothing of the human table.
type StateList interface {
	Record(job string, rec plan.StateRecord)
	Done() error
}

// NewStateList is state list's view: one JSON object per line with JSON,
// else a table.
func NewStateList(f Format, w io.Writer) StateList {
	if f == JSON {
		return jsonStateList{w}
	}
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "JOB\tSOURCE KEY\tSIZE\tSOURCE ETAG\tDESTINATION KEY\tCOPIED AT")
	return humanStateList{tw}
}

type humanStateList struct{ tw *tabwriter.Writer }

func (v humanStateList) Record(job string, rec plan.StateRecord) {
	fmt.Fprintf(v.tw, "%s\t%s\t%d\t%s\t%s\t%s\n", job, rec.SourceKey, rec.Size, rec.SourceETag, rec.DestKey, rec.CopiedAt.UTC().Format(time.RFC3339))
}

func (v humanStateList) Done() error { return v.tw.Flush() }

type jsonStateList struct{ w io.Writer }

func (v jsonStateList) Record(job string, rec plan.StateRecord) {
	writeJSONLine(v.w, state.JobRecord{Job: job, Record: rec})
}

func (jsonStateList) Done() error { return nil }

// State shows the state commands that have only a human form: rm,
// rebuild, pull, push and unlock.
type State struct{ W io.Writer }

// Removed says rm removed n records (of job, when it removed a job's).
func (v State) Removed(n int, job string) {
	if job != "" {
		fmt.Fprintf(v.W, "Removed %d record(s) of job %s.\n", n, job)
		return
	}
	fmt.Fprintf(v.W, "Removed %d record(s).\n", n)
}

// MovedAside says rebuild moved the old state file to path.
func (v State) MovedAside(path string) { fmt.Fprintf(v.W, "Moved the old state to %s.\n", path) }

// Rebuilt says what rebuild adopted of one job.
func (v State) Rebuilt(job string, adopted, notAdoptable int64) {
	fmt.Fprintf(v.W, "%s: %s objects adopted into the state; %s not adoptable (the next apply copies them)\n",
		job, num(adopted), num(notAdoptable))
}

// Pulled says pull downloaded the S3 state from to the file to.
func (v State) Pulled(from, to string) { fmt.Fprintf(v.W, "Downloaded %s to %s.\n", from, to) }

// Pushed says push uploaded the file from as the S3 state to.
func (v State) Pushed(from, to string) { fmt.Fprintf(v.W, "Uploaded %s to %s.\n", from, to) }

// Unlocked says unlock broke lock l of the S3 state at loc.
func (v State) Unlocked(loc string, l s3state.StateLock) {
	fmt.Fprintf(v.W, "Broke lock %s of %s (held by %s since %s, running %q).\n",
		l.ID, loc, l.Who, l.When.Format("2006-01-02T15:04:05Z07:00"), l.What)
}
