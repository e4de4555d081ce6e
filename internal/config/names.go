package config

import (
	"fmt"
	"net"
	"regexp"
	"sort"
	"strings"

	"github.com/agext/levenshtein"
)

var sprintf = fmt.Sprintf

var (
	nameRe       = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*$`)
	accountIDRe  = regexp.MustCompile(`^[0-9]{12}$`)
	regionRe     = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)
	roleNameRe   = regexp.MustCompile(`^[A-Za-z0-9+=,.@_-]{1,64}$`)
	roleARNRe    = regexp.MustCompile(`^arn:aws[a-z-]*:iam::([0-9]{12}):role/(?:[A-Za-z0-9+=,.@_/-]+/)?[A-Za-z0-9+=,.@_-]{1,64}$`)
	keyARNRe     = regexp.MustCompile(`^arn:aws[a-z-]*:kms:([a-z0-9-]+):([0-9]{12}):key/([A-Za-z0-9-]+)$`)
	aliasRe      = regexp.MustCompile(`^alias/[A-Za-z0-9/_-]{1,250}$`)
	bucketNameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
)

// validName reports whether a block label can be used in a reference.
func validName(s string) bool { return nameRe.MatchString(s) }

func suggestName(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	out := b.String()
	if out == "" || !(out[0] >= 'a' && out[0] <= 'z' || out[0] >= 'A' && out[0] <= 'Z') {
		out = "x" + out
	}
	return out
}

// bucketNameProblem explains why name is not a valid S3 general purpose
// bucket name, or returns "".
func bucketNameProblem(name string) string {
	if len(name) < 3 || len(name) > 63 {
		return "must be 3 to 63 characters long"
	}
	if strings.ToLower(name) != name {
		return "must be lower case"
	}
	if !bucketNameRe.MatchString(name) {
		return "may contain only lower-case letters, digits, '.' and '-', and must begin and end with a letter or digit"
	}
	if strings.Contains(name, "..") {
		return "must not contain two adjacent periods"
	}
	if strings.Contains(name, ".-") || strings.Contains(name, "-.") {
		return "must not have a period next to a hyphen"
	}
	if net.ParseIP(name) != nil {
		return "must not be formatted as an IP address"
	}
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(name, p) {
			return fmt.Sprintf("must not start with the reserved prefix %q", p)
		}
	}
	for _, s := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"} {
		if strings.HasSuffix(name, s) {
			return fmt.Sprintf("must not end with the reserved suffix %q", s)
		}
	}
	return ""
}

// didYouMean returns ` Did you mean "x"?` for the closest of candidates,
// or "" when none is close.
func didYouMean(given string, candidates []string) string {
	best := Nearest(given, candidates)
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" Did you mean %q?", best)
}

// Nearest is the candidate closest to given in edit distance (the first
// in sorted order on a tie), or "" when the closest needs more than 3
// edits or more edits than given has characters; it sorts candidates.
func Nearest(given string, candidates []string) string {
	best, bestDist := "", 1<<30
	sort.Strings(candidates)
	for _, c := range candidates {
		if dist := levenshtein.Distance(given, c, nil); dist < bestDist {
			best, bestDist = c, dist
		}
	}
	if best == "" || bestDist > 3 || bestDist > len(given) {
		return ""
	}
	return best
}

func keysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
