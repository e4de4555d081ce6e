package view

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/mitchellh/go-wordwrap"
)

// diagnosticWriter prints HCL diagnostics the standard HCL way — summary,
// "on FILE line N", the source line, the detail — adding the column and a
// caret line under the offending range, so the place is clear without
// colour (CI logs).
type diagnosticWriter struct {
	w     io.Writer
	files map[string]*hcl.File
	width int
	color bool
}

// WriteDiagnostics writes diags to w, with the source lines of files,
// wrapped to width (0: 100 columns), coloured with color.
func WriteDiagnostics(w io.Writer, files map[string]*hcl.File, width int, color bool, diags hcl.Diagnostics) {
	(&diagnosticWriter{w: w, files: files, width: width, color: color}).write(diags)
}

func (dw *diagnosticWriter) write(diags hcl.Diagnostics) {
	for _, d := range diags {
		dw.writeOne(d)
	}
}

func (dw *diagnosticWriter) writeOne(d *hcl.Diagnostic) {
	label, colorOn := "Error", "\x1b[1;31m"
	if d.Severity == hcl.DiagWarning {
		label, colorOn = "Warning", "\x1b[1;33m"
	}
	if dw.color {
		fmt.Fprintf(dw.w, "%s%s:\x1b[0m \x1b[1m%s\x1b[0m\n\n", colorOn, label, d.Summary)
	} else {
		fmt.Fprintf(dw.w, "%s: %s\n\n", label, d.Summary)
	}
	if d.Subject != nil {
		dw.writeSource(d.Subject)
	}
	if d.Detail != "" {
		width := dw.width
		if width <= 0 {
			width = 100
		}
		fmt.Fprintln(dw.w, wordwrap.WrapString(d.Detail, uint(width-1)))
	}
	fmt.Fprintln(dw.w)
}

func (dw *diagnosticWriter) writeSource(rng *hcl.Range) {
	fmt.Fprintf(dw.w, "  on %s line %d, column %d", rng.Filename, rng.Start.Line, rng.Start.Column)
	file := dw.files[rng.Filename]
	if file == nil || file.Bytes == nil {
		fmt.Fprint(dw.w, ":\n\n")
		return
	}
	if nav, ok := file.Nav.(interface{ ContextString(offset int) string }); ok {
		if ctx := nav.ContextString(rng.Start.Byte); ctx != "" {
			fmt.Fprintf(dw.w, ", in %s", ctx)
		}
	}
	fmt.Fprint(dw.w, ":\n")
	sc := bufio.NewScanner(bytes.NewReader(file.Bytes))
	sc.Buffer(nil, 1<<20)
	for line := 1; sc.Scan(); line++ {
		if line < rng.Start.Line {
			continue
		}
		if line > rng.Start.Line {
			break
		}
		text := strings.ReplaceAll(sc.Text(), "\t", " ")
		prefix := fmt.Sprintf("  %3d: ", line)
		fmt.Fprintf(dw.w, "%s%s\n", prefix, text)
		start := rng.Start.Column - 1
		end := len(text)
		if rng.End.Line == rng.Start.Line {
			end = rng.End.Column - 1
		}
		if start >= 0 && start <= len(text) && end > start && end <= len(text) {
			fmt.Fprintf(dw.w, "%s%s%s\n", strings.Repeat(" ", len(prefix)), strings.Repeat(" ", start), strings.Repeat("^", end-start))
		}
	}
	fmt.Fprintln(dw.w)
}
