package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// invocation is what one tool run executes: one command, or a pipeline of
// commands whose stdout feeds the next one's stdin (download | upload).
type invocation struct {
	Pipeline [][]string
	Env      []string // added to the common environment
}

// measured is the outcome of running an invocation.
type measured struct {
	Wall      time.Duration
	CPU       time.Duration
	MaxRSSKiB int64
	FloorKiB  int64 // the launcher's own peak RSS: a lower bound of MaxRSSKiB per process
	Err       error
}

// execResult is what bench/cmd/benchexec writes.
type execResult struct {
	WallNS         int64    `json:"wall_ns"`
	CPUNS          int64    `json:"cpu_ns"`
	MaxRSSKiB      []int64  `json:"max_rss_kib"`
	LauncherRSSKiB int64    `json:"launcher_rss_kib"`
	Errors         []string `json:"errors"`
}

// run executes inv through the small launcher benchexec (see its doc for
// why), with the environment env and output to logPath, and returns wall
// time, user+sys CPU and peak RSS of every process in the pipeline (rusage
// from wait4: Utime, Stime, Maxrss). CPU adds up over the pipeline; so does
// peak RSS, since the processes of a pipeline run at the same time.
func run(ctx context.Context, launcher string, inv invocation, env []string, logPath string) measured {
	specPath, resPath := logPath+".spec.json", logPath+".result.json"
	defer os.Remove(specPath)
	defer os.Remove(resPath)
	spec, _ := json.Marshal(map[string]any{"pipeline": inv.Pipeline, "log": logPath})
	if err := os.WriteFile(specPath, spec, 0o644); err != nil {
		return measured{Err: err}
	}
	_ = os.Remove(resPath)
	c := exec.CommandContext(ctx, launcher, specPath, resPath)
	c.Env = append(append([]string(nil), env...), inv.Env...)
	c.Cancel = func() error { return c.Process.Signal(syscall.SIGTERM) }
	c.WaitDelay = 10 * time.Second
	out, err := c.CombinedOutput()
	if ctx.Err() != nil {
		return measured{Err: fmt.Errorf("timed out or interrupted: %w", ctx.Err())}
	}
	if err != nil {
		return measured{Err: fmt.Errorf("benchexec: %v: %s", err, strings.TrimSpace(string(out)))}
	}
	b, err := os.ReadFile(resPath)
	if err != nil {
		return measured{Err: err}
	}
	var r execResult
	if err := json.Unmarshal(b, &r); err != nil {
		return measured{Err: err}
	}
	m := measured{Wall: time.Duration(r.WallNS), CPU: time.Duration(r.CPUNS), FloorKiB: r.LauncherRSSKiB}
	for _, k := range r.MaxRSSKiB {
		m.MaxRSSKiB += k
	}
	if len(r.Errors) > 0 {
		m.Err = fmt.Errorf("%s", strings.Join(r.Errors, "; "))
	}
	return m
}

// logTail returns the last non-empty lines of a run's log, for the report.
func logTail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	var keep []string
	for i := len(lines) - 1; i >= 1 && len(keep) < n; i-- { // line 0 is the command
		if l := strings.TrimSpace(lines[i]); l != "" {
			keep = append([]string{l}, keep...)
		}
	}
	s := strings.Join(keep, " / ")
	if len(s) > 300 {
		s = s[:300] + "..."
	}
	return s
}
