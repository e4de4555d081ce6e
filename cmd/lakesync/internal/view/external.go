package view

import (
	"fmt"
	"strings"

	"github.com/lakesync/lakesync/internal/plan"
	"github.com/lakesync/lakesync/internal/policy"
)

// advice shows the settings lakesync would change on buckets with
// policy = "external": it writes none of them.
func (v *planView) advice(settings []*plan.SettingChange) {
	if len(settings) == 0 {
		return
	}
	fmt.Fprintln(v.w, "Advice: settings of buckets with policy = \"external\"; lakesync does not change them, the tool that owns the bucket should:")
	fmt.Fprintln(v.w)
	for _, s := range settings {
		fmt.Fprintf(v.w, "  ! %s: %s of %s (account %s %s)\n", s.Address, strings.ReplaceAll(s.Setting, "_", " "), s.Bucket, s.AccountName, s.AccountID)
		fmt.Fprintf(v.w, "      %s -> %s\n", s.Before, s.After)
		fmt.Fprintf(v.w, "      # %s\n\n", s.Reason)
	}
}

// Refused says apply copies nothing for job: the grants gaps are missing
// from its external documents (findings of plan.CheckExternal).
func (v humanApply) Refused(job string, gaps []policy.Finding) {
	fmt.Fprintf(v.t.Out, "\nsync %q: copying nothing: its documents with policy = \"external\" lack %d %s it needs:\n", job, len(gaps), plural(len(gaps), "grant", "grants"))
	for _, g := range gaps {
		fmt.Fprintf(v.t.Out, "  - %s\n", g.Message)
	}
	fmt.Fprintf(v.t.Out, "  Add the statements of `lakesync export terraform --job %s` to them, then run lakesync apply again.\n\n", job)
}

// Refused is a "refused" event line with the missing grants.
func (v jsonApply) Refused(job string, gaps []policy.Finding) {
	writeJSONLine(v.t.Out, refusedLine{Type: "refused", Job: job, Missing: gaps})
}

type refusedLine struct {
	Type    string           `json:"type"` // "refused"
	Job     string           `json:"job"`
	Missing []policy.Finding `json:"missing"`
}
