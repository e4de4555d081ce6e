package ui

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	listen = "127.0.0.1:8642"
	token  = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	secret = "LEAKCANARYSECRETxxxxxxxxxxxxxxxxxxxxxxxx"
)

// fakeCommands records the command lines the UI runs and answers them
// with out.
type fakeCommands struct {
	mu   sync.Mutex
	runs [][]string
	out  func(args []string, w io.Writer) int
	// untilStopped makes every command go on until its context ends,
	// then exit 1, as an interrupted apply does.
	untilStopped bool
}

func (f *fakeCommands) run(ctx context.Context, args []string, out, _ io.Writer) int {
	f.mu.Lock()
	f.runs = append(f.runs, args)
	f.mu.Unlock()
	if i := slices.Index(args, "--out"); i >= 0 {
		_ = os.WriteFile(args[i+1], []byte("{}"), 0o600)
	}
	if f.untilStopped {
		<-ctx.Done()
		return 1
	}
	if f.out == nil {
		return 0
	}
	return f.out(args, out)
}

func (f *fakeCommands) lines() [][]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.runs)
}

func newTestServer(t *testing.T, f *fakeCommands) *Server {
	t.Helper()
	s, err := New(t.Context(), Options{Token: token, Listen: listen, Command: f.run, Flags: []string{"--config", "lakesync.hcl", "--no-color"},
		Config: "lakesync.hcl", Jobs: []string{"prod_to_lake"}, RunsDir: t.TempDir(), Secrets: []string{secret}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// request sends a request to s as a browser on the UI's own page would,
// changed by edit.
func request(s *Server, method, target string, form url.Values, edit func(*http.Request)) *httptest.ResponseRecorder {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	r := httptest.NewRequest(method, "http://"+listen+target, body)
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	r.AddCookie(&http.Cookie{Name: "lakesync_ui_8642", Value: token})
	if edit != nil {
		edit(r)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

func noCookie(r *http.Request) { r.Header.Del("Cookie") }

func TestTokenRequired(t *testing.T) {
	s := newTestServer(t, &fakeCommands{})
	for _, tc := range []struct {
		name   string
		target string
		edit   func(*http.Request)
		want   int
	}{
		{"no token", "/", noCookie, http.StatusUnauthorized},
		{"no token, static file", "/static/app.js", noCookie, http.StatusUnauthorized},
		{"wrong token in the query", "/?token=" + strings.Repeat("0", 64), noCookie, http.StatusUnauthorized},
		{"wrong token in the header", "/runs", func(r *http.Request) { noCookie(r); r.Header.Set(TokenHeader, "nope") }, http.StatusUnauthorized},
		{"wrong token in the cookie", "/state", func(r *http.Request) {
			noCookie(r)
			r.AddCookie(&http.Cookie{Name: "lakesync_ui_8642", Value: strings.Repeat("1", 64)})
		}, http.StatusUnauthorized},
		{"the token in a cookie", "/runs", nil, http.StatusOK},
		{"the token in the header", "/runs", func(r *http.Request) { noCookie(r); r.Header.Set(TokenHeader, token) }, http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if w := request(s, http.MethodGet, tc.target, nil, tc.edit); w.Code != tc.want {
				t.Errorf("GET %s: %d, want %d\n%s", tc.target, w.Code, tc.want, w.Body)
			}
		})
	}
}

// The first visit's token becomes an HttpOnly SameSite=Strict cookie and
// leaves the address bar.
func TestTokenQueryBecomesCookie(t *testing.T) {
	s := newTestServer(t, &fakeCommands{})
	w := request(s, http.MethodGet, "/runs?token="+token, nil, noCookie)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/runs" {
		t.Fatalf("GET /runs?token=...: %d to %q, want 303 to /runs", w.Code, w.Header().Get("Location"))
	}
	c := w.Result().Cookies()
	if len(c) != 1 || c[0].Value != token || !c[0].HttpOnly || c[0].SameSite != http.SameSiteStrictMode {
		t.Errorf("cookies %+v, want one HttpOnly SameSite=Strict with the token", c)
	}
}

func TestOriginAndHostChecked(t *testing.T) {
	f := &fakeCommands{}
	s := newTestServer(t, f)
	form := url.Values{"token": {token}}
	for _, tc := range []struct {
		name, method string
		edit         func(*http.Request)
		want         int
	}{
		{"another origin", http.MethodGet, func(r *http.Request) { r.Header.Set("Origin", "http://evil.example") }, http.StatusForbidden},
		{"another origin posts", http.MethodPost, func(r *http.Request) { r.Header.Set("Origin", "http://evil.example") }, http.StatusForbidden},
		{"another port", http.MethodPost, func(r *http.Request) { r.Header.Set("Origin", "http://127.0.0.1:9999") }, http.StatusForbidden},
		{"origin null", http.MethodPost, func(r *http.Request) { r.Header.Set("Origin", "null") }, http.StatusForbidden},
		{"a cross-site fetch", http.MethodPost, func(r *http.Request) { r.Header.Set("Sec-Fetch-Site", "cross-site") }, http.StatusForbidden},
		{"a rebound name", http.MethodGet, func(r *http.Request) { r.Host = "evil.example:8642" }, http.StatusForbidden},
		{"a rebound name posts", http.MethodPost, func(r *http.Request) { r.Host = "evil.example:8642" }, http.StatusForbidden},
		{"another port in Host", http.MethodGet, func(r *http.Request) { r.Host = "127.0.0.1:9999" }, http.StatusForbidden},
		{"localhost", http.MethodGet, func(r *http.Request) { r.Host = "localhost:8642" }, http.StatusOK},
		{"own origin", http.MethodGet, func(r *http.Request) { r.Header.Set("Origin", "http://"+listen) }, http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			target, body := "/runs", url.Values(nil)
			if tc.method == http.MethodPost {
				target, body = "/plan", form
			}
			if w := request(s, tc.method, target, body, tc.edit); w.Code != tc.want {
				t.Errorf("%s %s: %d, want %d\n%s", tc.method, target, w.Code, tc.want, w.Body)
			}
		})
	}
	if runs := f.lines(); len(runs) != 0 {
		t.Errorf("refused requests ran %q", runs)
	}
}

// A POST carrying the token only in its cookie (what a cross-site form
// would carry) does nothing; with the token in the form it runs.
func TestPostWithoutTokenDoesNothing(t *testing.T) {
	f := &fakeCommands{}
	s := newTestServer(t, f)
	for _, target := range []string{"/plan", "/apply", "/migrate"} {
		form := url.Values{"plan": {"20260101-000000-001-plan"}, "confirm": {"yes"}, "migration": {"move"}, "confirm_delete_source": {"bucket"}}
		if w := request(s, http.MethodPost, target, form, nil); w.Code != http.StatusForbidden {
			t.Errorf("POST %s with the cookie only: %d, want 403", target, w.Code)
		}
		if w := request(s, http.MethodPost, target, url.Values{"token": {"wrong"}}, nil); w.Code != http.StatusForbidden {
			t.Errorf("POST %s with a wrong token: %d, want 403", target, w.Code)
		}
	}
	if runs := f.lines(); len(runs) != 0 {
		t.Errorf("POSTs without the token ran %q", runs)
	}
	if entries, _ := os.ReadDir(s.opts.RunsDir); len(entries) != 0 {
		t.Errorf("POSTs without the token left runs: %v", entries)
	}
	// Actions are POSTs: a GET of one is not an action.
	if w := request(s, http.MethodGet, "/plan?token="+token, nil, nil); w.Code == http.StatusSeeOther && len(f.lines()) != 0 {
		t.Errorf("GET /plan ran %q", f.lines())
	}
	w := request(s, http.MethodPost, "/plan", url.Values{"token": {token}}, nil)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("POST /plan with the token: %d\n%s", w.Code, w.Body)
	}
	s.runs.wait()
	runs := f.lines()
	if len(runs) != 1 || !slices.Contains(runs[0], "plan") || !slices.Contains(runs[0], "--out") {
		t.Errorf("POST /plan ran %q, want one lakesync plan --out", runs)
	}
}

func TestCheckListen(t *testing.T) {
	for _, tc := range []struct {
		addr   string
		remote bool
		ok     bool
	}{
		{"127.0.0.1:8642", false, true},
		{"127.0.0.2:8642", false, true},
		{"localhost:8642", false, true},
		{"[::1]:8642", false, true},
		{"0.0.0.0:8642", false, false},
		{":8642", false, false},
		{"192.168.1.10:8642", false, false},
		{"ui.example.com:8642", false, false},
		{"0.0.0.0:8642", true, true},
		{"8642", false, false},
	} {
		err := CheckListen(tc.addr, tc.remote)
		if (err == nil) != tc.ok {
			t.Errorf("CheckListen(%q, %v) = %v, want ok %v", tc.addr, tc.remote, err, tc.ok)
		}
	}
}

// apply runs only once "yes" is typed, and then applies exactly the plan
// file shown.
func TestApplyNeedsYes(t *testing.T) {
	f := &fakeCommands{out: func(args []string, w io.Writer) int {
		if args[0] == "show" {
			fmt.Fprintln(w, `{"jobs":[{"name":"prod_to_lake","data":{"copy":{"objects":2}}}]}`)
		}
		if args[0] == "apply" {
			fmt.Fprintln(w, `{"type":"object","job":"prod_to_lake","key":"a","bytes":3,"elapsed":0.5}`)
			fmt.Fprintln(w, `{"type":"summary","copied":1}`)
		}
		return 0
	}}
	s := newTestServer(t, f)
	if w := request(s, http.MethodPost, "/plan", url.Values{"token": {token}}, nil); w.Code != http.StatusSeeOther {
		t.Fatalf("POST /plan: %d", w.Code)
	}
	s.runs.wait()
	planID := strings.TrimPrefix(request(s, http.MethodPost, "/plan", url.Values{"token": {token}}, nil).Header().Get("Location"), "/runs/")
	s.runs.wait()
	planFile := s.runs.planFile(planID)
	for _, typed := range []string{"", "no", "y", "YES"} {
		w := request(s, http.MethodPost, "/apply", url.Values{"token": {token}, "plan": {planID}, "confirm": {typed}}, nil)
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "apply cancelled") {
			t.Errorf("apply confirmed with %q: %d\n%s", typed, w.Code, w.Body)
		}
	}
	for _, args := range f.lines() {
		if args[0] == "apply" {
			t.Fatalf("apply ran without yes: %q", args)
		}
	}
	w := request(s, http.MethodPost, "/apply", url.Values{"token": {token}, "plan": {planID}, "confirm": {"yes"}}, nil)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("apply with yes: %d\n%s", w.Code, w.Body)
	}
	s.runs.wait()
	last := f.lines()[len(f.lines())-1]
	if last[0] != "apply" || !slices.Contains(last, "--json") || last[len(last)-1] != planFile {
		t.Errorf("apply ran %q, want apply --json ... -- %s", last, planFile)
	}
	run := s.runs.get(strings.TrimPrefix(w.Header().Get("Location"), "/runs/"))
	snap, _ := run.snapshot()
	if j := snap.Live.Jobs; len(j) != 1 || j[0].Planned != 2 || j[0].Done != 1 || snap.Live.Percent != 100 {
		t.Errorf("apply's progress: %+v, want 1 of 2 planned and 100%% after the summary", j)
	}
	if slices.Contains(last, "--job") {
		t.Errorf("apply of all jobs ran %q, with --job", last)
	}
	w = request(s, http.MethodPost, "/apply", url.Values{"token": {token}, "plan": {planID}, "confirm": {"yes"}, "job": {"prod_to_lake"}}, nil)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("apply of one job with yes: %d\n%s", w.Code, w.Body)
	}
	s.runs.wait()
	last = f.lines()[len(f.lines())-1]
	if i := slices.Index(last, "--job"); i < 0 || i+1 >= len(last) || last[i+1] != "prod_to_lake" {
		t.Errorf("apply of one job ran %q, want --job prod_to_lake", last)
	}
}

