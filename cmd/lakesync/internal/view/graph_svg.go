package view

import (
	"fmt"
	"html"
	"io"
	"math"
	"strings"
)

// The geometry of the SVG access picture, in pixels.
const (
	svgMargin    = 16
	svgColumn    = 300 // an account's box
	svgGap       = 170 // between two boxes: room for the edges and their numbers
	svgNodeW     = 268
	svgNodeH     = 40
	svgNodeGap   = 26
	svgHeader    = 34 // the account's title
	svgLegendRow = 20
	svgCharW     = 7.0 // about the mean width of a 12px sans-serif character
)

// svgMarks are the colour and dash of an edge by its mark.
var svgMarks = map[string]struct{ color, dash string }{
	MarkNew:       {"#1a7f37", ""},
	MarkChanged:   {"#9a6700", ""},
	MarkUnchanged: {"#6e7781", ""},
	MarkRemoved:   {"#cf222e", "6 4"},
	MarkMissing:   {"#cf222e", "2 3"},
}

// svgNode is a node placed in the picture.
type svgNode struct {
	n    GraphNode
	x, y float64 // top left
	col  int
}

// WriteGraphSVG writes g as one self-contained SVG picture, for pages
// that draw it without a script (the UI, the run report): each account
// a box of its roles, buckets and keys, each edge an arrow coloured by
// its mark (new green, changed amber, unchanged grey, removed dashed red,
// missing dotted red) with a number, and under the boxes one legend line
// per number: the job, what the copier does, and the documents that
// grant it. Nodes whose account the plan does not say (a stream job's
// copier) stand in a column of their own, after the first account.
func WriteGraphSVG(w io.Writer, g *Graph) {
	if len(g.Edges) == 0 {
		return
	}
	cols := svgColumns(g)
	placed := map[string]*svgNode{}
	height := 0.0
	for c, col := range cols {
		x := float64(svgMargin + c*(svgColumn+svgGap))
		y := float64(svgMargin + svgHeader)
		for _, n := range col.nodes {
			placed[n.ID] = &svgNode{n: n, x: x + (svgColumn-svgNodeW)/2, y: y, col: c}
			y += svgNodeH + svgNodeGap
		}
		height = math.Max(height, y)
	}
	label := map[string]string{}
	for _, n := range g.Nodes {
		label[n.ID] = n.Label
	}
	legend := make([]string, len(g.Edges))
	width := float64(2*svgMargin + len(cols)*svgColumn + (len(cols)-1)*svgGap)
	for i, e := range g.Edges {
		legend[i] = fmt.Sprintf("%s: %s %s %s — %s", e.Job, shortLabel(label[e.From]), e.Verb, shortLabel(label[e.To]), svgGrants(e))
		width = math.Max(width, 2*svgMargin+28+svgCharW*float64(len([]rune(legend[i]))))
	}
	boxH := height - svgMargin
	total := height + 10 + float64(len(g.Edges))*svgLegendRow + svgMargin
	fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" class="access-picture" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="12">`+"\n",
		width, total, width, total)
	fmt.Fprintln(w, `<defs>`)
	for _, m := range []string{MarkNew, MarkChanged, MarkUnchanged, MarkRemoved, MarkMissing} {
		fmt.Fprintf(w, `<marker id="arrow-%s" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="%s"/></marker>`+"\n", m, svgMarks[m].color)
	}
	fmt.Fprintln(w, `</defs>`)
	for c, col := range cols {
		x := float64(svgMargin + c*(svgColumn+svgGap))
		fmt.Fprintf(w, `<rect x="%.0f" y="%d" width="%d" height="%.0f" rx="8" fill="#f6f8fa" stroke="#d0d7de"/>`+"\n", x, svgMargin, svgColumn, boxH-svgMargin+svgNodeGap/2)
		fmt.Fprintf(w, `<text x="%.0f" y="%d" font-weight="600" fill="#24292f">%s</text>`+"\n", x+12, svgMargin+22, svgText(col.title, svgColumn-24))
		for _, n := range col.nodes {
			writeSVGNode(w, placed[n.ID])
		}
	}
	writeSVGEdges(w, g.Edges, placed)
	y := height + 10
	for i, line := range legend {
		e := g.Edges[i]
		fmt.Fprintf(w, `<circle cx="%d" cy="%.0f" r="8" fill="%s"/><text x="%d" y="%.0f" text-anchor="middle" font-size="10" fill="#fff" font-weight="600">%d</text>`+"\n",
			svgMargin+8, y+svgLegendRow/2, svgMarks[e.Mark].color, svgMargin+8, y+svgLegendRow/2+3.5, i+1)
		fmt.Fprintf(w, `<text x="%d" y="%.0f" fill="#24292f">%s</text>`+"\n", svgMargin+24, y+svgLegendRow/2+4, html.EscapeString(line))
		y += svgLegendRow
	}
	fmt.Fprintln(w, `</svg>`)
}

