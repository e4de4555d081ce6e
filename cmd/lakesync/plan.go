package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/view"
	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec"
	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/plan"
)

type planOptions struct {
	*globalOptions
	Out              string
	JSON             bool
	DetailedExitcode bool
	SkipData         bool
	Graph            bool
	Shard            string
	BatchManifest    string
	BatchReport      string
}

func newPlanCmd(g *globalOptions, runF func(context.Context, *planOptions) error) *cobra.Command {
	opts := &planOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Show the policy changes and the data a lakesync apply would make",
		Long: `Read the bucket policies, key policies and copier role policies in every
account, and the listings and the state of every job, and show what apply
would do: each statement to create, update or delete, the bucket settings to
change, the objects to copy and delete, and what it costs.

Exit codes: 0 success; 1 error; with --detailed-exitcode, 0 no changes,
1 error, 2 changes present.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runPlan(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Out, "out", "", "save the plan to FILE for lakesync apply FILE")
	f.BoolVar(&opts.JSON, "json", false, "print the plan as JSON (with format_version)")
	f.BoolVar(&opts.DetailedExitcode, "detailed-exitcode", false, "exit 2 when there are changes, 0 when there are none")
	f.BoolVar(&opts.SkipData, "skip-data", false, "plan the policies only; do not list buckets or read the state")
	f.BoolVar(&opts.Graph, "graph", false, "end the plan with the access picture as text: what each job's copier reads, writes and uses, and the document that grants it")
	f.StringVar(&opts.Shard, "shard", "", shardFlagUsage)
	f.StringVar(&opts.BatchManifest, "batch-manifest", "", "write each job's copy list as an S3 Batch Operations CSV manifest DIR/JOB.csv and its CreateJob request DIR/JOB.create-job.json")
	f.StringVar(&opts.BatchReport, "batch-report", "", "with --batch-manifest: s3://BUCKET/PREFIX for the completion reports (and the uploaded manifests)")
	cmd.MarkFlagsMutuallyExclusive("json", "graph")
	return cmd
}

func runPlan(ctx context.Context, opts *planOptions) error {
	cfg, err := opts.loadConfig()
	if err != nil {
		return err
	}
	shard, err := parseShardFlag(opts.Shard)
	if err != nil {
		return err
	}
	acc := exec.NewAccounts(cfg)
	data := plan.DataListed
	if opts.SkipData {
		data = plan.DataSkipped
	}
	p, err := makeShardPlan(ctx, cfg, acc, data, nil, shard)
	if err != nil {
		return err
	}
	v := view.NewPlan(view.FormatOf(opts.JSON, false), opts.streams.Out, view.PlanOptions{Color: opts.color(opts.streams.OutTTY), Graph: opts.Graph})
	if err := v.Plan(p); err != nil {
		return err
	}
	if opts.BatchManifest != "" {
		if err := writeBatchManifests(ctx, opts, cfg, acc, shard); err != nil {
			return err
		}
	}
	if opts.Out != "" {
		var ranges map[string][]string
		if !opts.SkipData {
			if ranges, err = planKeyRanges(ctx, cfg, acc); err != nil {
				return err
			}
		}
		if err := saveSavedPlan(opts.globalOptions, opts.Out, p, ranges); err != nil {
			return err
		}
		v.Saved(opts.Out)
	}
	if p.Blocked() {
		return &exitCodeError{code: exitError, msg: "the plan cannot be applied: fix the errors above first"}
	}
	if opts.DetailedExitcode && p.HasChanges() {
		return &exitCodeError{code: exitChanges}
	}
	return nil
}

// makePlan observes every account (and, with data plan.DataListed, every
// job's listings and state: store, or the state file opened read-only
// when nil) and computes the plan. Otherwise data says when the data is
// listed instead (plan.DataSkipped, plan.DataWhileCopying).
func makePlan(ctx context.Context, cfg *config.Config, acc *exec.Accounts, data plan.DataListing, store *state.Store) (*plan.Plan, error) {
	return makeShardPlan(ctx, cfg, acc, data, store, plan.Shard{})
}

// makeShardPlan is makePlan with the data of one shard.
func makeShardPlan(ctx context.Context, cfg *config.Config, acc *exec.Accounts, data plan.DataListing, store *state.Store, shard plan.Shard) (*plan.Plan, error) {
	obs, err := exec.Observe(ctx, cfg, acc)
	if err != nil {
		return nil, err
	}
	if data == plan.DataListed {
		if obs.Data, obs.Migrations, err = observeData(ctx, cfg, acc, store, shard, toCreate(cfg, obs)); err != nil {
			return nil, err
		}
	} else {
		obs.DataNotListed = data
	}
	return plan.Compute(cfg, obs)
}

func saveSavedPlan(g *globalOptions, path string, p *plan.Plan, ranges map[string][]string) error {
	sum, err := fileSHA256(g.ConfigPath)
	if err != nil {
		return err
	}
	vars := map[string]string{}
	for _, v := range g.Vars {
		name, value, _ := config.ParseVarFlag(v)
		vars[name] = value
	}
	return writePlanFile(path, &planFile{FormatVersion: plan.FormatVersion, ConfigPath: g.ConfigPath, ConfigSHA256: sum, Vars: vars, Plan: p, KeyRanges: ranges})
}
