package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// toolResult is one tool's entry in latest.json.
type toolResult struct {
	MedianS          float64  `json:"median_s"`
	ObjectsPerS      float64  `json:"objects_per_s"`
	CPUS             float64  `json:"cpu_s"`
	CPUSPer1000      float64  `json:"cpu_s_per_1000_objects,omitempty"`
	MaxRSSKiB        int64    `json:"max_rss_kib"`
	MBPerS           float64  `json:"mb_per_s"`
	MinS             float64  `json:"min_s"`
	MaxS             float64  `json:"max_s"`
	Runs             int      `json:"runs"`
	FailedRuns       int      `json:"failed_runs"`
	CopiedOK         bool     `json:"copied_ok"`
	RatioToLakesync  *float64 `json:"ratio_to_lakesync,omitempty"`
	RatioToSDKLimit  *float64 `json:"ratio_to_sdk_limit,omitempty"`
	RSSPerPartBuffer *float64 `json:"rss_per_part_buffer,omitempty"`
	// From the delay proxy (medians over the runs; the most in flight).
	ListRequests float64 `json:"list_requests"`
	Requests     float64 `json:"requests"`
	MaxInFlight  int64   `json:"max_in_flight"`
	// Syncs: source and destination keys listed per second of median time;
	// lakesync: bytes of its state per source object.
	KeysListedPerS      float64 `json:"keys_listed_per_s,omitempty"`
	StateBytesPerObject float64 `json:"state_bytes_per_object,omitempty"`
	// RTTMs is the delay proxy's delay; RatioToRTT0 the median time
	// divided by the same tool's in the same scenario at rtt 0.
	RTTMs       float64  `json:"rtt_ms"`
	RatioToRTT0 *float64 `json:"ratio_to_rtt0,omitempty"`
	Notes       []string `json:"notes,omitempty"`
}

type report struct {
	Scenarios map[string]map[string]toolResult `json:"scenarios"`
}

func round(x float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(x*p) / p
}

func ptr(x float64) *float64 { return &x }

// buildReport turns the samples into the JSON report.
func (b *bench) buildReport() report {
	rep := report{Scenarios: map[string]map[string]toolResult{}}
	for _, name := range b.order {
		info := b.info[name]
		sums := map[string]summary{}
		for t, ss := range b.results[name] {
			sums[t] = summarize(ss)
		}
		out := map[string]toolResult{}
		for t, s := range sums {
			r := toolResult{
				MedianS: round(s.MedianS, 3), CPUS: round(s.CPUS, 3), MaxRSSKiB: s.MaxRSSKiB,
				MinS: round(s.MinS, 3), MaxS: round(s.MaxS, 3), Runs: s.Runs, FailedRuns: s.FailedRuns,
				CopiedOK: s.CopiedOK, Notes: s.Notes,
				ListRequests: s.ListRequests, Requests: s.Requests, MaxInFlight: s.MaxInFlight,
				RTTMs: round(float64(info.RTT)/float64(time.Millisecond), 3),
			}
			if s.StateBytes > 0 && info.Objects > 0 {
				r.StateBytesPerObject = round(s.StateBytes/float64(info.Objects), 1)
			}
			// A copy that did not verify (e.g. exited 0 without copying) has
			// no meaningful throughput; a sync that chose wrongly still did
			// the work it thought necessary, so its speed is kept.
			meaningful := s.CopiedOK || info.Sync
			if info.Objects >= 1000 && s.CPUS > 0 {
				r.CPUSPer1000 = round(s.CPUS*1000/float64(info.Objects), 3)
			}
			if s.MedianS > 0 && meaningful {
				r.ObjectsPerS = round(float64(info.Objects)/s.MedianS, 1)
				r.MBPerS = round(float64(info.Bytes)/1e6/s.MedianS, 1)
				if info.KeysListed > 0 {
					r.KeysListedPerS = round(float64(info.KeysListed)/s.MedianS, 0)
				}
			}
			// Ratios only against a reference whose every run copied correctly.
			if l, ok := sums[toolLakesync]; ok && l.CopiedOK && meaningful {
				if x := ratio(s.MedianS, l.MedianS); x > 0 {
					r.RatioToLakesync = ptr(round(x, 2))
				}
			}
			if l, ok := sums[toolSDKLimit]; ok && l.CopiedOK && meaningful {
				if x := ratio(s.MedianS, l.MedianS); x > 0 {
					r.RatioToSDKLimit = ptr(round(x, 2))
				}
			}
			if info.Buffer > 0 && s.MaxRSSKiB > 0 {
				r.RSSPerPartBuffer = ptr(round(float64(s.MaxRSSKiB)*1024/float64(info.Buffer), 2))
			}
			out[t] = r
		}
		rep.Scenarios[name] = out
	}
	// Each tool at rtt D against itself at rtt 0, in the same scenario.
	for _, name := range b.order {
		info := b.info[name]
		base, ok := rep.Scenarios[info.Base]
		if info.RTT == 0 || !ok {
			continue
		}
		for t, r := range rep.Scenarios[name] {
			if r0, ok := base[t]; ok && (r0.CopiedOK || info.Sync) && r.Runs > r.FailedRuns {
				if x := ratio(r.MedianS, r0.MedianS); x > 0 {
					r.RatioToRTT0 = ptr(round(x, 2))
					rep.Scenarios[name][t] = r
				}
			}
		}
	}
	return rep
}