// svgColumnNodes is one column of the picture: an account and its nodes.
type svgColumnNodes struct {
	title string
	nodes []GraphNode
}

// svgColumns are the accounts in order, each with its roles, then its
// buckets, then its keys; the nodes of no account in a column of their
// own after the first.
func svgColumns(g *Graph) []svgColumnNodes {
	byKind := func(acct string) []GraphNode {
		var out []GraphNode
		for _, kind := range []string{"role", "bucket", "key"} {
			for _, n := range g.Nodes {
				if n.Account == acct && string(n.Kind) == kind {
					out = append(out, n)
				}
			}
		}
		return out
	}
	var cols []svgColumnNodes
	for _, a := range g.Accounts {
		cols = append(cols, svgColumnNodes{title: accountLabel(a), nodes: byKind(a.ID)})
	}
	if none := byKind(""); len(none) > 0 {
		at := min(1, len(cols))
		cols = append(cols[:at], append([]svgColumnNodes{{title: "no role: each side's own credentials", nodes: none}}, cols[at:]...)...)
	}
	return cols
}

func writeSVGNode(w io.Writer, p *svgNode) {
	kind, name := string(p.n.Kind), p.n.Label
	if rest, ok := strings.CutPrefix(name, kind+" "); ok {
		name = rest
	} else {
		kind = "own credentials" // a stream job's copier: no role
	}
	fill, rx := "#ffffff", 4
	switch kind {
	case "role":
		fill, rx = "#ddf4ff", svgNodeH/2
	case "key":
		fill = "#fff8c5"
	}
	fmt.Fprintf(w, `<g><title>%s</title><rect x="%.0f" y="%.0f" width="%d" height="%d" rx="%d" fill="%s" stroke="#8c959f"/>`,
		html.EscapeString(p.n.Label), p.x, p.y, svgNodeW, svgNodeH, rx, fill)
	fmt.Fprintf(w, `<text x="%.0f" y="%.0f" font-size="10" fill="#57606a">%s</text>`, p.x+14, p.y+15, html.EscapeString(strings.ToUpper(kind)))
	fmt.Fprintf(w, `<text x="%.0f" y="%.0f" fill="#24292f">%s</text></g>`+"\n", p.x+14, p.y+31, svgText(shortName(name), svgNodeW-28))
}

// shortLabel is a node's label with a key ARN shortened as shortName does.
func shortLabel(l string) string {
	kind, name, _ := strings.Cut(l, " ")
	return kind + " " + shortName(name)
}

// svgGrants is "bucket policy of lake (new), role policy of copier (new)".
func svgGrants(e GraphEdge) string {
	docs := make([]string, len(e.Grants))
	for i, g := range e.Grants {
		docs[i] = g.Document + " (" + g.Mark + ")"
	}
	return strings.Join(docs, ", ")
}

