package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/view"
	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec"
	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/plan"
)

type applyOptions struct {
	*globalOptions
	PlanFile     string
	AutoApprove  bool
	JSON         bool
	SkipPolicies bool
	SkipCopy     bool
	Shard        string
	shard        plan.Shard          // parsed from Shard
	keyRanges    map[string][]string // the plan file's, by job
	Engine       string
	BatchReport  string
	Bandwidth    string
	bandwidth    int64 // parsed from Bandwidth, bytes per second; 0: the jobs' own
	Report       string
	Jobs         []string // --job: copy only these; nil: every job
}

func newApplyCmd(g *globalOptions, runF func(context.Context, *applyOptions) error) *cobra.Command {
	opts := &applyOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "apply [PLANFILE]",
		Short: "Make the policy changes, then copy the data",
		Long: `Without PLANFILE, make a plan, show it and ask for "yes" before changing
anything (on a terminal; elsewhere --auto-approve is required). With
PLANFILE (from lakesync plan --out), apply exactly that plan, refusing it if
any document it read has changed since.

Policies are written grants-before-use: key policies, bucket policies,
bucket settings, then the copier role's policy. Then every job copies.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.PlanFile = args[0]
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runApply(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.AutoApprove, "auto-approve", false, "apply without asking for confirmation")
	f.BoolVar(&opts.JSON, "json", false, "print JSON lines events instead of the human view")
	f.BoolVar(&opts.SkipPolicies, "skip-policies", false, "copy only: read and write no policy and call no IAM, KMS or STS API (S3-compatible stores; keys are sent by id)")
	f.BoolVar(&opts.SkipCopy, "skip-copy", false, "make the policy changes only; copy nothing (e.g. once before starting --shard copies)")
	f.StringVar(&opts.Engine, "engine", engineLakesync, "copy with lakesync itself, or s3-batch: upload each job's manifest and create an S3 Batch Operations job (follow it with lakesync batch status)")
	f.StringVar(&opts.BatchReport, "batch-report", "", "with --engine s3-batch: s3://BUCKET/PREFIX for the manifests and the completion reports")
	f.StringVar(&opts.Shard, "shard", "", shardFlagUsage+"; a shard writes no policy and refuses to run while policy changes are pending")
	f.StringVar(&opts.Bandwidth, "bandwidth", "", bandwidthFlagUsage)
	f.StringArrayVar(&opts.Jobs, "job", nil, "copy only this job (repeatable); every policy change of the plan is still made, as the documents serve all the jobs")
	f.StringVar(&opts.Report, "report", "", "at the end of the run, write its HTML report (as lakesync report renders apply --json) to this file, even when the run fails")
	return cmd
}

func runApply(ctx context.Context, opts *applyOptions) (err error) {
	p, err := opts.usePlanFile()
	if err != nil {
		return err
	}
	cfg, err := opts.loadConfig()
	if err != nil {
		return err
	}
	// --engine is checked before anything is written.
	if opts.Engine != engineLakesync && opts.Engine != engineS3Batch {
		return fmt.Errorf("--engine %q: want %s or %s", opts.Engine, engineLakesync, engineS3Batch)
	}
	if err := opts.useShard(); err != nil {
		return err
	}
	if err := checkJobNames(cfg, opts.Jobs); err != nil {
		return err
	}
	if err := opts.useBandwidth(cfg); err != nil {
		return err
	}
	acc := exec.NewAccounts(cfg)
	acc.SkipIdentityCheck = opts.SkipPolicies
	// The state is opened (in S3: locked) first: a locked, corrupt or
	// unwritable state stops the apply before anything is written anywhere.
	sess, err := openStateBackend(ctx, state.NewLocation(cfg, opts.shard), acc, state.ReadWrite("lakesync apply -c "+opts.ConfigPath))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, sess.Close(ctx)) }()
	ctx, store := sess.Context(), sess.Store()
	v := view.NewApply(view.FormatOf(opts.JSON, false), opts.terminal())
	if opts.Report != "" {
		var events bytes.Buffer
		v = view.TeeApply(v, &events)
		defer func() { err = errors.Join(err, writeReportFile(opts.Report, &events)) }()
	}
	switch {
	case opts.SkipPolicies:
	case opts.shard.Sharded():
		if err := requirePoliciesInPlace(ctx, cfg, acc); err != nil {
			return err
		}
	default:
		if p, err = planApply(ctx, opts, cfg, acc, store, p, v); err != nil {
			return err
		}
		if err := confirmApply(opts, p, v); err != nil {
			return err
		}
		if err := applyPolicies(ctx, cfg, acc, p, v); err != nil {
			return err
		}
	}
	return copyData(ctx, opts, cfg, acc, store, v)
}

// usePlanFile reads apply's PLANFILE, if any, refuses it when the
// configuration changed since, and takes the configuration and the --var
// values it was made with. It returns nil without a PLANFILE.
func (opts *applyOptions) usePlanFile() (*plan.Plan, error) {
	if opts.PlanFile == "" {
		return nil, nil
	}
	pf, err := readPlanFile(opts.PlanFile)
	if err != nil {
		return nil, err
	}
	if !opts.globalOptions.changedConfigFlag {
		opts.ConfigPath = pf.ConfigPath
	}
	sum, err := fileSHA256(opts.ConfigPath)
	if err != nil {
		return nil, err
	}
	if sum != pf.ConfigSHA256 {
		return nil, fmt.Errorf("%s changed since the plan %s was made: run lakesync plan again", opts.ConfigPath, opts.PlanFile)
	}
	opts.keyRanges = pf.KeyRanges
	opts.Vars = nil
	for k, v := range pf.Vars {
		opts.Vars = append(opts.Vars, k+"="+v)
	}
	return pf.Plan, nil
}

// planApply is the plan to apply: the saved plan p, else a new one, shown.
func planApply(ctx context.Context, opts *applyOptions, cfg *config.Config, acc *exec.Accounts, store *state.Store, p *plan.Plan, v view.Apply) (*plan.Plan, error) {
	if p != nil {
		v.Applying(p)
		return p, nil
	}
	// A plan nobody confirms need not list the data: the copy lists it
	// anyway, and a second listing of a large bucket would double the time
	// to the first copied object.
	data := plan.DataListed
	if opts.AutoApprove {
		data = plan.DataWhileCopying
	}
	p, err := makePlan(ctx, cfg, acc, data, store)
	if err != nil {
		return nil, err
	}
	v.Plan(p)
	return p, nil
}

// confirmApply refuses a blocked plan, and asks for "yes" before a new
// plan with changes is applied, unless --auto-approve.
func confirmApply(opts *applyOptions, p *plan.Plan, v view.Apply) error {
	if p.Blocked() {
		return &exitCodeError{code: exitError, msg: "the plan cannot be applied: fix the errors above first"}
	}
	if opts.PlanFile == "" && p.HasChanges() && !opts.AutoApprove {
		return confirm(opts.globalOptions, v)
	}
	return nil
}

// applyPolicies makes the plan's policy and bucket-setting changes,
// showing each, and the waits for IAM to propagate on standard error.
func applyPolicies(ctx context.Context, cfg *config.Config, acc *exec.Accounts, p *plan.Plan, v view.Apply) error {
	retry := exec.PropagationRetry{Notify: v.Notice}
	return exec.ApplyPolicies(ctx, cfg, acc, p, retry, func(ev exec.PolicyEvent) {
		v.Policy(ev.Address.String(), ev.What, ev.Action, ev.Err)
	})
}

// copyData copies every job's data with the engine --engine names,
// unless --skip-copy, except the jobs whose documents with policy =
// "external" lack a grant (apply then exits 1 naming what is missing).
func copyData(ctx context.Context, opts *applyOptions, cfg *config.Config, acc *exec.Accounts, store *state.Store, v view.Apply) error {
	if opts.SkipCopy {
		return nil
	}
	// A job whose external documents lack a grant copies nothing; the
	// others go on. --skip-policies reads no document.
	var refused *exitCodeError
	if !opts.SkipPolicies {
		var err error
		if cfg, refused, err = refuseExternalGaps(ctx, cfg, acc, v); err != nil {
			return err
		}
	}
	cfg = onlyJobs(cfg, opts.Jobs)
	var err error
	if opts.Engine == engineS3Batch {
		err = runBatchApply(ctx, opts, cfg, acc, store, v)
	} else {
		err = runCopy(ctx, opts, cfg, acc, store, v.Copy())
	}
	switch {
	case refused == nil:
		return err
	case err != nil:
		return &exitCodeError{code: exitError, msg: err.Error() + "\n" + refused.msg}
	}
	return refused
}

// confirm asks for "yes" on a terminal and refuses to go on without one.
func confirm(g *globalOptions, v view.Apply) error {
	if !g.streams.InTTY {
		return &exitCodeError{code: exitError, msg: "no terminal to confirm the plan on: review it with lakesync plan and run lakesync apply --auto-approve (or apply a saved plan file)"}
	}
	v.Prompt()
	line, _ := bufio.NewReader(g.streams.In).ReadString('\n')
	if strings.TrimSpace(line) != "yes" {
		return &exitCodeError{code: exitError, msg: "apply cancelled"}
	}
	return nil
}
