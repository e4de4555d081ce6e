package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/view"
	"github.com/lakesync/lakesync/internal/testenv/browser"
)

// startUI runs lakesync ui on a free loopback port until the test ends
// and returns the URL with the token it printed.
func startUI(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	var errb strings.Builder
	exited := make(chan int, 1)
	go func() {
		exited <- run(ctx, append([]string{"ui", "--listen", "127.0.0.1:0"}, args...), &streams{In: strings.NewReader(""), Out: pw, Err: &errb})
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-exited; code != 0 {
			t.Errorf("lakesync ui: exit %d\n%s", code, errb.String())
		}
	})
	line, err := bufio.NewReader(pr).ReadString('\n')
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "lakesync ui: open ")
	if err != nil || !ok {
		t.Fatalf("lakesync ui printed %q (%v), want its URL\n%s", line, err, errb.String())
	}
	return url
}

// The UI in a real browser: open it with the token, make a plan, apply it
// after typing "yes", watch the bar reach 100%, check the summary against
// the run's JSON summary, open the report. Screenshots go to the test's
// temporary directory and, with LAKESYNC_SCREENSHOTS=DIR, to DIR too.
func TestBrowser(t *testing.T) {
	ctx := browser.New(t, 60*time.Second)
	const objects = 24
	_, cfg := demoWorld(t, objects)
	// From the configuration's directory, as a user would start it (and
	// the pages name lakesync.hcl, not a temporary path).
	t.Chdir(filepath.Dir(cfg))
	url := startUI(t, "-c", filepath.Base(cfg))
	do := func(steps ...chromedp.Action[chromedp.Void]) { t.Helper(); browser.Do(t, ctx, steps...) }
	text := func(id string) string { t.Helper(); return browser.Text(t, ctx, id) }
	shot := func(name string) chromedp.Action[chromedp.Void] { return browser.Shot(t, name) }

	do(chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.ID("make-plan")),
		chromedp.Click(chromedp.ID("make-plan")),
		chromedp.WaitVisible(chromedp.CSS("#plan-next a")),
		chromedp.Click(chromedp.CSS("#plan-next a")),
		chromedp.WaitVisible(chromedp.ID("confirm")))
	// The picture is the SVG of lakesync show PLANFILE --svg, drawn.
	do(browser.WaitTrue(`document.getElementById("picture").complete && document.getElementById("picture").naturalWidth > 300`))
	access, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.ID("access")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(access, "+ prod_to_lake: role lakesync-copier reads bucket konfir-prod-data (role policy of copier new)") {
		t.Errorf("the plan page's access picture:\n%s", access)
	}
	planText := text("plan-text")
	for _, want := range []string{"Plan:", "+ statement LakesyncProdToLakeDestWrite", "copier"} {
		if !strings.Contains(planText, want) {
			t.Errorf("the plan page lacks %q:\n%s", want, planText)
		}
	}
	do(chromedp.SendKeys(chromedp.ID("confirm"), "yes"),
		shot("ui-plan.png"),
		chromedp.Click(chromedp.ID("apply")),
		chromedp.WaitVisible(chromedp.ID("summary-card")),
		browser.WaitTrue(`document.getElementById("status").textContent === "done"`))
	if p := text("percent"); p != "100%" {
		t.Errorf("progress at the end: %s, want 100%%", p)
	}
	runURL, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}

	// The summary the page shows is the JSON summary of the run.
	id := runURL[strings.LastIndex(runURL, "/")+1:]
	want := jsonSummary(t, filepath.Join(filepath.Dir(cfg), "runs", id+".jsonl"))
	if want.Copied != objects {
		t.Errorf("the run copied %d objects, want %d", want.Copied, objects)
	}
	for k, v := range map[string]int64{"copied": want.Copied, "adopted": want.Adopted, "skipped": want.Skipped,
		"deleted": want.Deleted, "failed": want.Failed, "bytes": want.Bytes, "retries": want.Retries} {
		if got := text("summary-" + k); got != itoa(v) {
			t.Errorf("summary %s on the page: %q, the JSON summary's: %d", k, got, v)
		}
	}
	do(shot("ui-run.png"), chromedp.Click(chromedp.ID("report")), chromedp.WaitVisible(chromedp.CSS("body")))
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	report, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.ToLower(title), "report") || !strings.Contains(report, itoa(want.Copied)) {
		t.Errorf("the report page (title %q) does not show the run:\n%s", title, report)
	}
	base := strings.Split(url, "?")[0]
	do(shot("report.png"),
		chromedp.Navigate(base+"runs"), chromedp.WaitVisible(chromedp.ID("runs")), shot("ui-runs.png"),
		chromedp.Navigate(base+"state"), chromedp.WaitVisible(chromedp.ID("records")), shot("ui-state.png"))
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// jsonSummary is the summary event of a saved apply --json.
func jsonSummary(t *testing.T, path string) view.SummaryLine {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.Contains(line, `"type":"summary"`) {
			var s view.SummaryLine
			if err := json.Unmarshal([]byte(line), &s); err != nil {
				t.Fatal(err)
			}
			return s
		}
	}
	t.Fatalf("%s has no summary event", path)
	return view.SummaryLine{}
}

