package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/view"
)

type showOptions struct {
	*globalOptions
	PlanFile string
	JSON     bool
	Markdown bool
	Graph    bool
	SVG      bool
}

func newShowCmd(g *globalOptions, runF func(context.Context, *showOptions) error) *cobra.Command {
	opts := &showOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "show PLANFILE",
		Short: "Show a plan file saved by lakesync plan --out",
		Long: `Show a saved plan without reading any account: as the plan view, as JSON
(the same document as lakesync plan --json), or as markdown for a pull
request comment (the access picture as a mermaid flowchart, the findings,
a table of the jobs, one collapsible statement-level diff per policy
document, the bucket settings, and how to apply). --graph ends the plan
view with the same picture as text.

  lakesync plan --out plan.json
  lakesync show plan.json --markdown > plan.md`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.PlanFile = args[0]
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runShow(opts)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.JSON, "json", false, "print the plan as JSON (with format_version), as lakesync plan --json does")
	f.BoolVar(&opts.Markdown, "markdown", false, "print the plan as markdown, for a pull request comment")
	f.BoolVar(&opts.Graph, "graph", false, "end the plan view with the access picture as text (the markdown starts with it as a mermaid flowchart)")
	f.BoolVar(&opts.SVG, "svg", false, "print only the access picture, as one self-contained SVG (as lakesync ui draws it)")
	cmd.MarkFlagsMutuallyExclusive("json", "markdown")
	cmd.MarkFlagsMutuallyExclusive("json", "graph")
	cmd.MarkFlagsMutuallyExclusive("markdown", "graph")
	cmd.MarkFlagsMutuallyExclusive("svg", "json", "markdown", "graph")
	return cmd
}

func runShow(opts *showOptions) error {
	pf, err := readPlanFile(opts.PlanFile)
	if err != nil {
		return err
	}
	if opts.SVG {
		view.WriteGraphSVG(opts.streams.Out, view.BuildGraph(pf.Plan))
		return nil
	}
	v := view.NewPlan(view.FormatOf(opts.JSON, opts.Markdown), opts.streams.Out, view.PlanOptions{
		Color: opts.color(opts.streams.OutTTY), PlanFile: opts.PlanFile, ConfigPath: pf.ConfigPath, ConfigSHA256: pf.ConfigSHA256, Graph: opts.Graph})
	return v.Plan(pf.Plan)
}
