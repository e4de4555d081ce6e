package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/view"
)

// Exit codes. They are part of the interface: scripts and CI rely on them.
const (
	exitOK      = 0
	exitError   = 1
	exitChanges = 2 // plan --detailed-exitcode: changes present
)

// exitCodeError ends the command with a given exit code after its output
// has been written; its message, if any, is printed as an error.
type exitCodeError struct {
	code int
	msg  string
}

func (e *exitCodeError) Error() string { return e.msg }

// globalOptions are the flags every command takes.
type globalOptions struct {
	ConfigPath string
	Vars       []string
	NoColor    bool
	streams    *streams
	// changedConfigFlag is set when --config was given explicitly.
	changedConfigFlag bool
}

// color reports whether output to a stream may use colour.
func (g *globalOptions) color(tty bool) bool {
	return tty && !g.NoColor && os.Getenv("NO_COLOR") == ""
}

// terminal is where the command's views write.
func (g *globalOptions) terminal() view.Terminal {
	s := g.streams
	return view.Terminal{Out: s.Out, Err: s.Err, OutTTY: s.OutTTY, Color: g.color(s.OutTTY)}
}

func newRootCmd(s *streams) *cobra.Command {
	g := &globalOptions{streams: s}
	root := &cobra.Command{
		Use:   "lakesync",
		Short: "Plan and apply cross-account S3 copies: the policies both sides need, then the data",
		Long: `lakesync keeps a Data Lake account fed from Production accounts on AWS.

One reviewed HCL file declares accounts, buckets, KMS keys, the copier role
and copy jobs. 'lakesync plan' shows every change to the destination bucket
policy, the key policy and the copier role's policy, and 'lakesync apply'
makes them and copies the data.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(s.In)
	root.SetOut(s.Out)
	root.SetErr(s.Err)
	pf := root.PersistentFlags()
	pf.StringVarP(&g.ConfigPath, "config", "c", "lakesync.hcl", "the configuration file")
	pf.StringArrayVar(&g.Vars, "var", nil, "set an input variable: --var NAME=VALUE (repeatable)")
	pf.BoolVar(&g.NoColor, "no-color", false, "never colour the output")

	root.PersistentPreRun = func(cmd *cobra.Command, _ []string) {
		g.changedConfigFlag = cmd.Flags().Changed("config")
	}
	root.AddCommand(
		newPlanCmd(g, nil),
		newApplyCmd(g, nil),
		newCheckCmd(g, nil),
		newStateCmd(g),
		newVerifyCmd(g),
		newValidateCmd(g, nil),
		newFmtCmd(g, nil),
		newVersionCmd(g),
		newShowCmd(g, nil),
		newCIPolicyCmd(g, nil),
		newBatchCmd(g),
		newExportCmd(g, nil),
		newInitCmd(g, nil),
		newReportCmd(g, nil),
		newMigrateCmd(g, nil),
		newUICmd(g, nil),
	)
	return root
}

// run executes the command line and returns the process exit code.
func run(ctx context.Context, args []string, s *streams) int {
	root := newRootCmd(s)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	noColor, _ := root.PersistentFlags().GetBool("no-color")
	if err = writeConfigErrors(s.Err, s.Width, s.ErrTTY && !noColor && os.Getenv("NO_COLOR") == "", err); err == nil {
		return exitError
	}
	var ec *exitCodeError
	if errors.As(err, &ec) {
		if ec.msg != "" {
			fmt.Fprintf(s.Err, "Error: %s\n", ec.msg)
		}
		return ec.code
	}
	fmt.Fprintf(s.Err, "Error: %s\n", err)
	return exitError
}
