package view

import (
	"io"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/copier"
	"github.com/lakesync/lakesync/internal/plan"
	"github.com/lakesync/lakesync/internal/policy"
)

// TeeApply is apply's view v that also writes the run's JSON lines events
// (those of apply --json) to events, for the run report. The lines for
// people (the prompt, notices) go to v only.
func TeeApply(v Apply, events io.Writer) Apply {
	return teeApply{v: v, ev: NewApply(JSON, Terminal{Out: events, Err: io.Discard})}
}

type teeApply struct{ v, ev Apply }

func (t teeApply) Plan(p *plan.Plan)     { t.v.Plan(p); t.ev.Plan(p) }
func (t teeApply) Applying(p *plan.Plan) { t.v.Applying(p); t.ev.Applying(p) }
func (t teeApply) Prompt()               { t.v.Prompt() }
func (t teeApply) Notice(msg string)     { t.v.Notice(msg) }
func (t teeApply) BatchEmpty(j string)   { t.v.BatchEmpty(j) }

func (t teeApply) Policy(address, what, action string, err error) {
	t.v.Policy(address, what, action, err)
	t.ev.Policy(address, what, action, err)
}

func (t teeApply) BatchSubmitted(job, id string, objects int64) {
	t.v.BatchSubmitted(job, id, objects)
	t.ev.BatchSubmitted(job, id, objects)
}

func (t teeApply) Refused(job string, gaps []policy.Finding) {
	t.v.Refused(job, gaps)
	t.ev.Refused(job, gaps)
}

func (t teeApply) Copy() Copy { return teeCopy{t.v.Copy(), t.ev.Copy()} }

type teeCopy struct{ v, ev Copy }

func (t teeCopy) OnCopyEvent(e copier.CopyEvent) { t.v.OnCopyEvent(e); t.ev.OnCopyEvent(e) }
func (t teeCopy) Begin(job *config.Job)          { t.v.Begin(job); t.ev.Begin(job) }
func (t teeCopy) Done(total SummaryLine)         { t.v.Done(total); t.ev.Done(total) }
