package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// Tool names the harness itself refers to (the references of the report's
// ratios, the re-exec of sdk-limit); every other use goes through tools.
const (
	toolLakesync = "lakesync"
	// baseTool is lakesync built from the git revision given by
	// --baseline: the "before" of a before/after measurement, run in the
	// same session as "lakesync" (the working tree).
	baseTool     = "lakesync-base"
	toolSDKLimit = "sdk-limit"
	// defaultsSuffix names a peer run at its own default concurrency; the
	// peer's plain name runs at lakesync's (--concurrency).
	defaultsSuffix = "-defaults"
)

// isLakesync: lakesync itself or its baseline build (tools with a state).
func isLakesync(name string) bool { return name == toolLakesync || name == baseTool }

// family is the tool a variant belongs to: s5cmd for s5cmd-defaults.
func family(name string) string { return strings.TrimSuffix(name, defaultsSuffix) }

// tool is one tool the harness can measure.
type tool struct {
	name string
	// peer: one of the tools lakesync is compared with in the targets.
	peer bool
	// optional: not in --tools' default (lakesync-base, which --baseline
	// adds).
	optional bool
	// check says why the tool cannot take part ("" if it can) and records
	// its version in b.meta.versions; nil: it always can.
	check func(b *bench, name string) string
	// invoke is the command line of one run of job j.
	invoke func(e *env, j job) (invocation, error)
}

// peerAt adapts a peer's invocation to a tool entry: at its own default
// concurrency (defaults) or at lakesync's.
func peerAt(defaults bool, f func(e *env, j job, defaults bool) (invocation, error)) func(e *env, j job) (invocation, error) {
	return func(e *env, j job) (invocation, error) { return f(e, j, defaults) }
}

// tools are every tool, in report order: the one list of their names.
var tools = []tool{
	{name: toolLakesync, check: checkLakesync,
		invoke: func(e *env, j job) (invocation, error) { return e.lakesync(toolLakesync, j) }},
	{name: baseTool, optional: true, check: checkBaseline,
		invoke: func(e *env, j job) (invocation, error) { return e.lakesync(baseTool, j) }},
	{name: "s5cmd", peer: true, check: checkCachedBinary, invoke: peerAt(false, (*env).s5cmd)},
	{name: "s5cmd" + defaultsSuffix, peer: true, check: checkCachedBinary, invoke: peerAt(true, (*env).s5cmd)},
	{name: "rclone", peer: true, check: checkCachedBinary, invoke: peerAt(false, (*env).rclone)},
	{name: "rclone" + defaultsSuffix, peer: true, check: checkCachedBinary, invoke: peerAt(true, (*env).rclone)},
	{name: "awscli", peer: true, check: checkAWSCLI, invoke: peerAt(false, (*env).awscli)},
	{name: "awscli" + defaultsSuffix, peer: true, check: checkAWSCLI, invoke: peerAt(true, (*env).awscli)},
	{name: toolSDKLimit, invoke: (*env).sdkLimit},
}

var (
	// defaultTools are --tools' default.
	defaultTools = toolNames(func(t tool) bool { return !t.optional })
	// knownTools are the tools --tools accepts, in report order.
	knownTools = toolNames(func(tool) bool { return true })
	// peers are the tools lakesync is measured against.
	peers = toolNames(func(t tool) bool { return t.peer })
)

func toolNames(keep func(tool) bool) []string {
	var out []string
	for _, t := range tools {
		if keep(t) {
			out = append(out, t.name)
		}
	}
	return out
}

func toolNamed(name string) (tool, bool) {
	for _, t := range tools {
		if t.name == name {
			return t, true
		}
	}
	return tool{}, false
}

// detectTools decides which tools take part and why the others do not.
func (b *bench) detectTools() {
	b.skipped = map[string]string{}
	for _, name := range b.e.opts.tools {
		reason := ""
		if t, _ := toolNamed(name); t.check != nil { // parseFlags took known names only
			reason = t.check(b, name)
		}
		if reason != "" {
			b.skipped[name] = reason
			logf("skipping %s: %s", name, reason)
			continue
		}
		b.tools = append(b.tools, name)
	}
	b.meta.versions = append(b.meta.versions, runtime.Version())
}

func (e *env) invocationFor(name string, j job) (invocation, error) {
	t, ok := toolNamed(name)
	if !ok {
		return invocation{}, fmt.Errorf("unknown tool %s", name)
	}
	return t.invoke(e, j)
}

func checkLakesync(b *bench, name string) string {
	e := b.e
	if msg, err := os.ReadFile(filepath.Join(e.binDir, "..", "lakesync.skip")); err == nil {
		return strings.TrimSpace(string(msg))
	}
	if _, err := os.Stat(e.bin(name)); err != nil {
		return "no lakesync binary in bench/.cache/bin (bench/run builds it from ./cmd/lakesync)"
	}
	if msg, ok := lakesyncProbe(e.bin(name)); !ok {
		return msg
	}
	return ""
}

func checkBaseline(b *bench, name string) string {
	e := b.e
	v, err := buildBaseline(e.opts.root, e.opts.baseline, e.bin(name))
	if err != nil {
		return err.Error()
	}
	if msg, ok := lakesyncProbe(e.bin(name)); !ok {
		return msg
	}
	b.meta.versions = append(b.meta.versions, name+" "+v)
	return ""
}

// checkCachedBinary is a Go tool that bench/run installs in
// bench/.cache/bin.
func checkCachedBinary(b *bench, name string) string {
	bin := b.e.bin(family(name))
	if _, err := os.Stat(bin); err != nil {
		return "not installed in bench/.cache/bin (see bench/run)"
	}
	if name != family(name) {
		return "" // the version is the plain tool's
	}
	v := moduleVersion(bin)
	if env := os.Getenv("BENCH_" + strings.ToUpper(name) + "_VERSION"); v == "(devel)" && env != "" {
		v = env // s5cmd is built inside its module directory
	}
	b.meta.versions = append(b.meta.versions, name+" "+v)
	return ""
}

func checkAWSCLI(b *bench, name string) string {
	b.e.awsBin = resolveAWS()
	if b.e.awsBin == "" {
		return "no aws command on PATH"
	}
	if name != family(name) {
		return ""
	}
	out, _ := exec.Command(b.e.awsBin, "--version").CombinedOutput()
	b.meta.versions = append(b.meta.versions, firstLine(string(out)))
	return ""
}
