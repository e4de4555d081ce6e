// Package browser starts headless Chromium for the tests that drive
// lakesync ui in a real browser (github.com/chromedp/chromedp): New finds
// the Debian chromium (skipping the test outside CI when it is missing,
// failing it in CI), starts it with a fresh profile and no network
// services, and Shot saves screenshots under the test's temporary
// directory and, with LAKESYNC_SCREENSHOTS=DIR, into DIR.
//
// It is for tests only and imports no lakesync package.
package browser
