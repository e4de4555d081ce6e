package main

import (
	"fmt"
	"strings"
)

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
	// At a distance (issues 13 and 14).
	if res, ok := rep.Scenarios["noop-sync-large@rtt=50ms"]; ok {
		if l, ok := res[toolLakesync]; ok && l.MedianS > 0 {
			if l.RatioToRTT0 != nil {
				add(l.CopiedOK && *l.RatioToRTT0 <= 1.5, "noop-sync-large at rtt 50ms <= 1.5x lakesync's own time at rtt 0: %.2fx", *l.RatioToRTT0)
			}
			if p, v := best(res, func(r toolResult) float64 { return r.MedianS }, false); p != "" {
				add(l.CopiedOK && l.MedianS <= 0.3*v, "noop-sync-large at rtt 50ms <= 0.3x the fastest correct peer's: %.2f s against %.2f s (%s) = %.2fx", l.MedianS, v, p, l.MedianS/v)
			}
		}
	}
	if res, ok := rep.Scenarios["small-cp@rtt=250ms"]; ok {
		if l, ok := res[toolLakesync]; ok && l.ObjectsPerS > 0 {
			name, v := "", 0.0
			for _, p := range peers {
				if r, ok := res[p]; ok && strings.HasSuffix(p, defaultsSuffix) && r.CopiedOK && r.ObjectsPerS > v {
					name, v = p, r.ObjectsPerS
				}
			}
			if name != "" {
				add(l.ObjectsPerS >= v, "small-cp at rtt 250ms objects/s >= 1.0x the best peer at its defaults: %.0f / %.0f (%s) = %.2fx", l.ObjectsPerS, v, name, l.ObjectsPerS/v)
			}
			if l0, ok := rep.Scenarios["small-cp"][toolLakesync]; ok && l0.ObjectsPerS > 0 {
				add(l.ObjectsPerS >= 0.8*l0.ObjectsPerS, "small-cp at rtt 250ms objects/s >= 0.8x lakesync's own at rtt 0: %.0f / %.0f = %.2fx", l.ObjectsPerS, l0.ObjectsPerS, l.ObjectsPerS/l0.ObjectsPerS)
			}
		}
	}
	return lines
}
