package view

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Migrate is the view of lakesync migrate: the step transitions, what
// step 2 would delete, and the end; the copy steps' plans, policies and
// object events go to the Apply view it embeds.
type Migrate interface {
	Apply
	// Start is the run's first line: the steps, and the one it starts at.
	Start(l MigrationStartLine)
	// Step is a step's transition.
	Step(l MigrationStepLine)
	// Deletion is what step 2 deletes, and the settings that do not move.
	Deletion(d MigrationDeletion)
	// Summary is the migration's end: done, stopped or failed.
	Summary(l MigrationSummaryLine)
}

// MigrationStepLine is the JSON event of one step transition
// ("migration_step").
type MigrationStepLine struct {
	Type      string `json:"type"` // "migration_step"
	Migration string `json:"migration"`
	Step      int    `json:"step"`
	Of        int    `json:"of"`
	Title     string `json:"title"`
	// Status is started, progress, waiting, stopped, done or failed.
	Status  string `json:"status"`
	Percent int    `json:"percent"` // the whole migration's progress
	Message string `json:"message"`
}

// MigrationStartLine is the first JSON event of a migration run
// ("migration_start"): the titles of its steps, in order, and the step
// it starts at (1 for a new migration; the steps before it were done by
// earlier runs).
type MigrationStartLine struct {
	Type      string   `json:"type"` // "migration_start"
	Migration string   `json:"migration"`
	Steps     []string `json:"steps"`
	From      int      `json:"from"`
}

// MigrationSummaryLine is the last JSON event of a migration
// ("migration_summary").
type MigrationSummaryLine struct {
	Type      string `json:"type"` // "migration_summary"
	Migration string `json:"migration"`
	Status    string `json:"status"` // done, stopped or failed
	Step      int    `json:"step"`   // the step it ended at
	Message   string `json:"message,omitempty"`
}

// MigrationDeletion is what the source holds and the settings that will
// not move with its objects ("migration_deletion" in JSON).
type MigrationDeletion struct {
	Type          string             `json:"type"` // "migration_deletion"
	Migration     string             `json:"migration"`
	Bucket        string             `json:"bucket"`
	AccountName   string             `json:"account_name"`
	AccountID     string             `json:"account_id"`
	Objects       int64              `json:"objects"`
	Versions      int64              `json:"noncurrent_versions"`
	DeleteMarkers int64              `json:"delete_markers"`
	Bytes         int64              `json:"bytes"`
	Settings      []MigrationSetting `json:"settings"`
	File          string             `json:"file"` // where the settings are written
}

// MigrationSetting is one setting that does not move, and how to put it
// back.
type MigrationSetting struct {
	Name     string          `json:"name"`
	Reapply  string          `json:"reapply"`
	Document json.RawMessage `json:"document"`
}

// NewMigrate is migrate's view: JSON lines with JSON, else lines for
// people.
func NewMigrate(f Format, t Terminal) Migrate {
	if f == JSON {
		return jsonMigrate{NewApply(JSON, t), t}
	}
	return &humanMigrate{Apply: NewApply(Human, t), t: t}
}

type jsonMigrate struct {
	Apply
	t Terminal
}

func (v jsonMigrate) Start(l MigrationStartLine) {
	l.Type = "migration_start"
	writeJSONLine(v.t.Out, l)
}

func (v jsonMigrate) Step(l MigrationStepLine) {
	l.Type = "migration_step"
	writeJSONLine(v.t.Out, l)
}

func (v jsonMigrate) Deletion(d MigrationDeletion) {
	d.Type = "migration_deletion"
	writeJSONLine(v.t.Out, d)
}

func (v jsonMigrate) Summary(l MigrationSummaryLine) {
	l.Type = "migration_summary"
	writeJSONLine(v.t.Out, l)
}

type humanMigrate struct {
	Apply
	t       Terminal
	printed int // the last progress percentage printed
}

// progressEvery is the percentage between two progress lines.
const progressEvery = 5

// Start says where a resumed migration goes on; a new one starts with
// its first step's line.
func (v *humanMigrate) Start(l MigrationStartLine) {
	if l.From > 1 && l.From <= len(l.Steps) {
		fmt.Fprintf(v.t.Out, "migration %s: resuming at step %d of %d (%s); the steps before it were done by an earlier run.\n",
			l.Migration, l.From, len(l.Steps), l.Steps[l.From-1])
	}
}

func (v *humanMigrate) Step(l MigrationStepLine) {
	if l.Status == "progress" {
		if l.Percent < v.printed+progressEvery {
			return
		}
		v.printed = l.Percent
	}
	line := fmt.Sprintf("migration %s: step %d of %d (%s)", l.Migration, l.Step, l.Of, l.Title)
	switch l.Status {
	case "started", "progress":
		fmt.Fprintf(v.t.Out, "%s, %d%%\n", line, l.Percent)
	case "done":
		fmt.Fprintf(v.t.Out, "%s done, %d%%\n", line, l.Percent)
	case "waiting":
		fmt.Fprintf(v.t.Out, "%s, %d%%: %s\n", line, l.Percent, l.Message)
	default: // stopped, failed
		fmt.Fprintf(v.t.Out, "%s %s: %s\n", line, l.Status, l.Message)
	}
}

func (v *humanMigrate) Deletion(d MigrationDeletion) {
	w := v.t.Out
	fmt.Fprintf(w, "\nStep 3 deletes bucket %s in account %s (%s): %d object(s), %d noncurrent version(s), %d delete marker(s), %s in all.\n",
		d.Bucket, d.AccountName, d.AccountID, d.Objects, d.Versions, d.DeleteMarkers, humanBytes(d.Bytes))
	if d.Versions > 0 || d.DeleteMarkers > 0 {
		fmt.Fprintf(w, "Only the current version of each object moves: the %d noncurrent version(s) and %d delete marker(s) are deleted with the bucket and kept nowhere. The temporary and the recreated bucket are versioned, as the source is.\n",
			d.Versions, d.DeleteMarkers)
	}
	if len(d.Settings) == 0 {
		fmt.Fprintf(w, "Every setting lakesync can read moves or is lakesync's own: none to reapply (%s lists none).\n\n", d.File)
		return
	}
	fmt.Fprintf(w, "%d setting(s) will not move with the objects; reapply them to the new bucket with these commands (also written to %s):\n", len(d.Settings), d.File)
	for _, s := range d.Settings {
		fmt.Fprintf(w, "\n  %s: %s\n", s.Name, s.Reapply)
		for _, line := range strings.Split(strings.TrimRight(string(s.Document), "\n"), "\n") {
			fmt.Fprintf(w, "    %s\n", line)
		}
	}
	fmt.Fprintln(w)
}

func (v *humanMigrate) Summary(l MigrationSummaryLine) {
	switch l.Status {
	case "done":
		fmt.Fprintf(v.t.Out, "migration %s: done, 100%%.\n", l.Migration)
	case "stopped":
		fmt.Fprintf(v.t.Out, "migration %s: stopped at step %d of 6.\n", l.Migration, l.Step)
	}
}
