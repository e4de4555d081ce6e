package main

import (
	"sort"
	"time"
)

// sample is one measured run of one tool in one scenario.
type sample struct {
	Wall      time.Duration
	CPU       time.Duration // user + sys of the tool process(es)
	MaxRSSKiB int64         // peak resident set size (KiB); summed over a pipeline
	Exited    bool          // every process of the run exited 0
	OK        bool          // the run exited 0 and its result verified
	Note      string        // verification remark or error tail
	// From the delay proxy: LIST requests, all requests, and the most
	// requests in flight at once during the run.
	ListRequests, Requests, MaxInFlight int64
	StateBytes                          int64 // lakesync: bytes of its state directory after the run
}

// summary is what the report shows for one tool in one scenario.
type summary struct {
	Runs       int
	FailedRuns int
	MedianS    float64
	MinS       float64
	MaxS       float64
	CPUS       float64 // median over successful runs
	MaxRSSKiB  int64   // maximum over successful runs
	CopiedOK   bool    // every run exited 0 and verified
	Notes      []string
	// Medians over the runs that exited 0, and the maximum in flight.
	ListRequests, Requests float64
	MaxInFlight            int64
	StateBytes             float64
}

// median returns the median of xs (mean of the two middle values for an even
// count) and 0 for an empty slice. xs is not modified.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// summarize reduces samples to a summary. Failed runs count in Runs and
// FailedRuns; timings come from the runs that exited 0, so that a tool that
// copied wrongly still shows its speed next to a "no" in the correctness
// column.
func summarize(samples []sample) summary {
	var s summary
	s.Runs = len(samples)
	s.CopiedOK = len(samples) > 0
	var walls, cpus, lists, reqs, states []float64
	seen := map[string]bool{}
	for _, x := range samples {
		if !x.OK {
			s.CopiedOK = false
		}
		if x.Note != "" && !seen[x.Note] {
			seen[x.Note] = true
			s.Notes = append(s.Notes, x.Note)
		}
		if !x.Exited {
			s.FailedRuns++
			continue
		}
		walls = append(walls, x.Wall.Seconds())
		cpus = append(cpus, x.CPU.Seconds())
		lists = append(lists, float64(x.ListRequests))
		reqs = append(reqs, float64(x.Requests))
		states = append(states, float64(x.StateBytes))
		s.MaxInFlight = max(s.MaxInFlight, x.MaxInFlight)
		if x.MaxRSSKiB > s.MaxRSSKiB {
			s.MaxRSSKiB = x.MaxRSSKiB
		}
	}
	if len(walls) > 0 {
		s.MedianS = median(walls)
		s.CPUS = median(cpus)
		s.ListRequests, s.Requests, s.StateBytes = median(lists), median(reqs), median(states)
		s.MinS, s.MaxS = walls[0], walls[0]
		for _, w := range walls {
			if w < s.MinS {
				s.MinS = w
			}
			if w > s.MaxS {
				s.MaxS = w
			}
		}
	}
	return s
}

// ratio returns a/b, or 0 when either is not a positive time.
func ratio(a, b float64) float64 {
	if a <= 0 || b <= 0 {
		return 0
	}
	return a / b
}

// rotate returns tools in the order for run r: the list shifted by r, so that
// every tool takes every position (cache warmth, server state) equally often.
func rotate(tools []string, r int) []string {
	n := len(tools)
	if n == 0 {
		return nil
	}
	out := make([]string, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, tools[(i+r)%n])
	}
	return out
}
