package main

import (
	"errors"
	"io"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/view"
	"github.com/lakesync/lakesync/internal/plan"
)

// writeConfigErrors prints, as HCL diagnostics with their source lines,
// the parts of err that the configuration must fix (plan.ConfigError: a
// bucket in another region than the file says), and returns the rest of
// err, nil when nothing is left.
func writeConfigErrors(w io.Writer, width int, color bool, err error) error {
	diags, rest := splitConfigErrors(err)
	if len(diags) == 0 {
		return err
	}
	view.WriteDiagnostics(w, sourceFiles(diags), width, color, diags)
	return rest
}

// splitConfigErrors separates the diagnostics of the ConfigErrors in err
// (joined with others by errors.Join) from the other errors.
func splitConfigErrors(err error) (hcl.Diagnostics, error) {
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		var diags hcl.Diagnostics
		var rest []error
		for _, e := range joined.Unwrap() {
			d, r := splitConfigErrors(e)
			diags = append(diags, d...)
			if r != nil {
				rest = append(rest, r)
			}
		}
		return diags, errors.Join(rest...)
	}
	var ce *plan.ConfigError
	if errors.As(err, &ce) {
		return ce.Diagnostics, nil
	}
	return nil, err
}

// sourceFiles parses the files the diagnostics point into, so their lines
// can be shown; a file that cannot be read is shown without them.
func sourceFiles(diags hcl.Diagnostics) map[string]*hcl.File {
	p := hclparse.NewParser()
	for _, d := range diags {
		if d.Subject != nil {
			_, _ = p.ParseHCLFile(d.Subject.Filename)
		}
	}
	return p.Files()
}
