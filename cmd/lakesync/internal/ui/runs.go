package ui

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// Command runs one lakesync command line in-process, through the same
// cobra command tree as the CLI, with its standard output and error
// written to out and errw, and returns its exit code.
type Command func(ctx context.Context, args []string, out, errw io.Writer) int

// Run is one command line the UI started. Its record (ID.json), output
// (ID.jsonl for JSON events, ID.txt for text) and standard error (ID.log)
// are kept in the runs directory.
type Run struct {
	ID       string    `json:"id"`
	Kind     string    `json:"kind"` // "plan", "apply" or "migrate"
	Args     []string  `json:"args"`
	PlanID   string    `json:"plan_id,omitempty"` // apply: the plan run it applies
	Started  time.Time `json:"started"`
	Ended    time.Time `json:"ended,omitzero"`
	ExitCode int       `json:"exit_code"`
	Done     bool      `json:"done"`

	mu      sync.Mutex
	cancel  context.CancelFunc // stops the run, as Ctrl-C stops the CLI
	live    *Live
	text    bytes.Buffer // standard output of a text run (plan)
	stderr  bytes.Buffer
	changed chan struct{} // closed and replaced at each change
}

// Snapshot is what a run's page shows of it at one moment.
type Snapshot struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"`
	Done     bool   `json:"done"`
	ExitCode int    `json:"exit_code"`
	Live     *Live  `json:"live"`
	Text     string `json:"text"`
	Stderr   string `json:"stderr"`
}

func (r *Run) jsonEvents() bool { return r.Kind != "plan" }

// snapshot is r now, and a channel closed at its next change.
func (r *Run) snapshot() (Snapshot, <-chan struct{}) {
	r.mu.Lock()
	defer r.mu.Unlock()
	live, _ := json.Marshal(r.live)
	cp := &Live{}
	_ = json.Unmarshal(live, cp)
	return Snapshot{ID: r.ID, Kind: r.Kind, Done: r.Done, ExitCode: r.ExitCode, Live: cp, Text: r.text.String(), Stderr: r.stderr.String()}, r.changed
}

func (r *Run) touch() {
	close(r.changed)
	r.changed = make(chan struct{})
}

// runs are the runs of this UI and the records of earlier ones in dir.
type runs struct {
	dir     string
	cmd     Command
	redact  *strings.Replacer
	mu      sync.Mutex
	byID    map[string]*Run
	current *Run // the run going on, if any
	seq     int
}

// errBusy refuses a run while another goes on.
type errBusy struct{ id string }

func (e errBusy) Error() string {
	return "run " + e.id + " is still going: one run at a time (its page shows when it ends)"
}

// start runs args (kind, and for an apply the plan run it applies) in
// the background; planned is the plan's objects per job, for the bars.
func (rs *runs) start(ctx context.Context, kind string, args []string, planID string, planned map[string]int64) (*Run, error) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if rs.current != nil && !rs.current.isDone() {
		return nil, errBusy{rs.current.ID}
	}
	rs.seq++
	id := fmt.Sprintf("%s-%03d-%s", time.Now().UTC().Format("20060102-150405"), rs.seq, kind)
	r := &Run{ID: id, Kind: kind, Args: args, PlanID: planID, Started: time.Now().UTC(), live: NewLive(planned), changed: make(chan struct{})}
	if kind == "plan" {
		r.Args = append(slices.Clone(args), "--out", rs.planFile(id))
	}
	if err := rs.save(r); err != nil {
		return nil, err
	}
	rs.byID[id] = r
	rs.current = r
	ctx, r.cancel = context.WithCancel(ctx)
	go func() {
		defer r.cancel()
		rs.execute(ctx, r)
	}()
	return r, nil
}

// stop stops run id if it goes on, as Ctrl-C stops the CLI: the command
// sees its context end, an apply commits the state of every object that
// completed and says to run it again to resume. It reports whether the
// run was going on.
func (rs *runs) stop(id string) bool {
	r := rs.get(id)
	if r == nil || r.isDone() || r.cancel == nil {
		return false
	}
	r.mu.Lock()
	r.stderr.WriteString("lakesync ui: stop requested\n")
	r.touch()
	r.mu.Unlock()
	r.cancel()
	return true
}

func (r *Run) isDone() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.Done
}

func (rs *runs) planFile(id string) string { return filepath.Join(rs.dir, id+".plan") }

func (rs *runs) outFile(r *Run) string {
	if r.jsonEvents() {
		return filepath.Join(rs.dir, r.ID+".jsonl")
	}
	return filepath.Join(rs.dir, r.ID+".txt")
}

// execute runs r's command, reading its output line by line as it comes.
func (rs *runs) execute(ctx context.Context, r *Run) {
	out, err := os.OpenFile(rs.outFile(r), os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		rs.finish(r, 1, fmt.Sprintf("lakesync ui: %v\n", err))
		return
	}
	defer out.Close()
	pr, pw := io.Pipe()
	read := make(chan struct{})
	go func() {
		defer close(read)
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
		for sc.Scan() {
			line := rs.redact.Replace(sc.Text())
			fmt.Fprintln(out, line)
			rs.addLine(r, line)
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	code := rs.cmd(ctx, r.Args, pw, stderrOf{rs, r})
	pw.Close()
	<-read
	rs.finish(r, code, "")
}

func (rs *runs) addLine(r *Run, line string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.jsonEvents() {
		if err := r.live.Add([]byte(line)); err != nil {
			fmt.Fprintf(&r.stderr, "lakesync ui: %s: %v\n", line, err)
		}
	} else {
		r.text.WriteString(line + "\n")
	}
	r.touch()
}

// stderrOf is a run's standard error: kept in memory and in ID.log.
type stderrOf struct {
	rs *runs
	r  *Run
}

func (s stderrOf) Write(p []byte) (int, error) {
	text := s.rs.redact.Replace(string(p))
	s.r.mu.Lock()
	s.r.stderr.WriteString(text)
	s.r.touch()
	s.r.mu.Unlock()
	f, err := os.OpenFile(filepath.Join(s.rs.dir, s.r.ID+".log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err == nil {
		_, _ = f.WriteString(text)
		_ = f.Close()
	}
	return len(p), nil
}

func (rs *runs) finish(r *Run, code int, msg string) {
	r.mu.Lock()
	r.stderr.WriteString(msg)
	r.Done, r.ExitCode, r.Ended = true, code, time.Now().UTC()
	r.touch()
	r.mu.Unlock()
	if err := rs.save(r); err != nil {
		r.mu.Lock()
		fmt.Fprintf(&r.stderr, "lakesync ui: %v\n", err)
		r.mu.Unlock()
	}
}

// save writes r's record, ID.json.
func (rs *runs) save(r *Run) error {
	r.mu.Lock()
	b, err := json.MarshalIndent(r, "", "  ")
	r.mu.Unlock()
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(rs.dir, r.ID+".json"), append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("save the run's record: %w", err)
	}
	return nil
}
