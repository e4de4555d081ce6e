package main

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseRTTs(t *testing.T) {
	for in, want := range map[string][]time.Duration{
		"0":              {0},
		"0,50ms,250ms":   {0, 50 * time.Millisecond, 250 * time.Millisecond},
		" 50ms , 50ms ,": {50 * time.Millisecond},
	} {
		got, err := parseRTTs(in)
		if err != nil {
			t.Errorf("parseRTTs(%q): %v", in, err)
			continue
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("parseRTTs(%q) (-want +got)\n%s", in, diff)
		}
	}
	for _, bad := range []string{"", "-1s", "far", "50"} {
		if _, err := parseRTTs(bad); err == nil {
			t.Errorf("parseRTTs accepted %q", bad)
		}
	}
	o, err := parseFlags([]string{"--quick", "--rtt", "0,50ms"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]time.Duration{0, 50 * time.Millisecond}, o.rtts); diff != "" || o.largeObjects != 50000 {
		t.Errorf("--quick --rtt 0,50ms: rtts (-want +got)\n%s large objects %d, want 50000", diff, o.largeObjects)
	}
	if o, _ := parseFlags(nil); o.largeObjects != 1000000 {
		t.Errorf("full run: large objects %d, want 1000000", o.largeObjects)
	}
}

// TestTurn checks that a peer and its -defaults variant, which share a
// destination in the large set, take turns round by round while the other
// tools run every round.
func TestTurn(t *testing.T) {
	tools := []string{"lakesync", "s5cmd", "s5cmd-defaults", "rclone", "rclone-defaults", "awscli", "sdk-limit"}
	if got := maxVariants(tools); got != 2 {
		t.Errorf("maxVariants = %d, want 2", got)
	}
	want := map[int][]string{
		0: {"lakesync", "s5cmd", "rclone", "awscli", "sdk-limit"},
		1: {"lakesync", "s5cmd-defaults", "rclone-defaults", "awscli", "sdk-limit"},
		2: {"lakesync", "s5cmd", "rclone", "awscli", "sdk-limit"},
	}
	for r, w := range want {
		if diff := cmp.Diff(w, turn(tools, r)); diff != "" {
			t.Errorf("round %d (-want +got)\n%s", r, diff)
		}
	}
	if lsetDst("s5cmd-defaults") != lsetDst("s5cmd") || lsetDst("lakesync") == lsetDst(baseTool) {
		t.Errorf("destinations: s5cmd %s, s5cmd-defaults %s, lakesync %s, %s %s",
			lsetDst("s5cmd"), lsetDst("s5cmd-defaults"), lsetDst("lakesync"), baseTool, lsetDst(baseTool))
	}
}

// TestPeerDefaults checks that each peer's -defaults variant leaves its
// concurrency at the tool's own default and the plain one sets lakesync's.
func TestPeerDefaults(t *testing.T) {
	e := &env{endpoint: "http://127.0.0.1:9", workDir: "/w", binDir: "/x", awsBin: "aws", kmsKeyID: "k",
		opts: options{conc: 64, partConc: 8, partSize: 64 << 20}}
	j := job{Scenario: "small-cp", Run: 1, Mode: "cp", Src: "s", Dst: "d"}
	argv := func(name string) string {
		inv, err := e.invocationFor(name, j)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(inv.Pipeline[0], " ") + " " + strings.Join(inv.Env, " ")
	}
	for name, want := range map[string][]string{
		"s5cmd":           {"--numworkers 64"},
		"rclone":          {"--transfers 64", "--checkers 64", "--s3-upload-concurrency 8"},
		"awscli":          {"AWS_CONFIG_FILE=/w/aws-config-objects"},
		"awscli-defaults": {"AWS_CONFIG_FILE=/w/aws-config-defaults"},
	} {
		for _, w := range want {
			if got := argv(name); !strings.Contains(got, w) {
				t.Errorf("%s lacks %q: %s", name, w, got)
			}
		}
	}
	for name, unwanted := range map[string][]string{
		"s5cmd-defaults":  {"--numworkers"},
		"rclone-defaults": {"--transfers", "--checkers", "--s3-upload-concurrency"},
	} {
		for _, u := range unwanted {
			if got := argv(name); strings.Contains(got, u) {
				t.Errorf("%s sets %s: %s", name, u, got)
			}
		}
	}
	if c := awsConfigFile(0, 64<<20); strings.Contains(c, "max_concurrent_requests") || !strings.Contains(c, "multipart_chunksize = 64MB") {
		t.Errorf("the defaults config:\n%s", c)
	}
	if c := awsConfigFile(64, 64<<20); !strings.Contains(c, "max_concurrent_requests = 64") {
		t.Errorf("the config at lakesync's concurrency:\n%s", c)
	}
}

