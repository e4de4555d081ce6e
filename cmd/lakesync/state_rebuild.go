package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/view"
	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec"
	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/plan"
)

type stateRebuildOptions struct {
	*stateOptions
	BySize bool
}

func newStateRebuildCmd(parent *stateOptions) *cobra.Command {
	opts := &stateRebuildOptions{stateOptions: parent}
	cmd := &cobra.Command{
		Use:   "rebuild [--job J] [--by-size]",
		Short: "Rebuild a lost or corrupt state from the destination, copying nothing",
		Long: `Move the state file aside (to FILE.broken-TIME) and build a new one from the
buckets: every destination object whose source has the same size and the
same full-object checksum is recorded as copied. Nothing is copied or
deleted; the next apply copies what could not be adopted. With --by-size,
objects are adopted on equal size alone where no checksum can be compared
(faster, weaker).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runStateRebuild(cmd.Context(), opts) },
	}
	cmd.Flags().StringVar(&opts.Job, "job", "", "only this job (the new state then holds only its records)")
	cmd.Flags().BoolVar(&opts.BySize, "by-size", false, "adopt on equal size where no checksum can be compared")
	return cmd
}

func runStateRebuild(ctx context.Context, opts *stateRebuildOptions) error {
	cfg, err := opts.loadConfig()
	if err != nil {
		return err
	}
	loc := state.NewLocation(cfg, plan.Shard{})
	path := loc.Path
	if opts.StatePath != "" {
		path = opts.StatePath
	} else if loc.Remote() {
		return fmt.Errorf("state rebuild writes a local file, and this configuration keeps the state in S3 (%s): rebuild into a file with `lakesync state rebuild --state FILE`, then upload it with `lakesync state push FILE`", loc)
	}
	jobs, err := opts.selectJobs(cfg, opts.Job)
	if err != nil {
		return err
	}
	if _, err := os.Stat(path); err == nil {
		aside := fmt.Sprintf("%s.broken-%s", path, time.Now().UTC().Format("20060102T150405Z"))
		if err := os.Rename(path, aside); err != nil {
			return fmt.Errorf("move the old state aside: %w", err)
		}
		view.State{W: opts.streams.Out}.MovedAside(aside)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	store, err := state.Open(path, state.Options{})
	if err != nil {
		return err
	}
	defer store.Close()
	acc := exec.NewAccounts(cfg)
	for _, job := range jobs {
		c, err := acc.Copier(ctx, job, store, false)
		if err != nil {
			return err
		}
		c.AdoptOnly, c.AdoptBySize = true, opts.BySize
		rebuild := *job
		rebuild.Mode, rebuild.Delete = config.ModeSync, false // compare, never replace or delete
		sum, err := c.Run(ctx, &rebuild)
		if err != nil {
			return err
		}
		view.State{W: opts.streams.Out}.Rebuilt(job.Name, sum.Adopted, sum.Skipped)
	}
	return nil
}
