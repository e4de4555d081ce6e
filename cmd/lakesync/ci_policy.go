package main

import (
	"context"
	"fmt"
	"slices"

	"github.com/spf13/cobra"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/view"
	"github.com/lakesync/lakesync/internal/plan"
)

type ciPolicyOptions struct {
	*globalOptions
	Role     string // "plan", "apply" or "" for both
	JSON     bool
	PlanData bool
}

func newCIPolicyCmd(g *globalOptions, runF func(context.Context, *ciPolicyOptions) error) *cobra.Command {
	opts := &ciPolicyOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "ci-policy",
		Short: "Print least-privilege IAM policies for the CI planning, applying and migrating roles",
		Long: `Print, for every account of the configuration, the identity policy of the
role CI uses in that account: the planning role (lakesync plan on pull
requests: reads policies and bucket settings, writes nothing) and the
applying role (lakesync apply: also writes the policies, the settings and
the data of stream jobs, and of server-side jobs without a copier role,
which copy within one account with its credentials). Resources are exactly
the configuration's buckets, object prefixes, keys and roles; a key named
by alias is matched by kms:ResourceAliases within its account (name it by
ARN for an exact ARN).

By default the planning role cannot list data, so CI plans with --skip-data.
With --plan-data it may also list the buckets of stream jobs (and of
server-side jobs without a copier role) and assume the copier role of
server-side jobs (the listing runs as the copier), which gives it the
copier's rights.

A configuration with migration blocks also gets the migrating role
(lakesync migrate): what the applying role does for the migrations'
buckets and copies, and their own bucket operations, which delete the
moved bucket and the temporary one. Assume it only to run a migration.

It reads only the configuration: nothing is asked of AWS.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runCIPolicy(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Role, "role", "", `print only the "plan", the "apply" or the "migrate" role's policies`)
	f.BoolVar(&opts.JSON, "json", false, "print the policies as one JSON document")
	f.BoolVar(&opts.PlanData, "plan-data", false, "let the planning role list data (assume the copier roles) so CI can plan without --skip-data")
	return cmd
}

func runCIPolicy(opts *ciPolicyOptions) error {
	all := []plan.CIRole{plan.CIPlanRole, plan.CIApplyRole, plan.CIMigrateRole}
	if opts.Role != "" && !slices.Contains(all, plan.CIRole(opts.Role)) {
		return fmt.Errorf("--role %q: want %q, %q or %q", opts.Role, plan.CIPlanRole, plan.CIApplyRole, plan.CIMigrateRole)
	}
	cfg, err := opts.loadConfig()
	if err != nil {
		return err
	}
	roles := []plan.CIRole{plan.CIPlanRole, plan.CIApplyRole}
	switch {
	case opts.Role == string(plan.CIMigrateRole) && len(cfg.Migrations) == 0:
		return fmt.Errorf("--role migrate: %s has no migration block, so lakesync migrate has nothing to run; add the migration block first, or print --role plan or --role apply", opts.ConfigPath)
	case opts.Role != "":
		roles = []plan.CIRole{plan.CIRole(opts.Role)}
	case len(cfg.Migrations) > 0:
		roles = append(roles, plan.CIMigrateRole)
	}
	var out view.CIPolicies
	for _, r := range roles {
		ps, err := plan.CIPolicies(cfg, plan.CIPolicyOptions{Role: r, PlanData: opts.PlanData})
		if err != nil {
			return err
		}
		for _, p := range ps {
			doc, err := p.Document.JSON()
			if err != nil {
				return err
			}
			out.Policies = append(out.Policies, view.CIPolicyEntry{Role: string(r), AccountName: p.Account.Name, AccountID: p.Account.ID,
				Policy: doc, AssumedRoles: assumedRoles(p)})
		}
	}
	return view.NewCIPolicy(view.FormatOf(opts.JSON, false), opts.streams.Out).Policies(out)
}

// assumedRoles are the role ARNs a CI policy lets its role assume.
func assumedRoles(p plan.CIPolicy) []string {
	var out []string
	for _, s := range p.Document.Statements {
		if slices.Contains(s.Action, "sts:AssumeRole") {
			out = append(out, s.Resource...)
		}
	}
	return out
}