// TestReportAtDistance checks the columns the proxy adds and the ratio of
// each tool at rtt D to itself at rtt 0.
func TestReportAtDistance(t *testing.T) {
	b := &bench{e: &env{opts: options{rtts: []time.Duration{0, 50 * time.Millisecond}, runs: 1}},
		results: map[string]map[string][]sample{}, info: map[string]*scenarioInfo{}}
	for _, d := range []time.Duration{0, 50 * time.Millisecond} {
		b.setRTT(d)
		key := rttKey("noop-sync-large", d)
		b.addScenario(key, &scenarioInfo{Title: "t", Objects: 1000, Sync: true, KeysListed: 2000})
		f := time.Duration(1 + d/(10*time.Millisecond)) // 1x at 0, 6x at 50ms
		b.results[key] = map[string][]sample{
			"lakesync": {{Wall: f * time.Second, Exited: true, OK: true, ListRequests: 2, Requests: 3, MaxInFlight: 2, StateBytes: 290000}},
			"s5cmd":    {{Wall: 2 * f * time.Second, Exited: true, OK: true, ListRequests: 2, Requests: 2, MaxInFlight: 2}},
		}
	}
	b.skipped = map[string]string{"rclone": "not installed"}
	rep := b.buildReport()
	l := rep.Scenarios["noop-sync-large@rtt=50ms"]["lakesync"]
	if l.RatioToRTT0 == nil || *l.RatioToRTT0 != 6 || l.RTTMs != 50 || l.StateBytesPerObject != 290 || l.KeysListedPerS != 333 || l.ListRequests != 2 {
		t.Errorf("lakesync at 50ms: %+v", l)
	}
	if r0 := rep.Scenarios["noop-sync-large"]["lakesync"]; r0.RatioToRTT0 != nil {
		t.Errorf("a ratio to rtt 0 at rtt 0: %+v", r0)
	}
	md := b.markdown(rep)
	for _, table := range strings.Split(md, "\n\n") {
		lines := strings.Split(strings.TrimSpace(table), "\n")
		if !strings.HasPrefix(lines[0], "| tool |") {
			continue
		}
		for _, l := range lines[1:] {
			if got, want := strings.Count(l, "|"), strings.Count(lines[0], "|"); got != want {
				t.Errorf("row of %d cells under a header of %d: %s", got-1, want-1, l)
			}
		}
	}
	for _, want := range []string{
		"| tool | median s | min-max s | objects/s | MB/s | keys listed/s | CPU s | peak RSS MiB | LIST req | requests | max in flight | state B/object | x lakesync | x sdk-limit | x rtt 0 | correct |",
		"| lakesync | 6.00 | 6.00-6.00 | 167 | - | 333 | 0.00 | 0.0 | 2 | 3 | 2 | 290 | 1.00 | - | 6.00 | yes |",
		"| s5cmd | 12.00 | 12.00-12.00 | 83.3 | - | 167 | 0.00 | 0.0 | 2 | 2 | 2 | - | 2.00 | - | 6.00 | yes |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks\n%s\nin\n%s", want, md)
		}
	}
}

func TestTargetsAtDistance(t *testing.T) {
	rep := report{Scenarios: map[string]map[string]toolResult{
		"small-cp": {"lakesync": {ObjectsPerS: 500, CopiedOK: true}},
		"small-cp@rtt=250ms": {
			"lakesync":       {ObjectsPerS: 300, CopiedOK: true},
			"s5cmd":          {ObjectsPerS: 900, CopiedOK: true}, // at lakesync's concurrency: not the reference
			"s5cmd-defaults": {ObjectsPerS: 280, CopiedOK: true},
		},
		"noop-sync-large@rtt=50ms": {
			"lakesync": {MedianS: 3, CopiedOK: true, RatioToRTT0: ptr(1.2)},
			"s5cmd":    {MedianS: 20, CopiedOK: true},
			"rclone":   {MedianS: 5, CopiedOK: false},
		},
	}}
	got := strings.Join(targets(rep, nil), "\n")
	for _, want := range []string{
		"- met: noop-sync-large at rtt 50ms <= 1.5x lakesync's own time at rtt 0: 1.20x",
		"- met: noop-sync-large at rtt 50ms <= 0.3x the fastest correct peer's: 3.00 s against 20.00 s (s5cmd) = 0.15x",
		"- met: small-cp at rtt 250ms objects/s >= 1.0x the best peer at its defaults: 300 / 280 (s5cmd-defaults) = 1.07x",
		"- **NOT met**: small-cp at rtt 250ms objects/s >= 0.8x lakesync's own at rtt 0: 300 / 500 = 0.60x",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("targets lack %q:\n%s", want, got)
		}
	}
}
