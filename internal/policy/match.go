package policy

import "strings"

// match is a three-valued answer: a statement applies to a request, does
// not, or may (it depends on something the request context does not say).
type match int

const (
	no match = iota
	maybe
	yes
)

func (m match) String() string { return [...]string{"no", "maybe", "yes"}[m] }

// and combines answers that must all hold.
func and(ms ...match) match {
	out := yes
	for _, m := range ms {
		out = min(out, m)
	}
	return out
}

// not negates a three-valued answer.
func (m match) not() match { return yes - m }

// globMatch reports whether pattern (with * and ? wildcards) matches the
// whole text. A '*' in text stands for "any suffix/infix" of a request
// pattern such as "arn:aws:s3:::b/p/*": only a '*' in pattern covers it, so
// a match means the pattern covers every string the text stands for.
func globMatch(pattern, text string, fold bool) bool {
	if fold {
		pattern, text = strings.ToLower(pattern), strings.ToLower(text)
	}
	// Iterative matcher with backtracking to the last star: O(len*len).
	p, t := 0, 0
	star, mark := -1, 0
	for t < len(text) {
		if p < len(pattern) && pattern[p] == '*' {
			star, mark = p, t
			p++
		} else if p < len(pattern) && (pattern[p] == text[t] && text[t] != '*' ||
			pattern[p] == '?' && text[t] != '*') {
			p++
			t++
		} else if star >= 0 {
			p = star + 1
			mark++
			t = mark
		} else {
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// globOverlap reports whether two patterns match at least one common
// string.
func globOverlap(a, b string, fold bool) bool {
	if fold {
		a, b = strings.ToLower(a), strings.ToLower(b)
	}
	memo := make(map[[2]int]bool)
	var f func(i, j int) bool
	f = func(i, j int) bool {
		key := [2]int{i, j}
		if v, ok := memo[key]; ok {
			return v
		}
		memo[key] = false
		var r bool
		if i == len(a) && j == len(b) {
			r = true
		} else if i < len(a) && a[i] == '*' {
			r = f(i+1, j) || (j < len(b) && f(i, j+1))
		} else if j < len(b) && b[j] == '*' {
			r = f(i, j+1) || (i < len(a) && f(i+1, j))
		} else if i < len(a) && j < len(b) {
			r = (a[i] == b[j] || a[i] == '?' || b[j] == '?') && f(i+1, j+1)
		}
		memo[key] = r
		return r
	}
	return f(0, 0)
}

// matchAny reports whether some pattern covers value entirely (yes), only
// partly overlaps it (maybe, when value is itself a pattern), or neither.
func matchAny(patterns Values, value string, fold bool) match {
	best := no
	for _, p := range patterns {
		if globMatch(p, value, fold) {
			return yes
		}
		if strings.Contains(value, "*") && globOverlap(p, value, fold) {
			best = maybe
		}
	}
	return best
}

// matchNot is the NotAction/NotResource answer: the statement applies to
// value only if no pattern touches it.
func matchNot(patterns Values, value string, fold bool) match {
	return matchAny(patterns, value, fold).not()
}
