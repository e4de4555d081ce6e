package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/lakesync/lakesync/internal/config"
)

// TestApplyJSONReportsConcurrency: apply --json of examples/stream (at
// concurrency "auto", with --bandwidth) ends with a summary carrying
// concurrency_max and concurrency_avg, measured by the run.
func TestApplyJSONReportsConcurrency(t *testing.T) {
	_, _, cfg := streamWorld(t, 20)
	code, out, errs := runCLI(t, "", "apply", "-c", cfg, "--auto-approve", "--json", "--bandwidth", "1GiB/s")
	if code != 0 {
		t.Fatalf("apply --json --bandwidth: exit %d\n%s%s", code, out, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var sum map[string]any
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &sum); err != nil || sum["type"] != "summary" {
		t.Fatalf("last line %q is not the summary (%v)", lines[len(lines)-1], err)
	}
	t.Logf("summary: %s", lines[len(lines)-1])
	most, _ := sum["concurrency_max"].(float64)
	avg, _ := sum["concurrency_avg"].(float64)
	if sum["copied"] != 20.0 || most < 1 || most > config.DefaultConcurrency || avg <= 0 || avg > most {
		t.Errorf("summary copied %v, concurrency_max %v, concurrency_avg %v; want 20 copied, a max of 1 to %d and an average above 0, at most the max",
			sum["copied"], sum["concurrency_max"], sum["concurrency_avg"], config.DefaultConcurrency)
	}
}

// TestBandwidthFlag: --bandwidth takes a size per second, with or without
// "/s", overriding the jobs' bandwidth; it is refused when it is no size,
// and when no job streams (server-side bytes never pass through).
func TestBandwidthFlag(t *testing.T) {
	stream := &config.Config{Jobs: []*config.Job{{Transfer: config.TransferServerSide}, {Transfer: config.TransferStream, Bandwidth: 1 << 20}}}
	serverSide := &config.Config{Jobs: []*config.Job{{Transfer: config.TransferServerSide}}}
	for _, tt := range []struct {
		flag string
		cfg  *config.Config
		want int64
		err  string
	}{
		{"", stream, 0, ""},
		{"200MiB", stream, 200 << 20, ""},
		{"1GB/s", stream, 1e9, ""},
		{"fast", stream, 0, `--bandwidth: "fast" is not a bandwidth`},
		{"200MiB", serverSide, 0, `no job of lakesync.hcl has transfer = "stream"`},
	} {
		opts := &applyOptions{globalOptions: &globalOptions{ConfigPath: "lakesync.hcl"}, Bandwidth: tt.flag}
		err := opts.useBandwidth(tt.cfg)
		if opts.bandwidth != tt.want || (err == nil) != (tt.err == "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("--bandwidth %q: %d, %v; want %d, error containing %q", tt.flag, opts.bandwidth, err, tt.want, tt.err)
		}
	}
}
