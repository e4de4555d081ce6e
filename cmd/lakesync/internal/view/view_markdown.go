package view

import (
	"fmt"
	"html"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/lakesync/lakesync/internal/plan"
	"github.com/lakesync/lakesync/internal/policy"
)

// markdownView renders a saved plan as GitHub/GitLab-flavoured markdown,
// the body of the comment a CI bot posts on a pull request: the access
// picture as a mermaid flowchart, the findings,
// the summary, a table of the jobs, one collapsible statement-level diff
// per policy document, the bucket settings, and how to apply. It renders
// the same value that show --json serialises.
type markdownView struct {
	w io.Writer
	// planFile is the path the plan was read from, for the apply line.
	planFile string
	// configPath and configSHA256 say what the plan was made from.
	configPath, configSHA256 string
}

func (v *markdownView) render(p *plan.Plan) {
	w := v.w
	fmt.Fprintln(w, "## lakesync plan")
	fmt.Fprintln(w)
	writeMermaid(w, BuildGraph(p))
	v.findings(p)
	v.summary(p)
	v.jobs(p.Jobs)
	v.migrations(p.Migrations)
	v.creations(p.Creations)
	v.documents(p.Documents)
	v.settings(p.Settings)
	v.footer(p)
}

// findings puts errors, then warnings, at the top as block quotes, where a
// reviewer cannot miss them.
func (v *markdownView) findings(p *plan.Plan) {
	if len(p.Findings) == 0 {
		return
	}
	for _, blocking := range []bool{true, false} {
		for _, f := range p.Findings {
			if f.Blocking != blocking {
				continue
			}
			label := "Warning"
			if f.Blocking {
				label = "Error"
			}
			fmt.Fprintf(v.w, "> **%s:** %s%s\n>\n", label, mdText(f.Message), mdText(findingWhere(f)))
			for _, a := range f.Advice {
				fmt.Fprintf(v.w, "> - %s\n>\n", mdText(a))
			}
		}
	}
	if p.Blocked() {
		fmt.Fprintln(v.w, "> **This plan cannot be applied:** fix the errors first.")
	} else {
		fmt.Fprintln(v.w, "> The warnings do not stop the apply.")
	}
	fmt.Fprintln(v.w)
}

func (v *markdownView) summary(p *plan.Plan) {
	unlistedJobs, unlisted := p.Unlisted()
	if !p.HasChanges() {
		if unlisted != "" {
			fmt.Fprintf(v.w, "**No policy changes.** The policies match the configuration; %s.\n\n", mdText(dataNotListed(unlisted)))
			return
		}
		fmt.Fprintln(v.w, "**No changes.** The policies match the configuration and there is no data to copy.")
		fmt.Fprintln(v.w)
		return
	}
	t := p.Totals()
	data := fmt.Sprintf("%s (%s) to copy, %s to delete", objects(t.Copy.Objects), humanBytes(t.Copy.Bytes), num(t.DeleteObjects))
	for i, name := range unlistedJobs {
		unlistedJobs[i] = mdCode(name)
	}
	data = dataTotals(data, len(p.Jobs), unlistedJobs, mdText(dataNotListed(unlisted)))
	fmt.Fprintf(v.w, "**Plan:** %d to create, %d to update, %d to delete; %s%d bucket %s; %s.\n\n",
		t.Create, t.Update, t.Delete, bucketsToCreate(t.Buckets), t.Settings, plural(t.Settings, "setting", "settings"), data)
}

