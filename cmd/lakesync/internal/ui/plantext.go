package ui

import "strings"

// textLine is one line of a command's text output and how a page colours
// it: "add", "change", "remove", "warn" or "total" (the plan's "Plan:"
// line), as the terminal view colours them.
type textLine struct {
	Text, Class string
}

// planText is the human plan (lakesync plan --graph) cut in two for the
// plan page: the access picture ("Access:" and its indented lines) and
// the rest, the statement diffs and the totals.
type planText struct {
	Access, Changes []textLine
	// Total is the plan's "Plan: ..." line.
	Total string
}

func splitPlanText(text string) planText {
	var p planText
	inAccess := false
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		switch {
		case l == "Access:":
			inAccess = true
			continue
		case inAccess && !strings.HasPrefix(l, "  "):
			inAccess = false
		}
		tl := textLine{Text: l, Class: lineClass(l)}
		if tl.Class == "total" {
			p.Total = l
		}
		if inAccess {
			tl.Text = strings.TrimPrefix(l, "  ")
			p.Access = append(p.Access, tl)
		} else {
			p.Changes = append(p.Changes, tl)
		}
	}
	for len(p.Changes) > 0 && strings.TrimSpace(p.Changes[len(p.Changes)-1].Text) == "" {
		p.Changes = p.Changes[:len(p.Changes)-1]
	}
	return p
}

func lineClass(l string) string {
	t := strings.TrimSpace(l)
	switch {
	case strings.HasPrefix(l, "Plan:"):
		return "total"
	case strings.HasPrefix(t, "+"):
		return "add"
	case strings.HasPrefix(t, "~"):
		return "change"
	case strings.HasPrefix(t, "-"):
		return "remove"
	case strings.HasPrefix(t, "!"):
		return "warn"
	}
	return ""
}
