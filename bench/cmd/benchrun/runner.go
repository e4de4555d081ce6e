package main

import (
	"context"
	"fmt"
	"io"
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
	Err       error
}

// run executes inv with the environment env, its output going to logPath,
// and measures wall time, user+sys CPU and peak RSS of every process in the
// pipeline (rusage from wait4: Utime, Stime, Maxrss). CPU adds up over the
// pipeline; so does peak RSS, since the processes of a pipeline run at the
// same time.
func run(ctx context.Context, inv invocation, env []string, logPath string) measured {
	logf, err := os.Create(logPath)
	if err != nil {
		return measured{Err: err}
	}
	defer logf.Close()
	fmt.Fprintf(logf, "$ %s\n", pipelineString(inv.Pipeline))
	cmds := make([]*exec.Cmd, len(inv.Pipeline))
	for i, argv := range inv.Pipeline {
		c := exec.CommandContext(ctx, argv[0], argv[1:]...)
		c.Env = append(append([]string(nil), env...), inv.Env...)
		c.Stderr = logf
		c.Stdout = logf
		c.WaitDelay = 5 * time.Second
		cmds[i] = c
	}
	var pipes []io.Closer
	for i := 0; i+1 < len(cmds); i++ {
		r, w, err := os.Pipe()
		if err != nil {
			return measured{Err: err}
		}
		cmds[i].Stdout = w
		cmds[i+1].Stdin = r
		pipes = append(pipes, r, w)
	}
	start := time.Now()
	for i, c := range cmds {
		if err := c.Start(); err != nil {
			for _, s := range cmds[:i] {
				_ = s.Process.Kill()
				_ = s.Wait()
			}
			for _, p := range pipes {
				p.Close()
			}
			return measured{Err: fmt.Errorf("start %s: %w", c.Path, err)}
		}
	}
	// The children hold their own copies of the pipe ends.
	for _, p := range pipes {
		p.Close()
	}
	var m measured
	var errs []string
	for _, c := range cmds {
		if err := c.Wait(); err != nil {
			errs = append(errs, fmt.Sprintf("%s: %v", shortName(c.Path), err))
		}
		if c.ProcessState != nil {
			if ru, ok := c.ProcessState.SysUsage().(*syscall.Rusage); ok {
				m.CPU += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
				m.MaxRSSKiB += ru.Maxrss // KiB on Linux
			}
		}
	}
	m.Wall = time.Since(start)
	if len(errs) > 0 {
		m.Err = fmt.Errorf("%s", strings.Join(errs, "; "))
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

func pipelineString(p [][]string) string {
	var parts []string
	for _, argv := range p {
		parts = append(parts, strings.Join(argv, " "))
	}
	return strings.Join(parts, " | ")
}

func shortName(path string) string {
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		return path[i+1:]
	}
	return path
}
