package main

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestMedian(t *testing.T) {
	cases := []struct {
		in   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{3}, 3},
		{[]float64{3, 1, 2}, 2},
		{[]float64{4, 1, 3, 2}, 2.5},
	}
	for _, c := range cases {
		if got := median(c.in); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.in, got, c.want)
		}
	}
	in := []float64{3, 1, 2}
	median(in)
	if !reflect.DeepEqual(in, []float64{3, 1, 2}) {
		t.Errorf("median modified its input: %v", in)
	}
}

func TestSummarize(t *testing.T) {
	s := summarize([]sample{
		{Wall: 2 * time.Second, CPU: time.Second, MaxRSSKiB: 100, Exited: true, OK: true},
		{Wall: 4 * time.Second, CPU: 3 * time.Second, MaxRSSKiB: 300, Exited: true, OK: true},
		{Wall: 3 * time.Second, CPU: 2 * time.Second, MaxRSSKiB: 200, Exited: true, OK: false, Note: "missed 1 of 2 changed"},
		{Wall: 9 * time.Second, MaxRSSKiB: 900, Exited: false, Note: "exit: boom"},
	})
	if s.Runs != 4 || s.FailedRuns != 1 {
		t.Fatalf("runs %d failed %d", s.Runs, s.FailedRuns)
	}
	if s.MedianS != 3 || s.MinS != 2 || s.MaxS != 4 || s.CPUS != 2 || s.MaxRSSKiB != 300 {
		t.Errorf("summary %+v", s)
	}
	if s.CopiedOK {
		t.Error("CopiedOK with a wrong run")
	}
	if len(s.Notes) != 2 {
		t.Errorf("notes %v", s.Notes)
	}
}

func TestRotate(t *testing.T) {
	tools := []string{"a", "b", "c"}
	if got := rotate(tools, 1); !reflect.DeepEqual(got, []string{"b", "c", "a"}) {
		t.Errorf("rotate 1 = %v", got)
	}
	if got := rotate(tools, 3); !reflect.DeepEqual(got, tools) {
		t.Errorf("rotate 3 = %v", got)
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"100KiB": 100 << 10, "64MiB": 64 << 20, "1GiB": 1 << 30, "5.25GiB": 5376 << 20, "4096": 4096,
		"100MB": 100e6, "5 GiB": 5 << 30} { // read as lakesync's config reads sizes
		got, err := parseSize(in)
		if err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"lots", "0", "0B"} {
		if _, err := parseSize(bad); err == nil {
			t.Errorf("parseSize accepted %q", bad)
		}
	}
}

func TestParseFlagsQuick(t *testing.T) {
	o, err := parseFlags([]string{"--quick", "--scenarios", "delta-sync,small-cp"})
	if err != nil {
		t.Fatal(err)
	}
	if o.objects != 1000 || o.noopObjects != 2000 || o.largeSize != 1<<30 || o.runs != 3 {
		t.Errorf("quick defaults %+v", o)
	}
	if !reflect.DeepEqual(o.scenarios, []string{"small-cp", "delta-sync"}) {
		t.Errorf("scenarios %v", o.scenarios)
	}
	if _, err := parseFlags([]string{"--scenarios", "nope"}); err == nil {
		t.Error("unknown scenario accepted")
	}
}

func TestCompareSets(t *testing.T) {
	if s := compareSets([]string{"a", "b"}, []string{"b", "a"}); s != "" {
		t.Errorf("equal sets: %q", s)
	}
	s := compareSets([]string{"a", "x", "y"}, []string{"a", "b"})
	if !strings.Contains(s, "missed 1 of 2") || !strings.Contains(s, "rewrote 2 unchanged") {
		t.Errorf("got %q", s)
	}
}

func TestChangedKeys(t *testing.T) {
	t0 := time.Unix(100, 0)
	before := map[string]objInfo{"a": {ETag: "1", LastModified: t0}, "b": {ETag: "2", LastModified: t0}}
	after := map[string]objInfo{"a": {ETag: "1", LastModified: t0}, "b": {ETag: "2", LastModified: t0.Add(time.Second)}, "c": {ETag: "3"}}
	if got := changedKeys(before, after); !reflect.DeepEqual(got, []string{"b", "c"}) {
		t.Errorf("changedKeys = %v", got)
	}
}

