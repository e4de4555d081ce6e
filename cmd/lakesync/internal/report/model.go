package report

import (
	"cmp"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/view"
)

// page is what the template shows.
type page struct {
	Run *Run
	// PlanSVG and PlanText are the plan's access picture and its text,
	// when the stream holds the plan.
	PlanSVG    template.HTML
	PlanText   string
	Earlier    string // view.EarlierRun: the message of a step an earlier run did
	Jobs       []jobRow
	Timed      bool // the object events say when they ended ("elapsed")
	Throughput []chart
	InFlight   []chart
	Failures   []kindCount
	Slowest    []view.ObjectEventLine
	Failed     []view.ObjectEventLine
}

type chart struct {
	Title string
	SVG   template.HTML
}

// jobRow is one job's objects by what was done with them, from its
// object events.
type jobRow struct {
	Job     string
	Objects int
	Actions string // "new 3, changed 1"
	Failed  int
	Bytes   int64
}

type kindCount struct {
	Kind  string
	Count int
}

// slowest is how many of the slowest objects the report lists.
const slowest = 10

// maxBins is how many intervals the throughput chart has at most; with
// fewer objects, one interval per object.
const maxBins = 30

func newPage(run *Run) page {
	p := page{Run: run, Earlier: view.EarlierRun}
	if run.Plan != nil {
		var svg, text strings.Builder
		view.WriteGraphSVG(&svg, view.BuildGraph(run.Plan))
		view.WritePlanText(&text, run.Plan)
		// The SVG is the view's own markup, its text escaped there.
		p.PlanSVG, p.PlanText = template.HTML(svg.String()), text.String()
	}
	jobs := map[string]*jobRow{}
	actions := map[string]map[string]int{}
	kinds := map[string]int{}
	for _, o := range run.Objects {
		j := jobs[o.Job]
		if j == nil {
			j = &jobRow{Job: o.Job}
			jobs[o.Job] = j
			actions[o.Job] = map[string]int{}
			p.Jobs = append(p.Jobs, jobRow{Job: o.Job})
		}
		j.Objects++
		j.Bytes += o.Bytes
		actions[o.Job][o.Action]++
		if o.Error != "" {
			j.Failed++
			kinds[failureKind(o.Error)]++
			p.Failed = append(p.Failed, o)
		}
		if o.Elapsed > 0 {
			p.Timed = true
		}
	}
	for i := range p.Jobs {
		j := jobs[p.Jobs[i].Job]
		var parts []string
		for _, a := range sortedKeys(actions[j.Job]) {
			parts = append(parts, a+" "+strconv.Itoa(actions[j.Job][a]))
		}
		j.Actions = strings.Join(parts, ", ")
		p.Jobs[i] = *j
	}
	for _, k := range sortedKeys(kinds) {
		p.Failures = append(p.Failures, kindCount{k, kinds[k]})
	}
	p.Slowest = slices.Clone(run.Objects)
	slices.SortStableFunc(p.Slowest, func(a, b view.ObjectEventLine) int { return cmp.Compare(b.Seconds, a.Seconds) })
	p.Slowest = p.Slowest[:min(slowest, len(p.Slowest))]
	if p.Timed {
		objs, mb, inflight := series(run.Objects)
		p.Throughput = []chart{{"objects/s", lineChart("objects/s", objs)}, {"MB/s", lineChart("MB/s", mb)}}
		p.InFlight = []chart{{"requests in flight", lineChart("requests in flight", inflight)}}
	}
	return p
}

// series are the objects/s and MB/s over bins intervals of the copy, and
// the requests in flight as each object ended.
func series(objs []view.ObjectEventLine) (perSec, mbPerSec, inFlight []point) {
	end := 0.0
	for _, o := range objs {
		end = math.Max(end, o.Elapsed)
	}
	bins := max(1, min(maxBins, len(objs)))
	width := end / float64(bins)
	if width == 0 {
		width = 1
	}
	counts, bytes := make([]float64, bins), make([]float64, bins)
	for _, o := range objs {
		i := min(int(o.Elapsed/width), bins-1)
		counts[i]++
		bytes[i] += float64(o.Bytes)
	}
	for i := range bins {
		x := float64(i+1) * width
		perSec = append(perSec, point{x, counts[i] / width})
		mbPerSec = append(mbPerSec, point{x, bytes[i] / 1e6 / width})
	}
	sorted := slices.Clone(objs)
	slices.SortStableFunc(sorted, func(a, b view.ObjectEventLine) int { return cmp.Compare(a.Elapsed, b.Elapsed) })
	for _, o := range sorted {
		inFlight = append(inFlight, point{o.Elapsed, float64(o.InFlight)})
	}
	return perSec, mbPerSec, inFlight
}

// failureKind is the AWS error code of an error's text ("api error
// AccessDenied: ..."), else its text up to the first colon.
func failureKind(msg string) string {
	if _, after, ok := strings.Cut(msg, "api error "); ok {
		code, _, _ := strings.Cut(after, ":")
		return code
	}
	kind, _, _ := strings.Cut(msg, ":")
	return kind
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
