package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// summaryTable is the summary table of an HTML report.
func summaryTable(t *testing.T, html string) string {
	t.Helper()
	_, rest, ok := strings.Cut(html, `<table id="summary">`)
	table, _, ok2 := strings.Cut(rest, "</table>")
	if !ok || !ok2 {
		t.Fatalf("no summary table in the report:\n%s", html)
	}
	return table
}

// TestApplyReport: apply --report writes the report of the events apply
// --json prints (the report package checks its figures equal the JSON
// summary's), and lakesync report renders the same from the saved
// events.
func TestApplyReport(t *testing.T) {
	_, cfg := demoWorld(t, 3)
	dir := t.TempDir()
	htmlPath := filepath.Join(dir, "run.html")
	code, out, errs := runCLI(t, "", "apply", "-c", cfg, "--auto-approve", "--json", "--report", htmlPath)
	if code != 0 {
		t.Fatalf("apply: exit %d\n%s\n%s", code, out, errs)
	}
	written, err := os.ReadFile(htmlPath)
	if err != nil {
		t.Fatal(err)
	}
	events := filepath.Join(dir, "events.jsonl")
	if err := os.WriteFile(events, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	code, rendered, errs := runCLI(t, "", "report", events)
	if code != 0 {
		t.Fatalf("report: exit %d\n%s", code, errs)
	}
	if diff := cmp.Diff(summaryTable(t, rendered), summaryTable(t, string(written))); diff != "" {
		t.Errorf("apply --report summary differs from lakesync report's (-report +apply):\n%s", diff)
	}
	if !strings.Contains(string(written), `data-field="copied">3<`) || strings.Count(string(written), "<svg") != 3 {
		t.Errorf("the report of a 3-object copy lacks its figures or charts:\n%s", written)
	}
}

// TestReportBadLine: lakesync report names the line it cannot read.
func TestReportBadLine(t *testing.T) {
	events := filepath.Join(t.TempDir(), "events.jsonl")
	if err := os.WriteFile(events, []byte("{\"type\":\"summary\",\"copied\":1}\nWaiting for IAM\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "", "report", events)
	want := events + ":2: not an apply --json event: invalid character 'W' looking for beginning of value"
	if code == 0 || out != "" || !strings.Contains(errs, want) {
		t.Errorf("report: exit %d, out %q, err %q; want an error %q", code, out, errs, want)
	}
}

// TestApplyReportHuman: with the human view, apply --report still writes
// the report of the run's events, and stdout stays the human view.
func TestApplyReportHuman(t *testing.T) {
	_, cfg := demoWorld(t, 2)
	htmlPath := filepath.Join(t.TempDir(), "run.html")
	code, out, errs := runCLI(t, "", "apply", "-c", cfg, "--auto-approve", "--report", htmlPath)
	if code != 0 {
		t.Fatalf("apply: exit %d\n%s\n%s", code, out, errs)
	}
	written, err := os.ReadFile(htmlPath)
	if err != nil {
		t.Fatal(err)
	}
	if table := summaryTable(t, string(written)); !strings.Contains(table, `data-field="copied">2<`) {
		t.Errorf("summary of a 2-object copy:\n%s", table)
	}
	if strings.Contains(out, `{"type":`) {
		t.Errorf("the human view prints JSON events:\n%s", out)
	}
}