// No page shows a secret value the commands print.
func TestSecretsRedacted(t *testing.T) {
	f := &fakeCommands{out: func(args []string, w io.Writer) int {
		if args[0] == "state" {
			fmt.Fprintf(w, `{"Job":"j","Record":{"source_key":"x/%s"}}`+"\n", secret)
			return 0
		}
		fmt.Fprintf(w, "Plan: the key is %s\n", secret)
		return 0
	}}
	s := newTestServer(t, f)
	loc := request(s, http.MethodPost, "/plan", url.Values{"token": {token}}, nil).Header().Get("Location")
	s.runs.wait()
	for _, target := range []string{loc, "/", "/state?prefix=x", "/state/key?key=x"} {
		body := request(s, http.MethodGet, target, nil, nil).Body.String()
		if strings.Contains(body, secret) || !strings.Contains(body, "[secret]") {
			t.Errorf("GET %s shows the secret (or not its mark):\n%s", target, body)
		}
	}
}

// A run whose UI stopped before it ended is shown as cut short, not done.
func TestInterruptedRun(t *testing.T) {
	s := newTestServer(t, &fakeCommands{})
	id := "20260101-000000-001-apply"
	record := `{"id":"` + id + `","kind":"apply","args":["apply","--json"],"done":false,"exit_code":0}`
	if err := os.WriteFile(s.opts.RunsDir+"/"+id+".json", []byte(record), 0o600); err != nil {
		t.Fatal(err)
	}
	body := request(s, http.MethodGet, "/runs/"+id, nil, nil).Body.String()
	if !strings.Contains(body, "failed (exit -1)") || !strings.Contains(body, "the UI stopped before this run ended") {
		t.Errorf("an interrupted run's page:\n%s", body)
	}
	if body := request(s, http.MethodGet, "/runs", nil, nil).Body.String(); !strings.Contains(body, "exit -1") {
		t.Errorf("the runs page does not show the run cut short:\n%s", body)
	}
}