// writeReports writes latest.{md,json} into the results directory, or
// partial.{md,json} into partialDir when that is set.
func (b *bench) writeReports(partialDir string) error {
	dir, name := b.e.opts.out, "latest"
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(b.e.opts.root, dir)
	}
	if partialDir != "" {
		dir, name = partialDir, "partial"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	rep := b.buildReport()
	js, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, name+".json"), append(js, '\n'), 0o644); err != nil {
		return err
	}
	md := b.markdown(rep)
	if err := os.WriteFile(filepath.Join(dir, name+".md"), []byte(md), 0o644); err != nil {
		return err
	}
	logf("wrote %s and %s", filepath.Join(dir, name+".md"), filepath.Join(dir, name+".json"))
	return nil
}

// markdown renders the report for a person: one table per scenario.
func (b *bench) markdown(rep report) string {
	o := b.e.opts
	var w strings.Builder
	mode := "full"
	if o.quick {
		mode = "quick"
	}
	fmt.Fprintf(&w, "# lakesync benchmark (%s)\n\n", mode)
	if b.meta.incomplete != "" {
		fmt.Fprintf(&w, "**INCOMPLETE RUN** (%s): only what was measured before it stopped.\n\n", b.meta.incomplete)
	}
	fmt.Fprintf(&w, "Run %s on %s/%s, %d CPUs, %s; total %s. MinIO `%s` on loopback, same machine.\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(),
		strings.Join(b.meta.versions, ", "), b.meta.elapsed.Round(time.Second), b.meta.minio)
	if len(b.meta.loadavg) == 2 {
		fmt.Fprintf(&w, "Load average (1/5/15 min) at start %s, at end %s: with %d CPUs, anything well above the harness's own load (about 2) means other work competed and times are inflated.\n\n",
			b.meta.loadavg[0], b.meta.loadavg[1], runtime.NumCPU())
	}
	fmt.Fprintf(&w, "Settings: %d runs per tool, tools alternating; concurrency %d for many objects; "+
		"part size %s with %d parts in parallel for the large object; destinations SSE-KMS (default bucket encryption and each tool's own SSE-KMS flags). %s\n\n",
		o.runs, o.conc, humanBytes(o.partSize), o.partConc, b.meta.kmsNote)
	rtts := make([]string, len(o.rtts))
	for i, d := range o.rtts {
		rtts[i] = d.String()
	}
	fmt.Fprintf(&w, "Distance: every tool reaches MinIO through a delay proxy that holds each request for the rtt before forwarding it (rtt %s; "+
		"a scenario at rtt D > 0 is reported as NAME@rtt=D, with \"x rtt 0\": the tool's median time divided by its own at rtt 0). "+
		"The proxy counts each tool's requests: LIST is ListObjects, requests are all of them, max in flight the most at once. "+
		"Peers run twice: NAME at lakesync's concurrency (%d requests, %d parts), NAME-defaults at the tool's own "+
		"(s5cmd 256 workers, 5 parts; rclone 4 transfers, 8 checkers, 4 parts; aws cli 10 requests); part size and multipart threshold are the same for all.\n\n",
		strings.Join(rtts, ", "), o.conc, o.partConc)
	if b.meta.largeSet != "" {
		fmt.Fprintf(&w, "%s State B/object: lakesync's state directory after the run divided by the source objects.\n\n", b.meta.largeSet)
	}
	if len(b.skipped) > 0 {
		for _, t := range knownTools {
			if why, ok := b.skipped[t]; ok {
				fmt.Fprintf(&w, "**%s skipped:** %s\n\n", t, why)
			}
		}
	}
	fmt.Fprintf(&w, "Times are wall-clock seconds (median, then min-max). CPU is user+sys of the tool's processes (median); "+
		"RSS is the peak resident memory over the runs (measured through a launcher of %.1f MiB, the floor per process). \"x lakesync\" and \"x sdk-limit\" are the tool's median time divided by theirs "+
		"(above 1 = slower). sdk-limit is a bare aws-sdk-go-v2 loop: the backend's limit on this machine. See bench/README.md.\n\n", float64(b.meta.rssFloor)/1024)
	for _, name := range b.order {
		info := b.info[name]
		res := rep.Scenarios[name]
		fmt.Fprintf(&w, "## %s\n\n%s.", name, info.Title)
		if info.Note != "" {
			fmt.Fprintf(&w, " %s.", info.Note)
		}
		w.WriteString("\n\n")
		stream, distant := info.Buffer > 0, info.RTT > 0
		w.WriteString("| tool | median s | min-max s | objects/s | MB/s |")
		if info.Sync {
			w.WriteString(" keys listed/s |")
		}
		w.WriteString(" CPU s | peak RSS MiB |")
		if stream {
			w.WriteString(" RSS / (part x parallel) |")
		}
		w.WriteString(" LIST req | requests | max in flight |")
		if info.Sync {
			w.WriteString(" state B/object |")
		}
		w.WriteString(" x lakesync | x sdk-limit |")
		if distant {
			w.WriteString(" x rtt 0 |")
		}
		w.WriteString(" correct |\n|---|---:|---:|---:|---:|")
		extra := 5 + b2i(stream) + 2*b2i(info.Sync) + b2i(distant)
		w.WriteString(strings.Repeat("---:|", 1+extra) + "---:|---|\n")
		var notes []string
		for _, t := range knownTools {
			r, ok := res[t]
			if !ok {
				if _, skipped := b.skipped[t]; skipped {
					fmt.Fprintf(&w, "| %s | skipped |%s\n", t, strings.Repeat(" |", 11+2*b2i(info.Sync)+b2i(stream)+b2i(distant)))
				}
				continue
			}
			med, spread := "failed", ""
			if r.Runs > r.FailedRuns {
				med = fmt.Sprintf("%.2f", r.MedianS)
				spread = fmt.Sprintf("%.2f-%.2f", r.MinS, r.MaxS)
			}
			fmt.Fprintf(&w, "| %s | %s | %s | %s | %s |", t, med, spread, num(r.ObjectsPerS), num(r.MBPerS))
			if info.Sync {
				fmt.Fprintf(&w, " %s |", num(r.KeysListedPerS))
			}
			fmt.Fprintf(&w, " %.2f | %.1f |", r.CPUS, float64(r.MaxRSSKiB)/1024)
			if stream {
				fmt.Fprintf(&w, " %s |", optNum(r.RSSPerPartBuffer))
			}
			fmt.Fprintf(&w, " %.0f | %.0f | %d |", r.ListRequests, r.Requests, r.MaxInFlight)
			if info.Sync {
				fmt.Fprintf(&w, " %s |", num(r.StateBytesPerObject))
			}
			correct := "yes"
			if !r.CopiedOK {
				correct = "**no**"
				if r.FailedRuns > 0 {
					correct = fmt.Sprintf("**no** (%d of %d runs failed)", r.FailedRuns, r.Runs)
				}
			}
			fmt.Fprintf(&w, " %s | %s |", optNum(r.RatioToLakesync), optNum(r.RatioToSDKLimit))
			if distant {
				fmt.Fprintf(&w, " %s |", optNum(r.RatioToRTT0))
			}
			fmt.Fprintf(&w, " %s |\n", correct)
			for _, n := range r.Notes {
				notes = append(notes, fmt.Sprintf("- %s: %s", t, n))
			}
		}
		if stream {
			fmt.Fprintf(&w, "\npart x parallel = %s x %d = %s: the buffer a streaming copy needs at that parallelism. "+
				"Pipelines (s5cmd cat | s5cmd pipe, aws s3 cp - | aws s3 cp -) count both processes.\n",
				humanBytes(o.partSize), o.partConc, humanBytes(info.Buffer))
		}
		if len(notes) > 0 {
			w.WriteString("\n" + strings.Join(notes, "\n") + "\n")
		}
		w.WriteString("\n")
	}
	if lines := targets(rep, b.info); len(lines) > 0 {
		fmt.Fprintf(&w, "## Targets\n\nThe targets of the performance issue, computed from the medians above "+
			"(peers: %s; a peer whose copy was incorrect is left out).\n\n", strings.Join(peers, ", "))
		w.WriteString(strings.Join(lines, "\n") + "\n")
	}
	return w.String()
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func num(x float64) string {
	if x == 0 {
		return "-"
	}
	if x >= 100 {
		return fmt.Sprintf("%.0f", x)
	}
	return fmt.Sprintf("%.1f", x)
}

func optNum(p *float64) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprintf("%.2f", *p)
}
