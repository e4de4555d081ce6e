package main

import (
	"context"
	"errors"

	"github.com/spf13/cobra"
)

type ciPolicyOptions struct {
	*globalOptions
	Role string
	JSON bool
}

func newCIPolicyCmd(g *globalOptions, runF func(context.Context, *ciPolicyOptions) error) *cobra.Command {
	opts := &ciPolicyOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "ci-policy",
		Short: "Print least-privilege IAM policies for the CI planning and applying roles",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return errors.New("ci-policy: not implemented yet")
		},
	}
	return cmd
}
