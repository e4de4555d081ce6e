package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/view"
	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec"
	"github.com/lakesync/lakesync/internal/plan"
)

type initOptions struct {
	*globalOptions
	SourceProfile      string
	DestinationProfile string
	Out                string
	Force              bool
}

func newInitCmd(g *globalOptions, runF func(context.Context, *initOptions) error) *cobra.Command {
	opts := &initOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "init --source-profile P --destination-profile Q [--out FILE] [--force]",
		Short: "Write a starter configuration from what the two accounts have",
		Long: `Write a starter configuration from what exists: the accounts of the two
profiles (sts:GetCallerIdentity), their buckets with region, default
encryption, versioning and Object Lock, their customer-managed KMS keys
and aliases, and the candidate copier roles (a name with lakesync, copier,
copy, sync or replication, or a trust policy naming the other account).

It proposes one sync job per plausible pair of buckets (names sharing a
word) and leaves a # TODO comment for each choice it cannot make:
prefixes, mode, topology (push or pull) and role. The file is formatted as
lakesync fmt formats and validates; review it, then run lakesync plan.

init only reads. It refuses to overwrite FILE (default: the --config
file, lakesync.hcl) unless --force is given; --out - writes standard output.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.Out == "" {
				opts.Out = opts.ConfigPath
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runInit(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.SourceProfile, "source-profile", "", "the shared-config profile of the source account")
	f.StringVar(&opts.DestinationProfile, "destination-profile", "", "the shared-config profile of the destination account")
	f.StringVar(&opts.Out, "out", "", "the file to write (default: the --config file); - for standard output")
	f.BoolVar(&opts.Force, "force", false, "overwrite FILE if it exists")
	_ = cmd.MarkFlagRequired("source-profile")
	_ = cmd.MarkFlagRequired("destination-profile")
	return cmd
}

func runInit(ctx context.Context, opts *initOptions) error {
	if err := refuseOverwrite(opts); err != nil {
		return err
	}
	e, err := (&exec.Discoverer{}).Discover(ctx, opts.SourceProfile, opts.DestinationProfile)
	if err != nil {
		return err
	}
	pairs := plan.Pairs(e)
	out := view.Starter(e, pairs)
	// The file must validate: a starter file that does not is a bug of init.
	if _, diags := config.NewLoader(nil, nil).Parse(out, opts.Out); diags.HasErrors() {
		return fmt.Errorf("init wrote a configuration that does not validate (please report it): %s", diags.Error())
	}
	if opts.Out == "-" {
		_, err := opts.streams.Out.Write(out)
		return err
	}
	if err := refuseOverwrite(opts); err != nil {
		return err
	}
	if err := replaceFile(opts.Out, out); err != nil {
		return err
	}
	fmt.Fprintf(opts.streams.Out, "Wrote %s: account %s (profile %q) -> account %s (profile %q), %d sync job(s), %d TODO comment(s).\n",
		opts.Out, e.Source.ID, opts.SourceProfile, e.Destination.ID, opts.DestinationProfile, len(pairs), strings.Count(string(out), "# TODO"))
	fmt.Fprintf(opts.streams.Out, "Review each TODO, then run: lakesync validate -c %s && lakesync plan -c %s\n", opts.Out, opts.Out)
	return nil
}

// refuseOverwrite refuses an existing --out file without --force.
func refuseOverwrite(opts *initOptions) error {
	if opts.Force || opts.Out == "-" {
		return nil
	}
	_, err := os.Stat(opts.Out)
	switch {
	case err == nil:
		return fmt.Errorf("%s exists; init does not overwrite it: pass --force to replace it, or --out FILE to write elsewhere", opts.Out)
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("--out %s: %w", opts.Out, err)
	}
	return nil
}
