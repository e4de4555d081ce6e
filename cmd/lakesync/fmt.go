package main

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/spf13/cobra"
)

type fmtOptions struct {
	*globalOptions
	Check bool
	Files []string
}

func newFmtCmd(g *globalOptions, runF func(*fmtOptions) error) *cobra.Command {
	opts := &fmtOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "fmt [--check] [FILE...]",
		Short: "Rewrite configuration files in the canonical format",
		Long: `Rewrite configuration files in the canonical HCL format (aligned '=',
two-space indents). With no FILE, formats the --config file; '-' reads
standard input and writes standard output.

With --check, nothing is written: the files that would change are listed
and the exit code is 1 if there is any.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Files = args
			if len(opts.Files) == 0 {
				opts.Files = []string{opts.ConfigPath}
			}
			if runF != nil {
				return runF(opts)
			}
			return runFmt(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Check, "check", false, "list files that are not formatted and exit 1 if any; write nothing")
	return cmd
}

func runFmt(opts *fmtOptions) error {
	var unformatted, broken int
	for _, name := range opts.Files {
		src, err := readSource(opts.streams.In, name)
		if err != nil {
			return err
		}
		// Refuse to format a file that does not parse: hclwrite would
		// happily move tokens of a broken file around.
		if file, diags := hclparse.NewParser().ParseHCL(src, name); diags.HasErrors() {
			opts.printDiagnostics(map[string]*hcl.File{name: file}, diags)
			broken++
			continue
		}
		out := hclwrite.Format(src)
		if name == "-" {
			if !opts.Check {
				if _, err := opts.streams.Out.Write(out); err != nil {
					return err
				}
			} else if !bytes.Equal(src, out) {
				unformatted++
				fmt.Fprintln(opts.streams.Out, "-")
			}
			continue
		}
		if bytes.Equal(src, out) {
			continue
		}
		unformatted++
		fmt.Fprintln(opts.streams.Out, name)
		if !opts.Check {
			if err := replaceFile(name, out); err != nil {
				return err
			}
		}
	}
	switch {
	case broken > 0:
		return &exitCodeError{code: exitError, msg: fmt.Sprintf("%d file(s) could not be parsed; fix the errors above and run lakesync fmt again", broken)}
	case opts.Check && unformatted > 0:
		return &exitCodeError{code: exitError, msg: fmt.Sprintf("%d file(s) are not formatted; run lakesync fmt to fix them", unformatted)}
	}
	return nil
}

func readSource(stdin io.Reader, name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(stdin)
	}
	src, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("fmt: %w", err)
	}
	return src, nil
}
