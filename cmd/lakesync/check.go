package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/view"
	"github.com/lakesync/lakesync/internal/exec"
	"github.com/lakesync/lakesync/internal/plan"
)

type checkOptions struct {
	*globalOptions
	JSON bool
	Live bool
}

func newCheckCmd(g *globalOptions, runF func(context.Context, *checkOptions) error) *cobra.Command {
	opts := &checkOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Say, for every job, whether the policies in force allow each request the copier makes",
		Long: `Evaluate the documents in force now (bucket policies, key policies, the
copier role's policies) with AWS's evaluation rules, for every request each
job's copier role makes, and say which document lacks what. A cross-account
request needs an Allow on both sides. Exits 1 when any request is not
allowed.

With --live, instead make real requests with the copier's credentials,
moving no data: list the source, read one object's metadata, and create
and abort a multipart upload below the destination prefix with the
destination key. A refused request is named with the permission and the
documents that must grant it.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runCheck(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the report as JSON")
	cmd.Flags().BoolVar(&opts.Live, "live", false, "prove access with real requests as the copier (no data is moved)")
	return cmd
}

// view is check's view, chosen from its flags.
func (opts *checkOptions) view() view.Check {
	return view.NewCheck(view.FormatOf(opts.JSON, false), opts.streams.Out, opts.color(opts.streams.OutTTY))
}

func runCheck(ctx context.Context, opts *checkOptions) error {
	cfg, err := opts.loadConfig()
	if err != nil {
		return err
	}
	if opts.Live {
		return runCheckLive(ctx, opts, cfg)
	}
	obs, err := exec.Observe(ctx, cfg, exec.NewAccounts(cfg))
	if err != nil {
		return err
	}
	report, err := plan.Access(cfg, obs)
	if err != nil {
		return err
	}
	if err := opts.view().Access(report); err != nil {
		return err
	}
	for _, ja := range report {
		if !ja.Allowed() {
			msg := "some requests are not allowed: run lakesync plan and lakesync apply to grant them"
			if foreignDenies(report) {
				msg += ", and see the warnings above about Deny statements lakesync does not own"
			}
			if externalGaps(report) {
				msg += "; documents with policy = \"external\" lack grants (see the warnings above): add the statements of lakesync export terraform to them"
			}
			return &exitCodeError{code: exitError, msg: msg}
		}
	}
	return nil
}

// foreignDenies reports whether a Deny statement lakesync does not own
// blocks or may block some job.
func foreignDenies(report []plan.JobAccess) bool {
	for _, ja := range report {
		if len(ja.Findings) > 0 {
			return true
		}
	}
	return false
}

// externalGaps reports whether a document with policy = "external" lacks
// a grant some job needs.
func externalGaps(report []plan.JobAccess) bool {
	for _, ja := range report {
		if len(ja.External) > 0 {
			return true
		}
	}
	return false
}
