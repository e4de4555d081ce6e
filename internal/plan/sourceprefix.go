package plan

import (
	"fmt"
	"strings"

	"github.com/agext/levenshtein"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/policy"
)

// CheckEmptySource is the check of the findings about a source prefix
// that matches no object.
const CheckEmptySource = "empty-source-prefix"

// EmptySource is what exec found when the listing of a job's source
// prefix found no object: one listing with delimiter "/" of the level
// above the prefix, for the plan to suggest the prefix meant.
type EmptySource struct {
	// Parent is the level listed, ParentPrefix of the source prefix (""
	// is the bucket's top level).
	Parent string
	// Prefixes are the common prefixes at Parent ("exports/", "logs/"),
	// in S3's order, of the listing's first page.
	Prefixes []string
	// Objects counts the objects directly at Parent in that page.
	Objects int
}

// BucketEmpty reports whether the source bucket has no object at all.
func (e *EmptySource) BucketEmpty() bool {
	return e.Parent == "" && len(e.Prefixes) == 0 && e.Objects == 0
}

// ParentPrefix is the level above a prefix, where the prefixes next to
// it are listed: "data/" for "data/exprots/" and for "data/exp", "" (the
// bucket's top level) for "exprots/".
func ParentPrefix(prefix string) string {
	p := strings.TrimSuffix(prefix, "/")
	if i := strings.LastIndex(p, "/"); i >= 0 {
		return p[:i+1]
	}
	return ""
}

// sourcePrefixFindings warns of every job whose source prefix matched no
// object: an empty bucket, or a prefix with the nearest one at its level.
func (c *computer) sourcePrefixFindings() []policy.Finding {
	var out []policy.Finding
	for _, j := range c.cfg.Jobs {
		obs := c.obs.Data[j.Name]
		if obs == nil || obs.EmptySource == nil {
			continue
		}
		out = append(out, policy.Finding{Check: CheckEmptySource, Index: -1, Message: emptySourceMessage(j, obs.EmptySource)})
	}
	return out
}

func emptySourceMessage(j *config.Job, es *EmptySource) string {
	bucket := fmt.Sprintf("%s (account %s %s)", j.Source.BucketName, j.Source.Account.Name, j.Source.Account.ID)
	if es.BucketEmpty() {
		what := "there is nothing to copy"
		if j.SourcePrefix != "" {
			what = fmt.Sprintf("source_prefix %q matches no object", j.SourcePrefix)
		}
		return fmt.Sprintf("sync %q: the source bucket %s is empty, so %s: check that source = bucket.%s is the bucket you mean, or fill it first",
			j.Name, bucket, what, j.Source.Name)
	}
	msg := fmt.Sprintf("sync %q: source_prefix %q matches no object in bucket %s", j.Name, j.SourcePrefix, bucket)
	if best := nearestPrefix(j.SourcePrefix, es.Prefixes); best != "" {
		return msg + fmt.Sprintf("; did you mean %q?", best)
	}
	level := "at the top level of the bucket"
	if es.Parent != "" {
		level = fmt.Sprintf("under %q", es.Parent)
	}
	switch {
	case len(es.Prefixes) > 0:
		return msg + fmt.Sprintf("; the prefixes %s are %s: check source_prefix", level, quoteList(es.Prefixes, 5))
	case es.Objects > 0:
		return msg + fmt.Sprintf("; there are objects but no prefix %s: check source_prefix", level)
	}
	return msg + fmt.Sprintf(", and there is no object %s either: check source_prefix", level)
}

// nearestPrefix is the candidate nearest to prefix by edit distance (the
// first of equals, in S3's order), or "" when none is near enough to be a
// typing mistake: at most 3 edits, and at most half the length of the
// prefix's last part.
func nearestPrefix(prefix string, candidates []string) string {
	given := strings.TrimSuffix(prefix, "/")
	last := len(given) - len(ParentPrefix(prefix))
	best, bestDist := "", 1<<30
	for _, c := range candidates {
		if d := levenshtein.Distance(given, strings.TrimSuffix(c, "/"), nil); d < bestDist {
			best, bestDist = c, d
		}
	}
	if best == "" || bestDist > 3 || 2*bestDist > last {
		return ""
	}
	return best
}

// quoteList is the first n strings quoted, and how many more there are.
func quoteList(ss []string, n int) string {
	var b strings.Builder
	for i, s := range ss {
		if i == n {
			fmt.Fprintf(&b, " and %d more", len(ss)-n)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q", s)
	}
	return b.String()
}
