package main

import (
	"context"
	"errors"

	"github.com/spf13/cobra"
)

type showOptions struct {
	*globalOptions
	PlanFile string
	JSON     bool
	Markdown bool
}

func newShowCmd(g *globalOptions, runF func(context.Context, *showOptions) error) *cobra.Command {
	opts := &showOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "show PLANFILE",
		Short: "Show a saved plan file",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.PlanFile = args[0]
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return errors.New("show: not implemented yet")
		},
	}
	return cmd
}
