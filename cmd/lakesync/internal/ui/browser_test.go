package ui

import (
	"bytes"
	"io"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lakesync/lakesync/internal/testenv/browser"
)

// The migrate form in a real browser, against a canned lakesync migrate
// --json stream (lakesync migrate is another branch's): the run page
// follows the steps live over server-sent events, a waiting step with its
// message, then the step going on and the migration's percent.
func TestBrowserMigrationSteps(t *testing.T) {
	ctx := browser.New(t, 40*time.Second)
	canned, err := os.ReadFile("testdata/migrate.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	cut := bytes.Index(canned, []byte(`"step":4,"of":6,"title":"recreating the bucket","status":"done"`))
	cut = bytes.LastIndexByte(canned[:cut], '\n') + 1
	release := make(chan struct{})
	f := &fakeCommands{out: func(args []string, w io.Writer) int {
		_, _ = w.Write(canned[:cut])
		<-release
		_, _ = w.Write(canned[cut:])
		return 0
	}}
	hs := httptest.NewUnstartedServer(nil)
	s, err := New(t.Context(), Options{Token: token, Listen: hs.Listener.Addr().String(), Command: f.run, Config: "lakesync.hcl",
		Jobs: []string{"move_raw.to_temporary"}, RunsDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	hs.Config.Handler = s
	hs.Start()
	defer hs.Close()
	defer close(release)

	browser.Do(t, ctx,
		chromedp.Navigate(hs.URL+"/?token="+token),
		chromedp.WaitVisible(chromedp.ID("migration")),
		chromedp.SendKeys(chromedp.ID("migration"), "move_raw"),
		chromedp.SendKeys(chromedp.ID("confirm-delete-source"), "konfir-raw"),
		chromedp.SendKeys(chromedp.ID("migrate-confirm"), "yes"),
		chromedp.Click(chromedp.ID("migrate")),
		chromedp.WaitVisible(chromedp.ID("steps")),
		browser.WaitTrue(`document.getElementById("steps").textContent.includes("still held")`))
	steps := browser.Text(t, ctx, "steps")
	for _, want := range []string{"step 3 of 6 (deleting the source), 45% done", "step 4 of 6 (recreating the bucket), 45% waiting the name konfir-raw is still held by S3: retrying in 30s", "step 6 of 6 pending"} {
		if !strings.Contains(strings.Join(strings.Fields(steps), " "), want) {
			t.Errorf("the steps lack %q:\n%s", want, steps)
		}
	}
	if p := browser.Text(t, ctx, "percent"); p != "45%" {
		t.Errorf("percent while waiting: %s, want 45%%", p)
	}
	browser.Do(t, ctx, browser.Shot(t, "ui-migrate-waiting.png"))
	release <- struct{}{}
	browser.Do(t, ctx, browser.WaitTrue(`document.getElementById("percent").textContent === "56%"`),
		browser.WaitTrue(`document.getElementById("status").textContent === "done"`))
	if steps := strings.Join(strings.Fields(browser.Text(t, ctx, "steps")), " "); !strings.Contains(steps, "step 5 of 6 (copying back), 56% progress") {
		t.Errorf("the steps at the end lack step 5:\n%s", steps)
	}
	if jobs := browser.Text(t, ctx, "jobs"); !strings.Contains(jobs, "move_raw.to_temporary") {
		t.Errorf("the copy step's job is not shown:\n%s", jobs)
	}
	if fails := browser.Text(t, ctx, "failures"); !strings.Contains(fails, "b.parquet: api error AccessDenied") {
		t.Errorf("the recent failures lack b.parquet:\n%s", fails)
	}
}
