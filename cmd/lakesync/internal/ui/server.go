package ui

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

//go:embed assets
var assets embed.FS

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"stepLine": StepLine,
	"join":     strings.Join,
	"when":     when,
}).ParseFS(assets, "assets/*.html"))

// when is an RFC 3339 time to the second, in UTC: "2026-12-01 16:31:20".
func when(s string) string {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return s
	}
	return t.UTC().Format(time.DateTime)
}

// Options are what a UI needs.
type Options struct {
	// Token is what every request must carry (NewToken).
	Token string
	// Listen is the address the server is bound to, HOST:PORT.
	Listen string
	// Command runs a lakesync command line in-process.
	Command Command
	// Flags end every command line: -c CONFIG, --var values, --no-color.
	Flags []string
	// Config names the configuration on every page.
	Config string
	// Jobs are the configuration's job names, for the forms.
	Jobs []string
	// Migrations are the configuration's migration blocks, for the
	// migrate form.
	Migrations []Migration
	// RunsDir keeps the runs' records, events and plan files.
	RunsDir string
	// Secrets are values no page may show (credentials from the
	// environment); each is replaced by "[secret]".
	Secrets []string
}

// Migration is a migration block: its name and the bucket it moves
// (what --confirm-delete-source must name).
type Migration struct{ Name, Bucket string }

// Server is the UI's HTTP handler.
type Server struct {
	opts Options
	runs *runs
	ctx  context.Context // runs run under it
	h    http.Handler
}

// New is the UI; the runs it starts run under ctx (the command's, which
// ends when the UI stops or loses its hold on the state).
func New(ctx context.Context, opts Options) (*Server, error) {
	if len(opts.Token) < 32 {
		return nil, errors.New("the UI needs a token of at least 32 characters")
	}
	if err := os.MkdirAll(opts.RunsDir, 0o700); err != nil {
		return nil, fmt.Errorf("make the runs directory: %w", err)
	}
	var pairs []string
	for _, s := range opts.Secrets {
		if len(s) >= 8 {
			pairs = append(pairs, s, "[secret]")
		}
	}
	s := &Server{opts: opts, ctx: ctx, runs: &runs{dir: opts.RunsDir, cmd: opts.Command, redact: strings.NewReplacer(pairs...), byID: map[string]*Run{}}}
	mux := http.NewServeMux()
	static, _ := fs.Sub(assets, "assets")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /{$}", s.planPage)
	mux.HandleFunc("POST /plan", s.startPlan)
	mux.HandleFunc("POST /apply", s.startApply)
	mux.HandleFunc("POST /migrate", s.startMigrate)
	mux.HandleFunc("GET /runs", s.historyPage)
	mux.HandleFunc("GET /runs/{id}", s.runPage)
	mux.HandleFunc("GET /runs/{id}/events", s.runEvents)
	mux.HandleFunc("POST /runs/{id}/stop", s.stopRun)
	mux.HandleFunc("GET /runs/{id}/report", s.runReport)
	mux.HandleFunc("GET /runs/{id}/picture.svg", s.planPicture)
	mux.HandleFunc("GET /state", s.statePage)
	mux.HandleFunc("GET /state/key", s.stateKeyPage)
	s.h = guard{token: opts.Token, listen: opts.Listen, next: mux}
	return s, nil
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.h.ServeHTTP(w, r) }

// Serve serves on l until ctx ends, then waits for the run going on.
func (s *Server) Serve(ctx context.Context, l net.Listener) error {
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, BaseContext: func(net.Listener) context.Context { return ctx }}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(shut)
	s.runs.wait()
	return nil
}

// wait waits for the run going on to end (its context is cancelled).
func (rs *runs) wait() {
	rs.mu.Lock()
	r := rs.current
	rs.mu.Unlock()
	for r != nil {
		_, changed := r.snapshot()
		if r.isDone() {
			return
		}
		<-changed
	}
}

// page is what every template gets.
type page struct {
	Title      string
	Nav        string
	Token      string
	Config     string
	Jobs       []string
	Migrations []Migration
	Error      string
	Data       any
}

func (s *Server) render(w http.ResponseWriter, status int, name string, p page) {
	p.Token, p.Config, p.Jobs, p.Migrations = s.opts.Token, s.opts.Config, s.opts.Jobs, s.opts.Migrations
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	w.WriteHeader(status)
	if err := pages.ExecuteTemplate(w, name, p); err != nil {
		fmt.Fprintf(w, "<p>lakesync ui: %s</p>", template.HTMLEscapeString(err.Error()))
	}
}

// command is a command line: the words, then the UI's flags, then the
// positional arguments after "--" (a key may start with "-").
func (s *Server) command(words []string, positional ...string) []string {
	args := append(append([]string{}, words...), s.opts.Flags...)
	if len(positional) > 0 {
		args = append(append(args, "--"), positional...)
	}
	return args
}
