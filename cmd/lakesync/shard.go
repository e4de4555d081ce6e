package main

import (
	"context"
	"fmt"
	"os"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec"
	"github.com/lakesync/lakesync/internal/exec/copier"
	"github.com/lakesync/lakesync/internal/plan"
)

const shardFlagUsage = "copy (or plan) only shard I of N of every job's keys, each shard with its own state (PATH.shard-I-of-N); auto/N reads I from AWS_BATCH_JOB_ARRAY_INDEX or JOB_COMPLETION_INDEX"

// parseShardFlag parses --shard; empty is every key.
func parseShardFlag(s string) (plan.Shard, error) {
	if s == "" {
		return plan.Shard{}, nil
	}
	sh, err := plan.ParseShard(s, os.LookupEnv)
	if err != nil {
		return plan.Shard{}, fmt.Errorf("--shard: %w", err)
	}
	return sh, nil
}

// useShard parses apply's --shard into opts.shard, whose state is its own
// (state.NewLocation). With a saved plan the shard copies the plan's key
// ranges it owns (copyRanges) and, as without, writes none of the plan's
// policies: they are checked to be in place.
func (opts *applyOptions) useShard() error {
	sh, err := parseShardFlag(opts.Shard)
	if err != nil || !sh.Sharded() {
		return err
	}
	switch {
	case opts.SkipCopy:
		return fmt.Errorf("--shard with --skip-copy would do nothing: a shard writes no policy")
	}
	opts.shard = sh
	return nil
}

// requirePoliciesInPlace refuses to copy a shard while the plan still
// changes policies or bucket settings. N shards start at once; were each
// to write the documents, all but the first would find them changed under
// their plan and fail, so the policies are applied once beforehand.
func requirePoliciesInPlace(ctx context.Context, cfg *config.Config, acc *exec.Accounts) error {
	p, err := makePlan(ctx, cfg, acc, plan.DataWhileCopying, nil)
	if err != nil {
		return err
	}
	if p.Blocked() || p.PolicyChanges() {
		return &exitCodeError{code: exitError, msg: "the policies are not in place, and a shard never writes them (all shards would write at once): " +
			"run lakesync plan --skip-data to see the changes and lakesync apply --skip-copy once to make them, then start the shards"}
	}
	return nil
}

// copyRanges restricts c to the part of job's keys the run copies: with
// a saved plan that holds the job's key ranges, the ranges shard owns
// (every one when not sharded), listed as such; otherwise shard's keys by
// hash, every shard listing every key.
func copyRanges(c *copier.Copier, job *config.Job, keyRanges map[string][]string, shard plan.Shard) error {
	bounds, ok := keyRanges[job.Name]
	if !ok {
		c.Shard = shard
		return nil
	}
	ranges, err := plan.Tile(bounds)
	if err != nil {
		return fmt.Errorf("job %q: the plan file's key ranges: %w: make the plan again", job.Name, err)
	}
	c.Ranges = plan.ShardRanges(ranges, shard)
	return nil
}
