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
	if !strings.Contains(string(written), `data-field="copied">3<`) || strings.Count(string(written), "<svg") != 4 {
		t.Errorf("the report of a 3-object copy lacks its figures, its access picture or its charts:\n%s", written)
	}
	assertReportHasPlan(t, string(written))
}

// TestApplyPlanFileReport: apply of a saved plan shows no plan to people
// (they reviewed it when it was made), but its report and its --json
// stream hold the plan applied.
func TestApplyPlanFileReport(t *testing.T) {
	_, cfg := demoWorld(t, 2)
	dir := t.TempDir()
	planFile := func(name string) string {
		t.Helper()
		path := filepath.Join(dir, name)
		if code, out, errs := runCLI(t, "", "plan", "-c", cfg, "--out", path); code != 0 {
			t.Fatalf("plan: exit %d\n%s\n%s", code, out, errs)
		}
		return path
	}
	htmlPath := filepath.Join(dir, "run.html")
	code, out, errs := runCLI(t, "", "apply", planFile("first.plan"), "--report", htmlPath)
	if code != 0 || strings.Contains(out, "lakesync will change these policies") {
		t.Fatalf("apply PLANFILE: exit %d, want 0 and the saved plan not shown again\n%s\n%s", code, out, errs)
	}
	written, err := os.ReadFile(htmlPath)
	if err != nil {
		t.Fatal(err)
	}
	assertReportHasPlan(t, string(written))
	code, out, errs = runCLI(t, "", "apply", planFile("second.plan"), "--json")
	if code != 0 {
		t.Fatalf("apply PLANFILE --json: exit %d\n%s\n%s", code, out, errs)
	}
	if n := strings.Count(out, `{"type":"plan",`); n != 1 {
		t.Errorf("apply PLANFILE --json wrote %d plan lines, want 1:\n%s", n, out)
	}
}

// assertReportHasPlan checks that a run report shows the plan: its access
// picture and its text with the totals line.
func assertReportHasPlan(t *testing.T, report string) {
	t.Helper()
	if !strings.Contains(report, `class="access-picture"`) || !strings.Contains(report, "Plan: ") || strings.Contains(report, "holds no plan") {
		t.Errorf("the report does not show the plan applied:\n%s", report)
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
