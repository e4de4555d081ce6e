package view

import (
	"fmt"
	"strings"
)

// LiveJob is the live check of one job, as rendered and as --json
// serialises it.
type LiveJob struct {
	Job      string     `json:"job"`
	Transfer string     `json:"transfer"`
	Steps    []LiveStep `json:"steps"`
}

// LiveStep is one request of a live check.
type LiveStep struct {
	Step      string   `json:"step"`
	Action    string   `json:"action"`
	Resource  string   `json:"resource"`
	Outcome   string   `json:"outcome"` // LiveOK, LiveRefused, LiveFailed or LiveSkipped
	Note      string   `json:"note,omitempty"`
	Documents []string `json:"documents,omitempty"`
	Error     string   `json:"error,omitempty"`
}

// The outcomes of a live step.
const (
	LiveOK      = "ok"
	LiveRefused = "refused" // access denied
	LiveFailed  = "failed"  // any other error
	LiveSkipped = "skipped"
)

func (h humanCheck) Live(report []LiveJob) error {
	v := h.v
	for _, lj := range report {
		fmt.Fprintf(v.w, "sync %q (%s), live\n", lj.Job, lj.Transfer)
		ok := true
		for _, s := range lj.Steps {
			mark := v.paint(ansiGreen, "ok")
			switch s.Outcome {
			case LiveSkipped:
				mark = "skipped"
			case LiveRefused, LiveFailed:
				mark, ok = v.paint(ansiRed, s.Outcome), false
			}
			fmt.Fprintf(v.w, "  %-8s %s: %s on %s\n", mark, s.Step, s.Action, s.Resource)
			if s.Note != "" {
				fmt.Fprintf(v.w, "           %s\n", s.Note)
			}
			if len(s.Documents) > 0 {
				fmt.Fprintf(v.w, "           missing permission %s, likely in %s\n", s.Action, strings.Join(s.Documents, ", else "))
			}
			if s.Error != "" {
				fmt.Fprintf(v.w, "           error: %s\n", s.Error)
			}
		}
		verdict := "access proven; no data was moved"
		if !ok {
			verdict = "NOT every request succeeded"
		}
		fmt.Fprintf(v.w, "  => %s\n\n", verdict)
	}
	return nil
}
