package view

import (
	"fmt"
	"io"
	"strings"
)

// writeMermaid writes g as a mermaid flowchart in a ```mermaid block,
// which GitHub and GitLab draw in a comment: each account a subgraph of
// its buckets, keys and roles, each edge labelled with the job, what the
// copier does, its mark and the documents that grant it. New grants are
// thick arrows, removed and missing ones dotted.
func writeMermaid(w io.Writer, g *Graph) {
	if len(g.Edges) == 0 {
		return
	}
	fmt.Fprintln(w, "```mermaid")
	fmt.Fprintln(w, "flowchart LR")
	for _, a := range g.Accounts {
		fmt.Fprintf(w, "  subgraph account_%s[\"%s\"]\n", nodeID(a.ID), mermaidText(accountLabel(a)))
		for _, n := range g.Nodes {
			if n.Account == a.ID {
				fmt.Fprintf(w, "    %s\n", mermaidNode(n))
			}
		}
		fmt.Fprintln(w, "  end")
	}
	for _, n := range g.Nodes {
		if n.Account == "" {
			fmt.Fprintf(w, "  %s\n", mermaidNode(n))
		}
	}
	for _, e := range g.Edges {
		arrow := "-->"
		switch e.Mark {
		case MarkNew:
			arrow = "==>"
		case MarkRemoved, MarkMissing:
			arrow = "-.->"
		}
		fmt.Fprintf(w, "  %s %s|\"%s\"| %s\n", e.From, arrow, mermaidText(edgeLabel(e)), e.To)
	}
	fmt.Fprintln(w, "```")
	fmt.Fprintln(w)
}

func mermaidNode(n GraphNode) string {
	open, close := `["`, `"]`
	switch n.Kind {
	case "bucket":
		open, close = `[("`, `")]`
	case "key":
		open, close = `{{"`, `"}}`
	case "role":
		open, close = `(["`, `"])`
	}
	return n.ID + open + mermaidText(n.Label) + close
}

// mermaidText is s safe inside a quoted mermaid label: quotes, brackets,
// pipes, angle brackets, backticks and # as entity codes, newlines as
// spaces.
func mermaidText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '"', '#', '[', ']', '|', '<', '>', '`':
			fmt.Fprintf(&b, "#%d;", r)
		case '\n', '\r':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func accountLabel(a GraphAccount) string {
	if a.Name == "" {
		return "account " + a.ID
	}
	return fmt.Sprintf("account %s (%s)", a.Name, a.ID)
}

// edgeLabel is "prod_to_lake reads, new: role policy of copier"; a
// grant whose mark is not the edge's says its own.
func edgeLabel(e GraphEdge) string {
	docs := make([]string, len(e.Grants))
	for i, g := range e.Grants {
		docs[i] = g.Document
		if g.Mark != e.Mark {
			docs[i] += " (" + g.Mark + ")"
		}
	}
	return fmt.Sprintf("%s %s, %s: %s", e.Job, e.Verb, e.Mark, strings.Join(docs, ", "))
}

// writeGraphText writes g compactly for the human plan: the accounts and
// what they hold, then one line per edge with the mark in the first
// column (+ new, ~ changed, - removed, ! missing).
func writeGraphText(w io.Writer, g *Graph) {
	fmt.Fprintln(w, "Access:")
	if len(g.Edges) == 0 {
		fmt.Fprintln(w, "  no grants in this plan")
		return
	}
	label := map[string]string{}
	for _, n := range g.Nodes {
		label[n.ID] = n.Label
	}
	for _, a := range g.Accounts {
		var held []string
		for _, n := range g.Nodes {
			if n.Account == a.ID {
				held = append(held, n.Label)
			}
		}
		fmt.Fprintf(w, "  %s: %s\n", accountLabel(a), strings.Join(held, ", "))
	}
	for _, e := range g.Edges {
		fmt.Fprintf(w, "  %s %s: %s %s %s (%s)\n", markSymbol(e.Mark), e.Job, label[e.From], e.Verb, label[e.To], edgeGrants(e))
	}
}

func edgeGrants(e GraphEdge) string {
	docs := make([]string, len(e.Grants))
	for i, g := range e.Grants {
		docs[i] = g.Document + " " + g.Mark
	}
	return strings.Join(docs, ", ")
}

func markSymbol(m string) string {
	switch m {
	case MarkNew:
		return "+"
	case MarkChanged:
		return "~"
	case MarkRemoved:
		return "-"
	case MarkMissing:
		return "!"
	}
	return " "
}