// A run goes on until it is stopped: POST /runs/ID/stop without the
// token does nothing; with it, the run's context ends, as Ctrl-C ends
// the CLI's, and the run ends with the command's exit code; a run that
// ended cannot be stopped again.
func TestStopRun(t *testing.T) {
	s := newTestServer(t, &fakeCommands{untilStopped: true})
	loc := request(s, http.MethodPost, "/plan", url.Values{"token": {token}}, nil).Header().Get("Location")
	run := s.runs.get(strings.TrimPrefix(loc, "/runs/"))
	if run == nil {
		t.Fatalf("no run started: %q", loc)
	}
	if w := request(s, http.MethodPost, loc+"/stop", url.Values{}, nil); w.Code != http.StatusForbidden || run.isDone() {
		t.Fatalf("stop without the token: %d, done %v; want 403 and the run going on", w.Code, run.isDone())
	}
	if !strings.Contains(request(s, http.MethodGet, loc, nil, nil).Body.String(), `id="stop"`) {
		t.Error("the page of a run going on has no stop button")
	}
	if w := request(s, http.MethodPost, loc+"/stop", url.Values{"token": {token}}, nil); w.Code != http.StatusSeeOther {
		t.Fatalf("stop: %d", w.Code)
	}
	// A stop that does not reach the command would leave it going on
	// for ever: wait under a deadline, so that it fails instead of hanging.
	deadline := time.After(time.Minute)
	for {
		snap, changed := run.snapshot()
		if snap.Done {
			break
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatal("the run still goes on a minute after the stop")
		}
	}
	snap, _ := run.snapshot()
	if !snap.Done || snap.ExitCode != 1 || !strings.Contains(snap.Stderr, "stop requested") {
		t.Errorf("after the stop: done %v, exit %d, stderr %q", snap.Done, snap.ExitCode, snap.Stderr)
	}
	if w := request(s, http.MethodPost, loc+"/stop", url.Values{"token": {token}}, nil); w.Code != http.StatusConflict {
		t.Errorf("stop of an ended run: %d, want 409", w.Code)
	}
}