// shortName is a key ARN's key ID, other names as they are.
func shortName(name string) string {
	if i := strings.LastIndex(name, ":key/"); i >= 0 && strings.HasPrefix(name, "arn:") {
		return "key/" + name[i+len(":key/"):]
	}
	return name
}

// svgText is s escaped, cut with an ellipsis to what fits in width.
func svgText(s string, width int) string {
	r := []rune(s)
	if fit := int(float64(width) / svgCharW); len(r) > fit {
		r = append(r[:fit-1], '…')
	}
	return html.EscapeString(string(r))
}

// svgArrow is one drawn arrow: the edges of one pair of nodes with one
// mark, numbered as in the legend.
type svgArrow struct {
	from, to string
	mark     string
	numbers  []string
}

// svgArrows groups edges by their pair of nodes and their mark, in the
// order the edges come: three jobs writing one bucket are one arrow
// numbered "2 5 8".
func svgArrows(edges []GraphEdge) []*svgArrow {
	var out []*svgArrow
	at := map[[3]string]*svgArrow{}
	for i, e := range edges {
		k := [3]string{e.From, e.To, e.Mark}
		a := at[k]
		if a == nil {
			a = &svgArrow{from: e.From, to: e.To, mark: e.Mark}
			at[k] = a
			out = append(out, a)
		}
		a.numbers = append(a.numbers, fmt.Sprint(i+1))
	}
	return out
}

// writeSVGEdges draws each arrow as a curve from the side of its From
// node that faces its To node (the right side when both are in one
// column), arrows of one pair spread apart, each with its numbers at its
// middle.
func writeSVGEdges(w io.Writer, edges []GraphEdge, placed map[string]*svgNode) {
	arrows := svgArrows(edges)
	pairs := map[[2]string]int{}
	for _, a := range arrows {
		pairs[[2]string{a.from, a.to}]++
	}
	seen := map[[2]string]int{}
	for _, a := range arrows {
		from, to := placed[a.from], placed[a.to]
		if from == nil || to == nil {
			continue
		}
		pair := [2]string{a.from, a.to}
		k, n := seen[pair], pairs[pair]
		seen[pair]++
		spread := (float64(k) - float64(n-1)/2) * 10
		x0, y0 := from.x+svgNodeW, from.y+svgNodeH/2+spread
		x1, y1 := to.x, to.y+svgNodeH/2+spread
		var c0x, c1x float64
		switch {
		case to.col == from.col: // a loop out on the right
			x1 = to.x + svgNodeW
			c0x, c1x = x0+60, x1+60
		case to.col < from.col:
			x0 = from.x
			x1 = to.x + svgNodeW
			c0x, c1x = x0-80, x1+80
		default:
			c0x, c1x = x0+80, x1-80
		}
		m := svgMarks[a.mark]
		dash := ""
		if m.dash != "" {
			dash = ` stroke-dasharray="` + m.dash + `"`
		}
		fmt.Fprintf(w, `<path d="M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f" fill="none" stroke="%s" stroke-width="2"%s marker-end="url(#arrow-%s)"/>`+"\n",
			x0, y0, c0x, y0, c1x, y1, x1, y1, m.color, dash, a.mark)
		// The curve's middle (t = 1/2 of the cubic Bézier).
		mx := (x0 + 3*c0x + 3*c1x + x1) / 8
		my := (y0 + 3*y0 + 3*y1 + y1) / 8
		text := strings.Join(a.numbers, " ")
		pw := 12 + 6.2*float64(len(text))
		fmt.Fprintf(w, `<rect x="%.1f" y="%.1f" width="%.1f" height="18" rx="9" fill="#fff" stroke="%s" stroke-width="2"/><text x="%.1f" y="%.1f" text-anchor="middle" font-size="10" font-weight="600" fill="%s">%s</text>`+"\n",
			mx-pw/2, my-9, pw, m.color, mx, my+3.5, m.color, text)
	}
}
