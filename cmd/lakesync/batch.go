package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/view"
	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec"
	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/plan"
)

const (
	engineLakesync = "lakesync"
	engineS3Batch  = "s3-batch"
)

// writeBatchManifests writes, per job, DIR/JOB.csv and DIR/JOB.create-job.json
// (the request with an empty manifest ETag: apply --engine s3-batch fills it
// in when it uploads the manifest).
func writeBatchManifests(ctx context.Context, opts *planOptions, cfg *config.Config, acc *exec.Accounts, shard plan.Shard) error {
	store, closeState, err := openStateForPlan(ctx, state.NewLocation(cfg, shard), acc)
	if err != nil {
		return err
	}
	if store != nil {
		defer closeState(ctx)
	}
	if err := os.MkdirAll(opts.BatchManifest, 0o755); err != nil {
		return err
	}
	for _, job := range cfg.Jobs {
		bj, err := exec.MakeBatchJob(ctx, acc, job, store, shard, opts.BatchReport)
		if err != nil {
			return err
		}
		req, err := json.MarshalIndent(bj.Request, "", "  ")
		if err != nil {
			return err
		}
		base := filepath.Join(opts.BatchManifest, job.Name)
		if err := replaceFile(base+".csv", bj.Manifest); err != nil {
			return err
		}
		if err := replaceFile(base+".create-job.json", append(req, '\n')); err != nil {
			return err
		}
		view.Batch{W: opts.streams.Err}.ManifestWritten(job.Name, bj.Lines, base)
	}
	return nil
}

// runBatchApply submits every job to S3 Batch Operations instead of
// copying: it uploads the manifest and creates the job, and prints its id.
func runBatchApply(ctx context.Context, opts *applyOptions, cfg *config.Config, acc *exec.Accounts, store *state.Store, v view.Apply) error {
	for _, job := range cfg.Jobs {
		bj, err := exec.MakeBatchJob(ctx, acc, job, store, opts.shard, opts.BatchReport)
		if err != nil {
			return err
		}
		if bj.Lines == 0 {
			v.BatchEmpty(job.Name)
			continue
		}
		id, err := exec.SubmitBatchJob(ctx, acc, job, bj)
		if err != nil {
			return fmt.Errorf("job %q: %w", job.Name, err)
		}
		v.BatchSubmitted(job.Name, id, bj.Lines)
	}
	return nil
}

type batchStatusOptions struct {
	*globalOptions
	Job   string
	Shard string
}

func newBatchCmd(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{Use: "batch", Short: "Follow copies submitted to S3 Batch Operations (apply --engine s3-batch)"}
	opts := &batchStatusOptions{globalOptions: g}
	status := &cobra.Command{
		Use:   "status JOBID",
		Short: "Show an S3 Batch Operations job; once it is complete, fold its completion report into the state",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBatchStatus(cmd.Context(), opts, args[0])
		},
	}
	status.Flags().StringVar(&opts.Job, "job", "", "the lakesync job the Batch job copies (needed when the config has several)")
	status.Flags().StringVar(&opts.Shard, "shard", "", "the shard the Batch job was made for (its state: PATH.shard-I-of-N)")
	cmd.AddCommand(status)
	return cmd
}

func runBatchStatus(ctx context.Context, opts *batchStatusOptions, jobID string) (err error) {
	cfg, err := opts.loadConfig()
	if err != nil {
		return err
	}
	job, err := opts.pickJob(cfg, opts.Job)
	if err != nil {
		return err
	}
	if job.Role == nil {
		return fmt.Errorf("job %q has no role: it cannot have run on S3 Batch Operations", job.Name)
	}
	shard, err := parseShardFlag(opts.Shard)
	if err != nil {
		return err
	}
	acc := exec.NewAccounts(cfg)
	d, err := exec.DescribeBatchJob(ctx, acc, job, jobID)
	if err != nil {
		return err
	}
	v := view.Batch{W: opts.streams.Out}
	var progress *view.BatchProgress
	if p := d.ProgressSummary; p != nil {
		progress = &view.BatchProgress{Succeeded: deref(p.NumberOfTasksSucceeded), Total: deref(p.TotalNumberOfTasks), Failed: deref(p.NumberOfTasksFailed)}
	}
	v.Status(jobID, string(d.Status), progress)
	if d.Status != "Complete" {
		return nil
	}
	sess, err := openStateBackend(ctx, state.NewLocation(cfg, shard), acc, state.ReadWrite("lakesync batch status "+jobID))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, sess.Close(ctx)) }()
	ctx, store := sess.Context(), sess.Store()
	fold, err := exec.FoldBatchReport(ctx, acc, job, d, store)
	if err != nil {
		return err
	}
	v.Folded(fold.Recorded, fold.Unknown, fold.Failed)
	return nil
}

func deref[T any](p *T) T {
	var z T
	if p == nil {
		return z
	}
	return *p
}
