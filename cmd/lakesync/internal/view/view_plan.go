package view

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/lakesync/lakesync/internal/plan"
	"github.com/lakesync/lakesync/internal/policy"
)

// planView renders a plan for people: policy changes statement by
// statement (indented JSON with a marker per line), bucket settings, the
// data each job would move with its cost, the findings, and a summary.
type planView struct {
	w     io.Writer
	color bool
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiRed    = "\x1b[31m"
)

func (v *planView) paint(code, s string) string {
	if !v.color {
		return s
	}
	return code + s + ansiReset
}

func (v *planView) marker(action string) string {
	switch action {
	// Statement actions (policy.Create, ...) use the same words.
	case plan.ActionCreate:
		return v.paint(ansiGreen, "+")
	case plan.ActionDelete:
		return v.paint(ansiRed, "-")
	case plan.ActionUpdate:
		return v.paint(ansiYellow, "~")
	}
	return " "
}

// WritePlanText writes p as the human plan shows it, without colour: for
// pages that show the plan as text (the run report).
func WritePlanText(w io.Writer, p *plan.Plan) { (&planView{w: w}).render(p) }

func (v *planView) render(p *plan.Plan) {
	w := v.w
	if p.PolicyChanges() {
		fmt.Fprintln(w, "lakesync will change these policies and settings:")
		fmt.Fprintln(w)
	}
	v.creations(p.Creations)
	for _, d := range p.Documents {
		if d.Action != plan.ActionNoOp {
			v.document(d)
		}
	}
	for _, s := range p.Settings {
		if s.Action != plan.ActionNoOp {
			fmt.Fprintf(w, "  %s %s: %s of %s (account %s %s)\n", v.marker(s.Action), s.Address, strings.ReplaceAll(s.Setting, "_", " "), s.Bucket, s.AccountName, s.AccountID)
			fmt.Fprintf(w, "      %s -> %s\n", s.Before, s.After)
			fmt.Fprintf(w, "      # %s\n\n", s.Reason)
		}
	}
	v.advice(p.Advice)
	if len(p.Jobs) > 0 {
		fmt.Fprintln(w, "Data:")
		fmt.Fprintln(w)
		for _, j := range p.Jobs {
			v.job(j)
		}
	}
	v.migrations(p.Migrations)
	v.findings(p.Findings)
	v.summary(p)
}

func (v *planView) document(d *plan.DocumentChange) {
	w := v.w
	fmt.Fprintf(w, "  %s %s: %s (account %s %s) will be %s\n", v.marker(d.Action), v.paint(ansiBold, d.Address.String()), documentWhat(d), d.AccountName, d.AccountID, pastTense(d.Action))
	for _, st := range d.Statements {
		if st.Action == policy.NoOp {
			continue
		}
		fmt.Fprintf(w, "      %s statement %s\n", v.marker(string(st.Action)), statementName(st))
		for _, line := range lineDiff(indentJSON(st.Before), indentJSON(st.After)) {
			fmt.Fprintf(w, "          %s %s\n", v.marker(line.action), line.text)
		}
	}
	fmt.Fprintln(w)
}

// documentWhat says which document a change is about: "bucket policy of
// BUCKET", "key policy of ARN", "inline policy "NAME" of role ROLE".
func documentWhat(d *plan.DocumentChange) string {
	switch d.Kind {
	case plan.BucketPolicy:
		return "bucket policy of " + d.Resource
	case plan.KeyPolicy:
		return "key policy of " + d.Resource
	case plan.RolePolicy:
		return fmt.Sprintf("inline policy %q of role %s", d.PolicyName, d.Resource)
	}
	return d.Kind + " of " + d.Resource
}

// statementName is a statement's Sid, or "(no Sid)".
func statementName(st policy.StatementChange) string {
	if st.Sid == "" {
		return "(no Sid)"
	}
	return st.Sid
}

// findingWhere says which document and statement a finding is about:
// " (DOCUMENT, statement "SID")", or "" when it is about none.
func findingWhere(f policy.Finding) string {
	if (f.Check == policy.CheckDeny || f.Check == plan.CheckExternal) && f.Resource != "" {
		return "" // the message names the statement, its document and bucket or key
	}
	where := f.Document
	if f.Sid != "" {
		where += fmt.Sprintf(", statement %q", f.Sid)
	} else if f.Index >= 0 && f.Document != "" {
		where += fmt.Sprintf(", statement #%d", f.Index)
	}
	if where == "" {
		return ""
	}
	return " (" + where + ")"
}

func pastTense(action string) string {
	switch action {
	case plan.ActionCreate:
		return "created"
	case plan.ActionDelete:
		return "deleted"
	case plan.ActionUpdate:
		return "updated in place"
	}
	return "left alone"
}

func indentJSON(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return nil
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		return []string{string(raw)}
	}
	return strings.Split(buf.String(), "\n")
}

