package view

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/copier"
	"github.com/lakesync/lakesync/internal/plan"
)

// archivedPlanLines are the lines of a job's plan about its archived
// source objects and their restores, each "WORD ...": empty when there is
// none. The human view indents them under the job, the markdown view
// lists them.
func archivedPlanLines(j *plan.JobPlan) []string {
	d := j.Data
	if d == nil || (d.Archived.Objects == 0 && d.Restore == nil) {
		return nil
	}
	var out []string
	head := fmt.Sprintf("archived %s, %s: ", objects(d.Archived.Objects), humanBytes(d.Archived.Bytes))
	switch {
	case d.Archived.Objects == 0:
	case j.Archived == string(config.ArchivedFail):
		out = append(out, head+`apply fails on them (archived = "fail"); set archived = "restore" to restore them, or "skip" to leave them`)
	case d.Restore != nil:
		out = append(out, head+"not copied until restored; a later run copies each once its restore has completed")
	default:
		out = append(out, head+`not copied; set archived = "restore" to restore them`)
	}
	r := d.Restore
	if r == nil {
		return out
	}
	if r.Requests.Objects > 0 {
		var classes []string
		for _, c := range slices.Sorted(maps.Keys(r.ByClass)) {
			classes = append(classes, fmt.Sprintf("%s %s", num(r.ByClass[c].Objects), c))
		}
		out = append(out, fmt.Sprintf("restore   %s, %s (%s), %s for %d days: $%.4f",
			objects(r.Requests.Objects), humanBytes(r.Requests.Bytes), strings.Join(classes, ", "), r.Tier, r.Days, r.CostUSD))
	}
	if r.Requested.Objects > 0 {
		out = append(out, fmt.Sprintf("restoring %s, %s: requested by an earlier run; copied once restored",
			objects(r.Requested.Objects), humanBytes(r.Requested.Bytes)))
	}
	if r.Unavailable.Objects > 0 {
		out = append(out, fmt.Sprintf(`restore   %s in DEEP_ARCHIVE cannot be restored %s: apply fails on %s; set restore_tier = "Standard" or "Bulk"`,
			objects(r.Unavailable.Objects), r.Tier, plural(int(min(r.Unavailable.Objects, 2)), "it", "them")))
	}
	return out
}

// archivedTotalsLine sums, under the plan's summary, the archived objects
// apply will restore or fail on: "" when there is none.
func archivedTotalsLine(p *plan.Plan) string {
	var requests, requested, failing plan.Count
	add := func(sum *plan.Count, c plan.Count) { sum.Objects += c.Objects; sum.Bytes += c.Bytes }
	for _, j := range p.Jobs {
		switch d := j.Data; {
		case d == nil:
		case d.Restore != nil:
			add(&requests, d.Restore.Requests)
			add(&requested, d.Restore.Requested)
			add(&failing, d.Restore.Unavailable)
		case j.Archived == string(config.ArchivedFail):
			add(&failing, d.Archived)
		}
	}
	var parts []string
	if requests.Objects > 0 {
		parts = append(parts, fmt.Sprintf("%s (%s) to restore", objects(requests.Objects), humanBytes(requests.Bytes)))
	}
	if requested.Objects > 0 {
		parts = append(parts, fmt.Sprintf("%s restoring, copied once restored", objects(requested.Objects)))
	}
	if failing.Objects > 0 {
		parts = append(parts, fmt.Sprintf("%s that apply fails on", objects(failing.Objects)))
	}
	if len(parts) == 0 {
		return ""
	}
	return "Archived: " + strings.Join(parts, "; ") + "."
}

// archivedRunLine is the line after a job's copy summary about the
// archived objects the run left: "" when there is none.
func archivedRunLine(job *config.Job, s *copier.CopySummary) string {
	if s.Archived == 0 {
		return ""
	}
	head := fmt.Sprintf("%s: archived %s, %s: ", s.Job, objects(s.Archived), humanBytes(s.ArchivedBytes))
	if job == nil || job.Archived != config.ArchivedRestore {
		return head + `not copied; set archived = "restore" to restore them`
	}
	var parts []string
	if s.RestoresRequested > 0 {
		parts = append(parts, fmt.Sprintf("%s %s requested (%s, %d days)", num(s.RestoresRequested),
			plural(int(min(s.RestoresRequested, 2)), "restore", "restores"), job.RestoreTier, job.RestoreDays))
	}
	if s.Restoring > 0 {
		parts = append(parts, fmt.Sprintf("%s in progress", num(s.Restoring)))
	}
	return head + "not copied yet: " + strings.Join(parts, ", ") + "; a later run copies each once its restore has completed"
}

// archivedFailure writes the line naming an archived object a run failed
// on (archived = "fail", a tier S3 does not offer, a refused copy), so
// that every one is named, not only the first of the final error.
func archivedFailure(w io.Writer, e *copier.ObjectDone) {
	var ae *copier.ArchivedError
	if e.Err != nil && errors.As(e.Err, &ae) {
		fmt.Fprintf(w, "%s: %v\n", e.Job, ae)
	}
}
