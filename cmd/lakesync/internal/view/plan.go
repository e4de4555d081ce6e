package view

import (
	"fmt"
	"io"

	"github.com/lakesync/lakesync/internal/plan"
)

// Plan shows a plan (plan, show): as the human view, as JSON (the same
// document the plan file holds, with format_version), or as markdown.
type Plan interface {
	Plan(p *plan.Plan) error
	// Saved says plan --out saved the plan to path.
	Saved(path string)
}

// PlanOptions say how a plan is shown.
type PlanOptions struct {
	// Color colours the human view.
	Color bool
	// PlanFile is the file the plan was read from, for the markdown
	// view's apply line; ConfigPath and ConfigSHA256 say what it was made
	// from.
	PlanFile, ConfigPath, ConfigSHA256 string
	// Graph ends the human view with the access picture as text
	// (plan --graph, show --graph).
	Graph bool
}

// NewPlan is the plan view of format f.
func NewPlan(f Format, w io.Writer, o PlanOptions) Plan {
	switch f {
	case JSON:
		return jsonPlan{w}
	case Markdown:
		return &markdownView{w: w, planFile: o.PlanFile, configPath: o.ConfigPath, configSHA256: o.ConfigSHA256}
	}
	if o.Graph {
		return graphPlan{&planView{w: w, color: o.Color}}
	}
	return &planView{w: w, color: o.Color}
}

// graphPlan is the human view followed by the access picture as text.
type graphPlan struct{ *planView }

func (v graphPlan) Plan(p *plan.Plan) error {
	v.render(p)
	fmt.Fprintln(v.w)
	writeGraphText(v.w, BuildGraph(p))
	return nil
}

func (v *planView) Plan(p *plan.Plan) error {
	v.render(p)
	return nil
}

func (v *planView) Saved(path string) {
	fmt.Fprintf(v.w, "\nSaved the plan to %s. Apply exactly this plan with: lakesync apply %s\n", path, path)
}

func (v *markdownView) Plan(p *plan.Plan) error {
	v.render(p)
	return nil
}

func (v *markdownView) Saved(string) {}

type jsonPlan struct{ w io.Writer }

func (v jsonPlan) Plan(p *plan.Plan) error { return WriteJSON(v.w, p) }

func (jsonPlan) Saved(string) {}
