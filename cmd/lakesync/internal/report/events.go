package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/view"
	"github.com/lakesync/lakesync/internal/plan"
)

// Run is what an apply's event stream says.
type Run struct {
	Policies  []Policy
	Objects   []view.ObjectEventLine
	Leftovers []Leftover
	Refused   []string // jobs that copied nothing: external documents lack a grant
	// Migration is what a lakesync migrate --json stream says of its
	// steps; nil for an apply's.
	Migration *Migration
	// Plan is the "plan" event's plan (the last one's); nil when the
	// stream has none (an apply --json of an older lakesync).
	Plan *plan.Plan
	// Summary is the final "summary" event; nil when the stream ends
	// without one (the run was killed).
	Summary *view.SummaryLine
}

// Policy is a "policy" event: a document or setting apply wrote.
type Policy = view.PolicyEventLine

// Leftover is a "leftover_upload" event: an upload an earlier run left.
type Leftover = view.LeftoverUploadLine

// Parse reads the JSON lines of apply --json. Blank lines and events of
// other types are skipped; a line that is not a JSON object is an error
// naming it.
func Parse(r io.Reader, name string) (*Run, error) {
	run := &Run{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := sc.Bytes()
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if err := run.add(line); err != nil {
			return nil, fmt.Errorf("%s:%d: not an apply --json event: %w", name, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return run, nil
}

func (run *Run) add(line []byte) error {
	var head struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(line, &head); err != nil {
		return err
	}
	switch head.Type {
	case "policy":
		var p Policy
		err := json.Unmarshal(line, &p)
		run.Policies = append(run.Policies, p)
		return err
	case "object":
		var o view.ObjectEventLine
		err := json.Unmarshal(line, &o)
		run.Objects = append(run.Objects, o)
		return err
	case "leftover_upload":
		var l Leftover
		err := json.Unmarshal(line, &l)
		run.Leftovers = append(run.Leftovers, l)
		return err
	case "refused":
		var r struct {
			Job string `json:"job"`
		}
		err := json.Unmarshal(line, &r)
		run.Refused = append(run.Refused, r.Job)
		return err
	case "migration_start", "migration_step", "migration_deletion", "migration_summary":
		if run.Migration == nil {
			run.Migration = &Migration{}
		}
		return run.Migration.add(head.Type, line)
	case "plan":
		var p view.PlanEventLine
		err := json.Unmarshal(line, &p)
		run.Plan = p.Plan
		return err
	case "summary":
		var s view.SummaryLine
		err := json.Unmarshal(line, &s)
		run.Summary = &s
		return err
	case "":
		return fmt.Errorf("no \"type\"")
	}
	return nil
}
