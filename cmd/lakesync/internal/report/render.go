package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
)

//go:embed report.html.tmpl
var pageText string

var pageTmpl = template.Must(template.New("report").Parse(pageText))

// Render writes the HTML report of the run's events to w.
func Render(w io.Writer, run *Run) error {
	if err := pageTmpl.Execute(w, newPage(run)); err != nil {
		return fmt.Errorf("render the report: %w", err)
	}
	return nil
}
