package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/view"
	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec"
	"github.com/lakesync/lakesync/internal/exec/bucketops"
	"github.com/lakesync/lakesync/internal/exec/migrate"
	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/plan"
)

// exitStopped is migrate's exit code when it stopped at step 2 for want
// of --confirm-delete-source: nothing was deleted, run it again.
const exitStopped = 2

// nameWaitSleepEnv, for tests only, replaces every wait of step 4
// between two CreateBucket attempts by this duration, so that a test of
// the name wait does not wait minutes. Not for users: the back-off is
// what real S3 needs.
const nameWaitSleepEnv = "LAKESYNC_TEST_NAME_WAIT_SLEEP"

type migrateOptions struct {
	*globalOptions
	Name                string
	AutoApprove         bool
	ConfirmDeleteSource string
	NameWait            time.Duration
	IgnoreReplication   bool
	JSON                bool
}

func newMigrateCmd(g *globalOptions, runF func(context.Context, *migrateOptions) error) *cobra.Command {
	opts := &migrateOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "migrate NAME",
		Short: "Move a bucket to another account under its own name (a migration block)",
		Long: `Run the migration block NAME, step by recorded step, resuming at the step
a killed run had reached:

  1. create the temporary bucket in the destination account, copy the bucket
     into it and verify every object;
  2. show what the deletion deletes and the settings that will not move
     (also written to migration-NAME-settings.json beside the configuration),
     and stop unless --confirm-delete-source names the bucket exactly
     (exit code 2: nothing deleted);
  3. copy what changed since step 1, verify, delete every version and delete
     marker of the bucket, then the bucket;
  4. create the bucket under its name in the destination account, retrying
     while S3 still holds the name, for up to --name-wait;
  5. copy the temporary bucket into it and verify;
  6. delete the temporary bucket.

Nothing is written before the refusals are checked (Object Lock, replication,
a temporary bucket name another account holds). On a terminal it asks for
"yes" first; elsewhere --auto-approve is required.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Name = args[0]
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runMigrate(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.AutoApprove, "auto-approve", false, "run without asking for confirmation (the deletion still needs --confirm-delete-source)")
	f.StringVar(&opts.ConfirmDeleteSource, "confirm-delete-source", "", "the name of the bucket being moved: lets step 3 delete it")
	f.DurationVar(&opts.NameWait, "name-wait", migrate.DefaultNameWait, "how long step 4 waits for S3 to release the bucket's name")
	f.BoolVar(&opts.IgnoreReplication, "ignore-replication", false, "move a bucket with replication rules (the replicas stay where they are)")
	f.BoolVar(&opts.JSON, "json", false, "print JSON lines events instead of the human view")
	return cmd
}

func runMigrate(ctx context.Context, opts *migrateOptions) (err error) {
	cfg, err := opts.loadConfig()
	if err != nil {
		return err
	}
	m := cfg.Migration(opts.Name)
	if m == nil {
		return fmt.Errorf("no migration block named %q in %s%s", opts.Name, opts.ConfigPath, migrationNames(cfg))
	}
	sleep, err := nameWaitSleep()
	if err != nil {
		return err
	}
	acc := exec.NewAccounts(cfg)
	sess, err := openStateBackend(ctx, state.NewLocation(cfg, plan.Shard{}), acc, state.ReadWrite("lakesync migrate "+opts.Name+" -c "+opts.ConfigPath))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, sess.Close(ctx)) }()
	ctx = sess.Context()
	v := view.NewMigrate(view.FormatOf(opts.JSON, false), opts.terminal())
	l := &migrateListener{v: v, name: m.Name}
	out, err := migrate.Run(ctx, cfg, m, acc, sess.Store(), l, migrate.Options{
		ConfirmDeleteSource: opts.ConfirmDeleteSource,
		NameWait:            opts.NameWait,
		IgnoreReplication:   opts.IgnoreReplication,
		SettingsFile:        filepath.Join(filepath.Dir(opts.ConfigPath), "migration-"+m.Name+"-settings.json"),
		WriteFile:           replaceFile,
		Approve:             func() error { return approveMigration(opts, v) },
		Sleep:               sleep,
	})
	sum := view.MigrationSummaryLine{Migration: m.Name, Status: "done", Step: l.step}
	switch {
	case err != nil:
		sum.Status, sum.Message = "failed", err.Error()
		v.Summary(sum)
		return err
	case out == migrate.Stopped:
		sum.Status = "stopped"
		v.Summary(sum)
		return &exitCodeError{code: exitStopped, msg: l.stopped}
	}
	sum.Step = migrate.Steps
	v.Summary(sum)
	return nil
}

// approveMigration asks for "yes" on a terminal, unless --auto-approve,
// as apply does.
func approveMigration(opts *migrateOptions, v view.Migrate) error {
	if opts.AutoApprove {
		return nil
	}
	if !opts.streams.InTTY {
		return &exitCodeError{code: exitError, msg: "no terminal to confirm the migration on: run lakesync migrate " + opts.Name + " --auto-approve"}
	}
	return confirm(opts.globalOptions, v)
}

// nameWaitSleep is step 4's wait between attempts: nil (the back-off
// itself) unless the test-only nameWaitSleepEnv is set.
func nameWaitSleep() (func(context.Context, time.Duration) error, error) {
	s, ok := os.LookupEnv(nameWaitSleepEnv)
	if !ok {
		return nil, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return nil, fmt.Errorf("%s=%q: %w", nameWaitSleepEnv, s, err)
	}
	return func(ctx context.Context, _ time.Duration) error { return bucketops.Sleep(ctx, d) }, nil
}

func migrationNames(cfg *config.Config) string {
	var names []string
	for _, m := range cfg.Migrations {
		names = append(names, m.Name)
	}
	if len(names) == 0 {
		return ": add a migration \"NAME\" block"
	}
	sort.Strings(names)
	return " (declared: " + strings.Join(names, ", ") + ")"
}
