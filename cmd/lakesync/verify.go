package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/view"
	"github.com/lakesync/lakesync/internal/exec"
	"github.com/lakesync/lakesync/internal/exec/copier"
)

type verifyOptions struct {
	*globalOptions
	Job  string
	Full bool
	JSON bool
}

func newVerifyCmd(g *globalOptions) *cobra.Command {
	opts := &verifyOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "verify [--job J] [--full]",
		Short: "Compare every job's source and destination object by object",
		Long: `Compare source and destination object by object, with each account's own
credentials: every selected source object must be at its destination key with
the same size, and the same full-object checksum where both sides have one.
With --full, both objects are read and their SHA-256 compared (streamed, with
bounded memory). Exits 1 listing every difference.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runVerify(cmd.Context(), opts) },
	}
	cmd.Flags().StringVar(&opts.Job, "job", "", "only this job")
	cmd.Flags().BoolVar(&opts.Full, "full", false, "also compare content hashes, reading both sides")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the results as JSON")
	return cmd
}

func runVerify(ctx context.Context, opts *verifyOptions) error {
	cfg, err := opts.loadConfig()
	if err != nil {
		return err
	}
	jobs, err := opts.selectJobs(cfg, opts.Job)
	if err != nil {
		return err
	}
	acc := exec.NewAccounts(cfg)
	v := view.NewVerify(view.FormatOf(opts.JSON, false), opts.streams.Out)
	differences := 0
	for _, job := range jobs {
		src, dst, err := acc.BucketClients(ctx, job)
		if err != nil {
			return err
		}
		res, err := copier.Verify(ctx, job, src, dst, opts.Full)
		if err != nil {
			return err
		}
		differences += len(res.Differences)
		v.Result(res)
	}
	if err := v.Done(); err != nil {
		return err
	}
	if differences > 0 {
		return &exitCodeError{code: exitError, msg: fmt.Sprintf("%d object(s) differ: run lakesync apply to copy them again", differences)}
	}
	return nil
}
