package browser

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Path is the Chromium binary: /usr/bin/chromium, else chromium or
// chromium-browser on PATH. Without one the test is skipped, or fails
// when CI is set.
func Path(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is missing: .ci/run installs it with apt-get install -y chromium")
	}
	t.Skip("chromium is missing (apt-get install -y chromium): skipping the real-browser test of lakesync ui")
	return ""
}

// New starts headless Chromium for the test, for at most d, and returns
// its chromedp context; it ends with the test.
func New(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	path := Path(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true))
	parent, cancelT := context.WithTimeout(context.Background(), d)
	actx, cancelA := chromedp.NewExecAllocator(parent, opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelA(); cancelT() })
	// The first run starts the browser, which lives as long as the
	// context of that run: ctx, not a step's shorter one.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// Do runs steps, each batch within 20 s; on failure it fails the test
// with the page's address and HTML.
func Do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, steps...); err != nil {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		body, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
		t.Fatalf("browser: %v\nat %s:\n%s", err, loc, body)
	}
}

// Text is the text of the element with that id.
func Text(t *testing.T, ctx context.Context, id string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID(id)))
	if err != nil {
		t.Fatalf("browser: the text of #%s: %v", id, err)
	}
	return s
}

// WaitTrue waits until the JavaScript expression is true; an expression
// that throws (its element is not on the page yet) is false.
func WaitTrue(expr string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Poll[bool]("(() => { try { return "+expr+"; } catch (e) { return false; } })()")(ctx, tg)
		return chromedp.Void{}, err
	}
}

// Shot saves a full-page PNG screenshot named name under the test's
// temporary directory and, with LAKESYNC_SCREENSHOTS=DIR, into DIR.
func Shot(t *testing.T, name string) chromedp.Action[chromedp.Void] {
	dirs := []string{t.TempDir()}
	if dir := os.Getenv("LAKESYNC_SCREENSHOTS"); dir != "" {
		dirs = append(dirs, dir)
	}
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		png, err := chromedp.FullScreenshot(100)(ctx, tg)
		if err != nil {
			return chromedp.Void{}, err
		}
		for _, dir := range dirs {
			if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
				return chromedp.Void{}, err
			}
		}
		return chromedp.Void{}, nil
	}
}