func (v *planView) job(j *plan.JobPlan) {
	w := v.w
	topo := j.Transfer
	if j.Topology != "" && j.Topology != j.Transfer {
		topo += ", " + j.Topology
	}
	if j.CrossRegion {
		topo += ", " + crossRegion(j, "->")
	}
	fmt.Fprintf(w, "  sync %q (%s, %s): %s -> %s\n", j.Name, j.Mode, topo, j.Source, j.Dest)
	for _, n := range j.Notes {
		fmt.Fprintf(w, "      # %s\n", n)
	}
	if l := asOfLine(j); l != "" {
		fmt.Fprintf(w, "      %s\n", l)
	}
	d := j.Data
	if l := j.Listing(); l != plan.DataListed || d == nil {
		fmt.Fprintf(w, "      %s\n", dataNotListed(l))
		fmt.Fprintln(w)
		return
	}
	for _, l := range sourceListingLines(j) {
		fmt.Fprintf(w, "      %s\n", l)
	}
	fmt.Fprintf(w, "      copy      %s objects, %s: %s new, %s changed, %s missing at destination\n",
		num(d.Copy.Objects), humanBytes(d.Copy.Bytes), num(d.New.Objects), num(d.Changed.Objects), num(d.Missing.Objects))
	for _, l := range archivedPlanLines(j) {
		fmt.Fprintf(w, "      %s\n", l)
	}
	if d.Adopt.Objects > 0 {
		fmt.Fprintf(w, "      adopt     %s objects already at the destination with the same size and checksum\n", num(d.Adopt.Objects))
	}
	fmt.Fprintf(w, "      delete    %s objects, %s\n", num(d.Delete.Objects), humanBytes(d.Delete.Bytes))
	fmt.Fprintf(w, "      unchanged %s objects, %s\n", num(d.Unchanged.Objects), humanBytes(d.Unchanged.Bytes))
	e := d.Estimate
	fmt.Fprintf(w, "      estimate  %s LIST, %s GET/HEAD, %s COPY/PUT (%s parts), %s KMS (%s without bucket key)%s: $%.4f ($%.4f without bucket key)\n",
		num(e.ListRequests), num(e.GetRequests), num(e.PutRequests), num(e.UploadParts), num(e.KMSRequests), num(e.KMSNoBucketKey), interRegion(e), e.CostUSD, e.CostNoBucketKeyUSD)
	fmt.Fprintln(w)
}

// crossRegion says a job copies between regions, and which.
func crossRegion(j *plan.JobPlan, arrow string) string {
	return fmt.Sprintf("cross-region %s %s %s", j.SourceRegion, arrow, j.DestinationRegion)
}

// interRegion is the estimate's inter-region transfer, "" when none.
func interRegion(e plan.Estimate) string {
	if e.InterRegionBytes == 0 {
		return ""
	}
	return fmt.Sprintf(", %s cross-region transfer", humanBytes(e.InterRegionBytes))
}

func (v *planView) findings(fs []policy.Finding) {
	for _, f := range fs {
		label := v.paint(ansiYellow, "Warning")
		if f.Blocking {
			label = v.paint(ansiRed, "Error")
		}
		fmt.Fprintf(v.w, "%s: %s%s\n", label, f.Message, findingWhere(f))
		for _, a := range f.Advice {
			fmt.Fprintf(v.w, "  - %s\n", a)
		}
	}
	if len(fs) > 0 {
		fmt.Fprintln(v.w)
	}
}

func (v *planView) summary(p *plan.Plan) {
	unlistedJobs, unlisted := p.Unlisted()
	if !p.HasChanges() {
		if unlisted != "" {
			// Data that was not listed is not data with nothing to copy.
			fmt.Fprintf(v.w, "%s The policies match the configuration; %s.\n", v.paint(ansiBold, "No policy changes."), dataNotListed(unlisted))
			return
		}
		fmt.Fprintln(v.w, v.paint(ansiBold, "No changes.")+" The policies match the configuration and there is no data to copy.")
		return
	}
	t := p.Totals()
	data := fmt.Sprintf("%s objects (%s) to copy, %s to delete", num(t.Copy.Objects), humanBytes(t.Copy.Bytes), num(t.DeleteObjects))
	data = dataTotals(data, len(p.Jobs), unlistedJobs, dataNotListed(unlisted))
	fmt.Fprintf(v.w, "%s %d to create, %d to update, %d to delete; %s%d bucket settings; %s.\n",
		v.paint(ansiBold, "Plan:"), t.Create, t.Update, t.Delete, bucketsToCreate(t.Buckets), t.Settings, data)
	if l := archivedTotalsLine(p); l != "" {
		fmt.Fprintln(v.w, l)
	}
}

// bucketsToCreate is the summary's count of buckets to create, with its
// separator; "" when there are none.
func bucketsToCreate(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%d %s to create; ", n, plural(n, "bucket", "buckets"))
}

// dataTotals is the data part of a plan's summary: counts, the listing
// in their place when the plan listed no job's data, or both when it
// listed some.
func dataTotals(counts string, jobs int, unlisted []string, notListed string) string {
	switch {
	case len(unlisted) == 0:
		return counts
	case len(unlisted) == jobs:
		return notListed
	}
	return fmt.Sprintf("%s; %s %s", counts, strings.Join(unlisted, ", "), notListed)
}

// dataNotListed says when the data the plan did not list is listed, in
// place of counts the plan has not made.
func dataNotListed(l plan.DataListing) string {
	if l == plan.DataWhileCopying {
		return "data: listed while copying"
	}
	return "data: not listed (plan --skip-data); apply lists it while copying"
}

// num formats n with thousands separators.
func num(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
