package report

import (
	"fmt"
	"html/template"
	"math"
	"strings"
)

// point is one value of a series at a time, in seconds since the copy
// began.
type point struct{ X, Y float64 }

const (
	chartW, chartH = 640.0, 180.0
	padL, padB     = 56.0, 24.0
	padT, padR     = 8.0, 8.0
)

// lineChart draws the series as an SVG line with its axes, labelled with
// the largest value and the last time. Text is escaped; numbers are
// formatted, so the result is safe HTML.
func lineChart(label string, pts []point) template.HTML {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %g %g" width="%g" height="%g" role="img" aria-label="%s">`, chartW, chartH, chartW, chartH, template.HTMLEscapeString(label))
	maxX, maxY := 0.0, 0.0
	for _, p := range pts {
		maxX, maxY = math.Max(maxX, p.X), math.Max(maxY, p.Y)
	}
	if maxX == 0 {
		maxX = 1
	}
	if maxY == 0 {
		maxY = 1
	}
	x := func(v float64) float64 { return round1(padL + v/maxX*(chartW-padL-padR)) }
	y := func(v float64) float64 { return round1(chartH - padB - v/maxY*(chartH-padB-padT)) }
	fmt.Fprintf(&b, `<path class="axis" d="M%g %gV%gH%g"/>`, padL, padT, chartH-padB, chartW-padR)
	fmt.Fprintf(&b, `<text x="%g" y="%g" text-anchor="end">%s</text>`, padL-4, padT+10, fmtNum(maxY))
	fmt.Fprintf(&b, `<text x="%g" y="%g" text-anchor="end">0</text>`, padL-4, chartH-padB)
	fmt.Fprintf(&b, `<text x="%g" y="%g" text-anchor="end">%ss</text>`, chartW-padR, chartH-6, fmtNum(maxX))
	fmt.Fprintf(&b, `<text x="%g" y="%g">%s</text>`, padL+4, padT+10, template.HTMLEscapeString(label))
	if len(pts) > 0 {
		var d strings.Builder
		for i, p := range pts {
			cmd := "L"
			if i == 0 {
				cmd = "M"
			}
			fmt.Fprintf(&d, "%s%g %g", cmd, x(p.X), y(p.Y))
		}
		fmt.Fprintf(&b, `<path class="line" d="%s"/>`, d.String())
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) //nolint:gosec // numbers and escaped text only
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

// fmtNum is a number for a label: at most three significant decimals.
func fmtNum(v float64) string {
	if v >= 100 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.3g", v)
}
