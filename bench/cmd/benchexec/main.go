// Command benchexec runs one measured tool invocation for bench/cmd/benchrun
// and reports its wall time, CPU and peak RSS as JSON.
//
// Why a separate, small process: Go starts children with
// clone(CLONE_VM|CLONE_VFORK), and Linux carries the parent's peak RSS into
// the child's ru_maxrss at exec. Started from the harness (hundreds of MiB
// after it made the data sets) every tool would report at least the
// harness's peak. Started from this tiny launcher the floor is the
// launcher's own few MiB (reported as launcher_rss_kib).
//
// Usage: benchexec SPEC.json RESULT.json, where SPEC is
// {"pipeline": [[argv...], ...], "log": PATH}; the environment is inherited.
// The exit code is 0 when the result was written, whatever the tool did.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type spec struct {
	Pipeline [][]string `json:"pipeline"`
	Log      string     `json:"log"`
}

type result struct {
	WallNS         int64    `json:"wall_ns"`
	CPUNS          int64    `json:"cpu_ns"`
	MaxRSSKiB      []int64  `json:"max_rss_kib"` // per process of the pipeline
	LauncherRSSKiB int64    `json:"launcher_rss_kib"`
	Errors         []string `json:"errors,omitempty"`
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: benchexec SPEC.json RESULT.json")
		os.Exit(2)
	}
	b, err := os.ReadFile(os.Args[1])
	if err != nil {
		fail(err)
	}
	var s spec
	if err := json.Unmarshal(b, &s); err != nil {
		fail(err)
	}
	if len(s.Pipeline) == 0 {
		fail(fmt.Errorf("empty pipeline"))
	}
	r := run(s)
	r.LauncherRSSKiB = selfHWM()
	out, _ := json.Marshal(r)
	if err := os.WriteFile(os.Args[2], out, 0o644); err != nil {
		fail(err)
	}
}

// selfHWM is this process's own peak RSS (VmHWM, KiB). Not getrusage: its
// ru_maxrss carries the harness's peak in from the exec, as said above.
func selfHWM() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmHWM:" {
			n, _ := strconv.ParseInt(f[1], 10, 64)
			return n
		}
	}
	return 0
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "benchexec:", err)
	os.Exit(2)
}

func run(s spec) result {
	var r result
	logf, err := os.Create(s.Log)
	if err != nil {
		r.Errors = append(r.Errors, err.Error())
		return r
	}
	defer logf.Close()
	var parts []string
	for _, argv := range s.Pipeline {
		parts = append(parts, strings.Join(argv, " "))
	}
	fmt.Fprintf(logf, "$ %s\n", strings.Join(parts, " | "))

	cmds := make([]*exec.Cmd, len(s.Pipeline))
	for i, argv := range s.Pipeline {
		c := exec.Command(argv[0], argv[1:]...)
		c.Stdout, c.Stderr = logf, logf
		// The tools die with the launcher (the harness kills it on timeout).
		c.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		cmds[i] = c
	}
	var pipes []io.Closer
	for i := 0; i+1 < len(cmds); i++ {
		pr, pw, err := os.Pipe()
		if err != nil {
			r.Errors = append(r.Errors, err.Error())
			return r
		}
		cmds[i].Stdout, cmds[i+1].Stdin = pw, pr
		pipes = append(pipes, pr, pw)
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	start := time.Now()
	for i, c := range cmds {
		if err := c.Start(); err != nil {
			r.Errors = append(r.Errors, fmt.Sprintf("start %s: %v", argv0(c), err))
			for _, p := range cmds[:i] {
				_ = p.Process.Kill()
				_ = p.Wait()
			}
			return r
		}
	}
	for _, p := range pipes {
		p.Close() // the children hold their own copies
	}
	go func() {
		<-sigs
		for _, c := range cmds {
			_ = c.Process.Kill()
		}
	}()
	r.MaxRSSKiB = make([]int64, len(cmds))
	for i, c := range cmds {
		if err := c.Wait(); err != nil {
			r.Errors = append(r.Errors, fmt.Sprintf("%s: %v", argv0(c), err))
		}
		if ru, ok := c.ProcessState.SysUsage().(*syscall.Rusage); ok {
			r.CPUNS += ru.Utime.Nano() + ru.Stime.Nano()
			r.MaxRSSKiB[i] = ru.Maxrss // KiB on Linux
		}
	}
	r.WallNS = int64(time.Since(start))
	return r
}

func argv0(c *exec.Cmd) string {
	p := c.Path
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		p = p[i+1:]
	}
	return p
}
