package view

import (
	"fmt"
	"io"
	"strings"

	"github.com/lakesync/lakesync/internal/plan"
	"github.com/lakesync/lakesync/internal/policy"
)

// Check shows lakesync check: the evaluation of the documents in force
// (Access), or the requests of check --live (Live).
type Check interface {
	Access(report []plan.JobAccess) error
	Live(report []LiveJob) error
}

// NewCheck is check's view: one JSON document with JSON, else the human
// view, coloured with color.
func NewCheck(f Format, w io.Writer, color bool) Check {
	if f == JSON {
		return jsonCheck{w}
	}
	return humanCheck{&planView{w: w, color: color}}
}

type jsonCheck struct{ w io.Writer }

func (v jsonCheck) Access(report []plan.JobAccess) error { return WriteJSON(v.w, report) }
func (v jsonCheck) Live(report []LiveJob) error          { return WriteJSON(v.w, report) }

type humanCheck struct{ v *planView }

func (h humanCheck) Access(report []plan.JobAccess) error {
	v := h.v
	for _, ja := range report {
		fmt.Fprintf(v.w, "sync %q (%s)\n", ja.Job, ja.Transfer)
		if ja.Note != "" {
			fmt.Fprintf(v.w, "  # %s\n\n", ja.Note)
			continue
		}
		for _, d := range ja.Decisions {
			mark := v.paint(ansiGreen, "allowed")
			if !d.Allowed() {
				mark = v.paint(ansiRed, d.Outcome)
			}
			fmt.Fprintf(v.w, "  %-9s %s on %s%s\n", mark, d.Request.Action, d.Request.Resource, callNote(d.Request))
			for _, m := range d.Missing {
				fmt.Fprintf(v.w, "            missing: %s\n", m)
			}
			for _, ref := range d.DeniedBy {
				if len(ref.ConditionKeys) > 0 {
					fmt.Fprintf(v.w, "            may be denied by: %s (depends on %s)\n", ref, strings.Join(ref.ConditionKeys, ", "))
					continue
				}
				fmt.Fprintf(v.w, "            denied by: %s\n", ref)
			}
		}
		verdict := "every request is allowed"
		if !ja.Allowed() {
			verdict = "NOT every request is allowed"
		}
		fmt.Fprintf(v.w, "  => %s\n\n", verdict)
		v.findings(ja.Findings)
		v.findings(ja.External)
	}
	return nil
}

// callNote names the API call of a request, and marks the calls only
// multipart copies make: " (UploadPartCopy, multipart copies only)".
func callNote(r policy.Request) string {
	switch {
	case r.API == "":
		return ""
	case r.Multipart != "":
		return " (" + r.API + ", multipart copies only)"
	}
	return " (" + r.API + ")"
}