func (v *markdownView) jobs(jobs []*plan.JobPlan) {
	if len(jobs) == 0 {
		return
	}
	w := v.w
	fmt.Fprintln(w, "### Jobs")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| Job | From → to | Mode | Transfer | Topology | Copy | Delete | Estimated cost |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---:|")
	for _, j := range jobs {
		topo := j.Topology
		if topo == "" {
			topo = "—"
		}
		if j.CrossRegion {
			topo += ", " + crossRegion(j, "→")
		}
		cp, del, cost := "not observed (`--skip-data`)", "—", "—"
		if j.Listing() == plan.DataWhileCopying {
			cp = "listed while copying"
		}
		if d := j.Data; d != nil && j.Listing() == plan.DataListed {
			cp = fmt.Sprintf("%s, %s", objects(d.Copy.Objects), humanBytes(d.Copy.Bytes))
			if d.Copy.Objects > 0 {
				cp += fmt.Sprintf(" (%s new, %s changed, %s missing)", num(d.New.Objects), num(d.Changed.Objects), num(d.Missing.Objects))
			}
			if d.Adopt.Objects > 0 {
				cp += fmt.Sprintf("; %s adopted", num(d.Adopt.Objects))
			}
			del = fmt.Sprintf("%s, %s", objects(d.Delete.Objects), humanBytes(d.Delete.Bytes))
			cost = fmt.Sprintf("$%.4f", d.Estimate.CostUSD)
		}
		fmt.Fprintf(w, "| %s | %s → %s | %s | %s | %s | %s | %s | %s |\n",
			mdCode(j.Name), mdCode(j.Source), mdCode(j.Dest), mdText(j.Mode), mdText(j.Transfer), mdText(topo), cp, del, cost)
	}
	fmt.Fprintln(w)
	for _, j := range jobs {
		v.jobDetails(j)
	}
}

// jobDetails shows a job's notes, the request estimate and the first keys
// it would copy and delete, folded away.
func (v *markdownView) jobDetails(j *plan.JobPlan) {
	w := v.w
	for _, n := range j.Notes {
		fmt.Fprintf(w, "- %s: %s\n", mdCode(j.Name), mdText(n))
	}
	if l := asOfLine(j); l != "" {
		fmt.Fprintf(w, "- %s: %s\n", mdCode(j.Name), mdText(l))
	}
	if len(j.Notes) > 0 || j.SourceAsOf != nil {
		fmt.Fprintln(w)
	}
	if lines := append(sourceListingLines(j), archivedPlanLines(j)...); len(lines) > 0 {
		for _, l := range lines {
			fmt.Fprintf(w, "- %s: %s\n", mdCode(j.Name), mdText(l))
		}
		fmt.Fprintln(w)
	}
	d := j.Data
	if d == nil || (d.Copy.Objects == 0 && d.Delete.Objects == 0 && d.Adopt.Objects == 0) {
		return
	}
	fmt.Fprintf(w, "<details><summary>Job <code>%s</code>: requests and first keys</summary>\n\n", html.EscapeString(j.Name))
	e := d.Estimate
	fmt.Fprintf(w, "%s LIST, %s GET/HEAD, %s COPY/PUT (%s parts), %s KMS (%s without bucket key)%s: $%.4f ($%.4f without bucket key). %s (%s) unchanged.\n\n",
		num(e.ListRequests), num(e.GetRequests), num(e.PutRequests), num(e.UploadParts), num(e.KMSRequests), num(e.KMSNoBucketKey), interRegion(e), e.CostUSD, e.CostNoBucketKeyUSD,
		objects(d.Unchanged.Objects), humanBytes(d.Unchanged.Bytes))
	for _, action := range slices.Sorted(maps.Keys(d.Keys)) {
		keys := d.Keys[action]
		if len(keys) == 0 {
			continue
		}
		fmt.Fprintf(w, "First keys marked %s:\n\n", mdCode(action))
		fence := codeFence(keys)
		fmt.Fprintln(w, fence)
		for _, k := range keys {
			fmt.Fprintln(w, k)
		}
		fmt.Fprintf(w, "%s\n\n", fence)
	}
	fmt.Fprintln(w, "</details>")
	fmt.Fprintln(w)
}

func (v *markdownView) documents(docs []*plan.DocumentChange) {
	changed, unchanged := 0, 0
	for _, d := range docs {
		if d.Action == plan.ActionNoOp {
			unchanged++
		} else {
			changed++
		}
	}
	if changed == 0 {
		return
	}
	w := v.w
	fmt.Fprintln(w, "### Policies")
	fmt.Fprintln(w)
	for _, d := range docs {
		if d.Action != plan.ActionNoOp {
			v.document(d)
		}
	}
	if unchanged > 0 {
		if unchanged == 1 {
			fmt.Fprintln(w, "1 more policy document is unchanged.")
		} else {
			fmt.Fprintf(w, "%d more policy documents are unchanged.\n", unchanged)
		}
		fmt.Fprintln(w)
	}
}