func TestLakesyncConfig(t *testing.T) {
	e := &env{endpoint: "http://127.0.0.1:9", kmsKeyName: "bench-key", workDir: t.TempDir(), binDir: "/x", opts: options{conc: 64, partConc: 8, partSize: 64 << 20}}
	inv, err := e.lakesync("lakesync", job{Scenario: "noop-sync", Run: 1, Mode: "sync", Src: "s", Dst: "d", StateDir: "/st"})
	if err != nil {
		t.Fatal(err)
	}
	argv := inv.Pipeline[0]
	if argv[0] != "/x/lakesync" || argv[1] != "apply" || argv[len(argv)-1] != "--skip-policies" {
		t.Errorf("argv %v", argv)
	}
	b, err := os.ReadFile(argv[3])
	if err != nil {
		t.Fatal(err)
	}
	cfg := string(b)
	for _, want := range []string{`endpoint_url        = "http://127.0.0.1:9"`, `key/bench-key"`, `name    = "d"`, `mode        = "sync"`, `transfer    = "server-side"`, `concurrency = 64`, `state { path = "/st/state" }`} {
		if !strings.Contains(cfg, want) {
			t.Errorf("config lacks %q:\n%s", want, cfg)
		}
	}
	if strings.Contains(cfg, "{{") || strings.Contains(cfg, "part_size") {
		t.Errorf("unreplaced placeholder or large-object settings in a sync:\n%s", cfg)
	}
	inv, err = e.lakesync("lakesync", job{Scenario: "large-copy", Run: 1, Mode: "mpcopy", Src: "s", Dst: "d", StateDir: "/st"})
	if err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(inv.Pipeline[0][3])
	if !strings.Contains(string(b), "multipart_threshold = \"64MiB\"\n  part_size           = \"64MiB\"\n}") || !strings.Contains(string(b), "concurrency = 8") {
		t.Errorf("large-copy config:\n%s", b)
	}
}

func TestBaselineFlag(t *testing.T) {
	o, err := parseFlags([]string{"--tools", "s5cmd,lakesync", "--baseline", "HEAD~1"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"lakesync", baseTool, "s5cmd"}; !slices.Equal(o.tools, want) {
		t.Errorf("tools = %v, want %v (the baseline next to lakesync)", o.tools, want)
	}
	o, err = parseFlags([]string{"--tools", baseTool + ",s5cmd", "--baseline", "HEAD~1"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{baseTool, "s5cmd"}; !slices.Equal(o.tools, want) {
		t.Errorf("tools = %v, want %v (%s named and implied by --baseline, once)", o.tools, want, baseTool)
	}
	if _, err := parseFlags([]string{"--tools", "lakesync," + baseTool}); err == nil || !strings.Contains(err.Error(), "--baseline") {
		t.Errorf("%s without --baseline: err = %v, want one naming --baseline", baseTool, err)
	}
}

func TestTargets(t *testing.T) {
	rep := report{Scenarios: map[string]map[string]toolResult{
		"small-cp": {
			"lakesync":  {ObjectsPerS: 600, CPUSPer1000: 0.40, CopiedOK: true},
			"s5cmd":     {ObjectsPerS: 500, CPUSPer1000: 0.46, CopiedOK: true},
			"rclone":    {ObjectsPerS: 350, CPUSPer1000: 0.30, CopiedOK: false}, // incorrect: not a reference
			"sdk-limit": {ObjectsPerS: 620, CopiedOK: true},
		},
		"delta-sync": {
			"lakesync": {MedianS: 2.3, CopiedOK: true},
			"s5cmd":    {MedianS: 3.4, CopiedOK: true},
			"rclone":   {MedianS: 1.0, CopiedOK: false},
		},
		"stream-large": {"lakesync": {MaxRSSKiB: 600 << 10, CopiedOK: true}},
	}}
	info := map[string]*scenarioInfo{"stream-large": {Buffer: 512 << 20}}
	got := strings.Join(targets(rep, info), "\n")
	for _, want := range []string{
		"- **NOT met**: small-cp objects/s >= 1.25x the fastest peer: 600 / 500 (s5cmd) = 1.20x",
		"- met: small-cp objects/s >= 0.9x sdk-limit: 600 / 620 = 0.97x",
		"- met: small-cp CPU per 1,000 objects <= the best peer's: 0.400 s against 0.460 s (s5cmd)",
		"- met: delta-sync wall time <= the fastest correct peer's: 2.30 s against 3.40 s (s5cmd), lakesync correct: true",
		"- **NOT met**: stream-large peak RSS <= part size x parallel parts + 64 MiB",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("targets lack %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "large-copy") || strings.Contains(got, "noop-sync") {
		t.Errorf("targets of scenarios not run:\n%s", got)
	}
}

func TestEmptyTrash(t *testing.T) {
	dir := t.TempDir()
	trash := filepath.Join(dir, ".minio.sys", "tmp", ".trash")
	if err := os.MkdirAll(filepath.Join(trash, "a", "b"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(trash, "a", "b", "part.1"), make([]byte, 3000), 0o644); err != nil {
		t.Fatal(err)
	}
	keep := filepath.Join(dir, ".minio.sys", "tmp", "upload")
	if err := os.WriteFile(keep, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if n := emptyTrash(dir); n != 3000 {
		t.Errorf("emptyTrash removed %d bytes, want 3000", n)
	}
	if left, _ := os.ReadDir(trash); len(left) != 0 {
		t.Errorf("the trash still holds %d entries", len(left))
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("a file outside the trash was removed: %v", err)
	}
}
