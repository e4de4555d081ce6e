package view

import (
	"fmt"
	"strings"

	"github.com/lakesync/lakesync/internal/plan"
	"github.com/lakesync/lakesync/internal/policy"
)

// Apply shows an apply: the plan it makes, the question whether to apply
// it, each policy and bucket-setting change as it is made, the waits for
// IAM to propagate, the S3 Batch Operations jobs it submits, and then the
// copy (Copy).
type Apply interface {
	// Plan shows the plan about to be applied. With --json it is one
	// "plan" line (PlanEventLine), for the run report.
	Plan(p *plan.Plan)
	// Applying says a saved plan (apply PLANFILE) is applied: people
	// reviewed it when it was made, so the human view shows nothing;
	// with --json it is the same "plan" line as Plan's.
	Applying(p *plan.Plan)
	// Prompt asks for "yes" before a plan is applied.
	Prompt()
	// Policy says one change of a document or setting is made, or failed
	// (err). what is the document or setting ("bucket policy",
	// "object_ownership"), action the plan's.
	Policy(address, what, action string, err error)
	// Notice is a line for people on standard error, in any format: a
	// wait for a new grant to take effect.
	Notice(msg string)
	// BatchEmpty says a job had nothing to copy, so no S3 Batch job was
	// created.
	BatchEmpty(job string)
	// BatchSubmitted says the S3 Batch job id copies a job's objects.
	BatchSubmitted(job, id string, objects int64)
	// Refused says the job copies nothing: its documents with policy =
	// "external" lack the grants gaps (plan.CheckExternal findings).
	Refused(job string, gaps []policy.Finding)
	// Copy is the view of the copy.
	Copy() Copy
}

// NewApply is apply's view: JSON lines with JSON, else the human view.
func NewApply(f Format, t Terminal) Apply {
	if f == JSON {
		return jsonApply{applyLines{t}}
	}
	return humanApply{applyLines{t}}
}

// applyLines are the lines apply writes in any format.
type applyLines struct{ t Terminal }

func (v applyLines) Prompt() {
	fmt.Fprint(v.t.Out, "\nDo you want to apply this plan? Only 'yes' will be accepted: ")
}

func (v applyLines) Notice(msg string) { fmt.Fprintln(v.t.Err, msg) }

func (v applyLines) BatchEmpty(job string) {
	fmt.Fprintf(v.t.Out, "%s: nothing to copy; no S3 Batch Operations job created.\n", job)
}

type humanApply struct{ applyLines }

func (v humanApply) Plan(p *plan.Plan) { (&planView{w: v.t.Out, color: v.t.Color}).render(p) }
func (humanApply) Applying(*plan.Plan) {}

func (v humanApply) Policy(address, what, action string, err error) {
	if err == nil {
		fmt.Fprintf(v.t.Out, "%s: %s %s.\n", address, strings.ReplaceAll(what, "_", " "), pastTense(action))
	}
}

func (v humanApply) BatchSubmitted(job, id string, objects int64) {
	fmt.Fprintf(v.t.Out, "%s: S3 Batch Operations job %s created for %d objects. Follow it with: lakesync batch status %s --job %s\n", job, id, objects, id, job)
}

func (v humanApply) Copy() Copy { return NewCopy(Human, v.t) }

type jsonApply struct{ applyLines }

// PlanEventLine is apply --json's "plan" line: the plan applied, in the
// JSON of plan --json.
type PlanEventLine struct {
	Type string     `json:"type"` // "plan"
	Plan *plan.Plan `json:"plan"`
}

func (v jsonApply) Plan(p *plan.Plan)     { writeJSONLine(v.t.Out, PlanEventLine{Type: "plan", Plan: p}) }
func (v jsonApply) Applying(p *plan.Plan) { v.Plan(p) }

func (v jsonApply) Policy(address, what, action string, err error) {
	l := PolicyEventLine{Type: "policy", Address: address, What: what, Action: action}
	if err != nil {
		l.Error = err.Error()
	}
	writeJSONLine(v.t.Out, l)
}

func (v jsonApply) BatchSubmitted(job, id string, objects int64) {
	writeJSONLine(v.t.Out, map[string]any{"type": "batch_job", "job": job, "batch_job_id": id, "objects": objects})
}

func (v jsonApply) Copy() Copy { return NewCopy(JSON, v.t) }

// PolicyEventLine is the JSON event of a document or setting written.
type PolicyEventLine struct {
	Type    string `json:"type"` // "policy"
	Address string `json:"address"`
	What    string `json:"what"`
	Action  string `json:"action"`
	Error   string `json:"error,omitempty"`
}
