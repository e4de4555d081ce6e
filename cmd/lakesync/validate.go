package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

type validateOptions struct {
	*globalOptions
}

func newValidateCmd(g *globalOptions, runF func(*validateOptions) error) *cobra.Command {
	opts := &validateOptions{globalOptions: g}
	return &cobra.Command{
		Use:   "validate",
		Short: "Check the configuration file without calling AWS",
		Long: `Check the configuration file: syntax, references, account ids, bucket names,
key ARNs, sizes and the rules between jobs. Exits 0 when valid, 1 when not,
with every problem printed at once.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runValidate(opts)
		},
	}
}

func runValidate(opts *validateOptions) error {
	cfg, err := opts.loadConfig()
	if err != nil {
		return err
	}
	fmt.Fprintf(opts.streams.Out, "%s is valid: %d account(s), %d bucket(s), %d job(s).\n",
		opts.ConfigPath, len(cfg.Accounts), len(cfg.Buckets), len(cfg.Jobs))
	return nil
}