// A migration started in a real browser, through lakesync migrate on
// moto: without the bucket's name it stops at step 2 and shows what the
// deletion deletes; with it, every step runs to 100% and the bucket has
// moved.
func TestBrowserMigrate(t *testing.T) {
	ctx := browser.New(t, 90*time.Second)
	w := newMigrationWorld(t, worldOptions{objects: 12})
	t.Chdir(filepath.Dir(w.cfg))
	url := startUI(t, "-c", filepath.Base(w.cfg))
	base := strings.Split(url, "?")[0]
	do := func(steps ...chromedp.Action[chromedp.Void]) { t.Helper(); browser.Do(t, ctx, steps...) }

	do(chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.ID("migration")),
		chromedp.SendKeys(chromedp.ID("migrate-confirm"), "yes"),
		chromedp.Click(chromedp.ID("migrate")),
		chromedp.WaitVisible(chromedp.ID("deletion-card")),
		browser.WaitTrue(`document.getElementById("status").textContent.startsWith("stopped")`))
	if s := browser.Text(t, ctx, "status"); s != "stopped at step 2 of 6 (exit 2)" {
		t.Errorf("status without the bucket's name: %q", s)
	}
	if d := browser.Text(t, ctx, "deletion"); !strings.Contains(d, "Step 3 deletes bucket "+moveBucket+" in account prod (111111111111)") {
		t.Errorf("the deletion card: %q", d)
	}
	do(browser.Shot(t, "ui-migrate-stopped.png"))
	w.assertUntouched(t)

	do(chromedp.Navigate(base),
		chromedp.WaitVisible(chromedp.ID("migration")),
		chromedp.SendKeys(chromedp.ID("confirm-delete-source"), moveBucket),
		chromedp.SendKeys(chromedp.ID("migrate-confirm"), "yes"),
		chromedp.Click(chromedp.ID("migrate")),
		chromedp.WaitVisible(chromedp.ID("steps")))
	sctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, browser.WaitTrue(`document.getElementById("status").textContent === "done"`)); err != nil {
		t.Fatalf("the migration did not end: %v\n%s", err, browser.Text(t, ctx, "stderr"))
	}
	if p := browser.Text(t, ctx, "percent"); p != "100%" {
		t.Errorf("percent at the end: %s", p)
	}
	steps := strings.Join(strings.Fields(browser.Text(t, ctx, "steps")), " ")
	if !strings.Contains(steps, "step 1 of 6 (copying to the temporary bucket) done in an earlier run") || !strings.Contains(steps, "step 6 of 6 (deleting the temporary bucket), 100% done") {
		t.Errorf("the steps at the end:\n%s", steps)
	}
	do(browser.Shot(t, "ui-migrate.png"))
	w.assertMoved(t)
}
