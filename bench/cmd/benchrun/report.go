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
	Notes            []string `json:"notes,omitempty"`
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
		stream := info.Buffer > 0
		w.WriteString("| tool | median s | min-max s | objects/s | MB/s | CPU s | peak RSS MiB |")
		if stream {
			w.WriteString(" RSS / (part x parallel) |")
		}
		w.WriteString(" x lakesync | x sdk-limit | correct |\n|---|---:|---:|---:|---:|---:|---:|")
		if stream {
			w.WriteString("---:|")
		}
		w.WriteString("---:|---:|---|\n")
		var notes []string
		for _, t := range knownTools {
			r, ok := res[t]
			if !ok {
				if _, skipped := b.skipped[t]; skipped {
					fmt.Fprintf(&w, "| %s | skipped | | | | | |", t)
					if stream {
						w.WriteString(" |")
					}
					w.WriteString(" | | |\n")
				}
				continue
			}
			med, spread := "failed", ""
			if r.Runs > r.FailedRuns {
				med = fmt.Sprintf("%.2f", r.MedianS)
				spread = fmt.Sprintf("%.2f-%.2f", r.MinS, r.MaxS)
			}
			fmt.Fprintf(&w, "| %s | %s | %s | %s | %s | %.2f | %.1f |", t, med, spread,
				num(r.ObjectsPerS), num(r.MBPerS), r.CPUS, float64(r.MaxRSSKiB)/1024)
			if stream {
				fmt.Fprintf(&w, " %s |", optNum(r.RSSPerPartBuffer))
			}
			correct := "yes"
			if !r.CopiedOK {
				correct = "**no**"
				if r.FailedRuns > 0 {
					correct = fmt.Sprintf("**no** (%d of %d runs failed)", r.FailedRuns, r.Runs)
				}
			}
			fmt.Fprintf(&w, " %s | %s | %s |\n", optNum(r.RatioToLakesync), optNum(r.RatioToSDKLimit), correct)
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

// targets checks the targets against the report, one line each;
// a target whose tools were not all run is left out.
func targets(rep report, info map[string]*scenarioInfo) []string {
	var lines []string
	add := func(ok bool, format string, args ...any) {
		mark := "met"
		if !ok {
			mark = "**NOT met**"
		}
		lines = append(lines, fmt.Sprintf("- %s: ", mark)+fmt.Sprintf(format, args...))
	}
	// best returns the correct peer with the largest (or smallest) f.
	best := func(res map[string]toolResult, f func(toolResult) float64, largest bool) (string, float64) {
		name, v := "", 0.0
		for _, p := range peers {
			r, ok := res[p]
			if !ok || !r.CopiedOK || f(r) <= 0 {
				continue
			}
			if x := f(r); name == "" || largest && x > v || !largest && x < v {
				name, v = p, x
			}
		}
		return name, v
	}
	if res, ok := rep.Scenarios["small-cp"]; ok {
		if l, ok := res[toolLakesync]; ok && l.ObjectsPerS > 0 {
			if p, v := best(res, func(r toolResult) float64 { return r.ObjectsPerS }, true); p != "" {
				add(l.ObjectsPerS >= 1.25*v, "small-cp objects/s >= 1.25x the fastest peer: %.0f / %.0f (%s) = %.2fx", l.ObjectsPerS, v, p, l.ObjectsPerS/v)
			}
			if sdk, ok := res[toolSDKLimit]; ok && sdk.ObjectsPerS > 0 {
				add(l.ObjectsPerS >= 0.9*sdk.ObjectsPerS, "small-cp objects/s >= 0.9x sdk-limit: %.0f / %.0f = %.2fx", l.ObjectsPerS, sdk.ObjectsPerS, l.ObjectsPerS/sdk.ObjectsPerS)
			}
			if p, v := best(res, func(r toolResult) float64 { return r.CPUSPer1000 }, false); p != "" && l.CPUSPer1000 > 0 {
				add(l.CPUSPer1000 <= v, "small-cp CPU per 1,000 objects <= the best peer's: %.3f s against %.3f s (%s)", l.CPUSPer1000, v, p)
			}
		}
	}
	for _, sc := range []string{"noop-sync", "delta-sync"} {
		res, ok := rep.Scenarios[sc]
		if !ok {
			continue
		}
		if l, ok := res[toolLakesync]; ok && l.MedianS > 0 {
			if p, v := best(res, func(r toolResult) float64 { return r.MedianS }, false); p != "" {
				add(l.CopiedOK && l.MedianS <= v, "%s wall time <= the fastest correct peer's: %.2f s against %.2f s (%s), lakesync correct: %t", sc, l.MedianS, v, p, l.CopiedOK)
			}
		}
	}
	if res, ok := rep.Scenarios["large-copy"]; ok {
		l, lok := res[toolLakesync]
		sdk, sok := res[toolSDKLimit]
		if lok && sok && l.MBPerS > 0 && sdk.MBPerS > 0 {
			add(l.MBPerS >= 0.9*sdk.MBPerS, "large-copy throughput >= 0.9x sdk-limit: %.0f / %.0f MB/s = %.2fx", l.MBPerS, sdk.MBPerS, l.MBPerS/sdk.MBPerS)
		}
	}
	if res, ok := rep.Scenarios["stream-large"]; ok && info["stream-large"] != nil {
		if l, ok := res[toolLakesync]; ok && l.MaxRSSKiB > 0 {
			limit := info["stream-large"].Buffer + 64<<20
			add(l.MaxRSSKiB*1024 <= limit, "stream-large peak RSS <= part size x parallel parts + 64 MiB: %s <= %s", humanBytes(l.MaxRSSKiB*1024), humanBytes(limit))
		}
	}
	return lines
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
