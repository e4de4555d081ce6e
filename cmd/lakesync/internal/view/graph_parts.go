package view

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lakesync/lakesync/internal/plan"
	"github.com/lakesync/lakesync/internal/policy"
)

func purposeVerb(p policy.Purpose) string {
	switch p {
	case policy.SourceKey, policy.DestKey:
		return VerbKey
	case policy.DestList, policy.DestUploads, policy.DestWrite:
		return VerbWrite
	}
	return VerbRead
}

func verbOrder(v string) int { return slices.Index([]string{VerbRead, VerbWrite, VerbKey}, v) }

func parseStatement(raw []byte) *policy.Statement {
	if raw == nil {
		return nil
	}
	doc, err := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[` + string(raw) + `]}`))
	if err != nil || len(doc.Statements) != 1 {
		return nil
	}
	return &doc.Statements[0]
}

// refDocument names the document of a block: "bucket policy of lake".
func refDocument(r plan.Ref) string { return string(r.Kind) + " policy of " + r.Name }

func statementMark(a policy.ChangeAction) string {
	switch a {
	case policy.Create:
		return MarkNew
	case policy.Update:
		return MarkChanged
	case policy.Delete:
		return MarkRemoved
	}
	return MarkUnchanged
}

// combineMarks is the mark of two grants of one edge by one document, or
// of an edge's grants: the same mark, else changed; missing wins.
func combineMarks(a, b string) string {
	switch {
	case a == "" || a == b:
		return b
	case a == MarkMissing || b == MarkMissing:
		return MarkMissing
	}
	return MarkChanged
}

func edgeMark(gs []Grant) string {
	m := ""
	for _, g := range gs {
		m = combineMarks(m, g.Mark)
	}
	return m
}

// refID is the node ID of a configuration block: "bucket_lake".
func refID(r plan.Ref) string { return string(r.Kind) + "_" + nodeID(r.Name) }

// nodeID is s with every rune but ASCII letters and digits written as
// _hex_, so that distinct names give distinct IDs: "bucket_lake" is
// "bucket_5f_lake".
func nodeID(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			continue
		}
		fmt.Fprintf(&b, "_%x_", r)
	}
	return b.String()
}
