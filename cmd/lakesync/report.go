package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/report"
)

type reportOptions struct {
	*globalOptions
	EventsFile string
}

func newReportCmd(g *globalOptions, runF func(context.Context, *reportOptions) error) *cobra.Command {
	opts := &reportOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "report EVENTS.jsonl",
		Short: "Render the HTML run report of a saved apply --json",
		Long: `Render the events of a saved lakesync apply --json as one self-contained
HTML page (inline CSS and SVG, nothing fetched): the policy changes, the
summary, throughput and requests in flight over time, retries and failures
by kind, the slowest objects and the failed ones. apply --report FILE.html
writes the same report at the end of a run.

  lakesync apply --auto-approve --json > events.jsonl
  lakesync report events.jsonl > report.html`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.EventsFile = args[0]
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runReport(opts)
		},
	}
	return cmd
}

func runReport(opts *reportOptions) error {
	f, err := os.Open(opts.EventsFile)
	if err != nil {
		return fmt.Errorf("read the events: %w", err)
	}
	defer f.Close()
	return renderReport(opts.streams.Out, f, opts.EventsFile)
}

// renderReport writes the report of the events read from r (named name).
func renderReport(w io.Writer, r io.Reader, name string) error {
	run, err := report.Parse(r, name)
	if err != nil {
		return err
	}
	return report.Render(w, run)
}

// writeReportFile writes the report of a run's events to path (apply
// --report), replacing it atomically.
func writeReportFile(path string, events *bytes.Buffer) error {
	var out bytes.Buffer
	if err := renderReport(&out, events, "the run's events"); err != nil {
		return err
	}
	return replaceFile(path, out.Bytes())
}