// document renders one document's statement-level diff as a collapsible
// diff block: a header line per changed statement, then the lines of its
// indented, normalised JSON with +, - or a space.
func (v *markdownView) document(d *plan.DocumentChange) {
	var lines []string
	for _, st := range d.Statements {
		if st.Action == policy.NoOp {
			continue
		}
		name := statementName(st)
		if !st.Owned {
			name += " (not lakesync's)"
		}
		lines = append(lines, diffMarker(string(st.Action))+" statement "+name)
		for _, l := range lineDiff(indentJSON(st.Before), indentJSON(st.After)) {
			lines = append(lines, diffMarker(l.action)+"   "+l.text)
		}
	}
	fmt.Fprintf(v.w, "<details><summary>%s <code>%s</code>: %s (account %s %s) will be %s</summary>\n\n",
		diffMarker(d.Action), html.EscapeString(d.Address.String()), html.EscapeString(documentWhat(d)),
		html.EscapeString(d.AccountName), html.EscapeString(d.AccountID), pastTense(d.Action))
	fence := codeFence(lines)
	fmt.Fprintln(v.w, fence+"diff")
	for _, l := range lines {
		fmt.Fprintln(v.w, l)
	}
	fmt.Fprintln(v.w, fence)
	fmt.Fprintln(v.w)
	fmt.Fprintln(v.w, "</details>")
	fmt.Fprintln(v.w)
}

// diffMarker is the first column of a diff line: + and - are what GitHub
// and GitLab colour; ~ marks an update in place, as in the human view.
func diffMarker(action string) string {
	switch action {
	case plan.ActionCreate:
		return "+"
	case plan.ActionDelete:
		return "-"
	case plan.ActionUpdate:
		return "~"
	}
	return " "
}

func (v *markdownView) settings(ss []*plan.SettingChange) {
	var changed []*plan.SettingChange
	for _, s := range ss {
		if s.Action != plan.ActionNoOp {
			changed = append(changed, s)
		}
	}
	if len(changed) == 0 {
		return
	}
	w := v.w
	fmt.Fprintln(w, "### Bucket settings")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| | Bucket | Setting | Before | After | Why |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	for _, s := range changed {
		after := s.After.String()
		if s.KeyARN != "" {
			after += " with " + s.KeyARN
		}
		fmt.Fprintf(w, "| %s | %s (%s %s) | %s | %s | %s | %s |\n",
			diffMarker(s.Action), mdCode(s.Bucket), mdText(s.AccountName), mdText(s.AccountID),
			mdText(strings.ReplaceAll(s.Setting, "_", " ")), mdCode(s.Before.String()), mdCode(after), mdText(s.Reason))
	}
	fmt.Fprintln(w)
}

func (v *markdownView) footer(p *plan.Plan) {
	w := v.w
	switch {
	case p.Blocked():
		fmt.Fprint(w, "**Cannot be applied** until the errors above are fixed.\n\n")
	case p.HasChanges():
		fmt.Fprintf(w, "To apply exactly this plan: %s. Without a plan file, `lakesync apply` plans again and applies that.\n\n", mdCode("lakesync apply "+v.planFile))
	}
	if v.configPath != "" {
		sum := v.configSHA256
		if len(sum) > 12 {
			sum = sum[:12]
		}
		fmt.Fprintf(w, "<sub>Plan of %s (sha256 %s), plan format %s.</sub>\n",
			html.EscapeString(v.configPath), html.EscapeString(sum), html.EscapeString(p.FormatVersion))
	}
}

// mdText escapes the characters that would make text markup (emphasis,
// code, links, HTML, table cells).
func mdText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|':
			b.WriteByte('\\')
		case '\n':
			b.WriteByte(' ')
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mdCode is s as an inline code span that holds any backticks in s, safe
// in a table cell.
func mdCode(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\n", " "), "|", `\|`)
	ticks := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return ticks + " " + s + " " + ticks
	}
	return ticks + s + ticks
}

// codeFence is a fence longer than any run of backticks in lines, so that
// no line can close the block early.
func codeFence(lines []string) string {
	n := 2
	for _, l := range lines {
		n = max(n, longestRun(l, '`'))
	}
	return strings.Repeat("`", n+1)
}

func longestRun(s string, c byte) int {
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return longest
}

func objects(n int64) string { return num(n) + " " + plural(int(min(n, 2)), "object", "objects") }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
