package config

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Glob is a compiled include/exclude pattern. It matches an object key
// below the job's source_prefix, the whole key, never a part of it:
//
//   - "*" matches any run of characters except '/';
//   - "**" matches any run of characters, '/' included, and must be a whole
//     path segment; "**/" also matches no directory at all, so
//     "**/*.parquet" matches "a.parquet";
//   - "?" matches one character except '/';
//   - "[abc]" matches one character of the class, with ranges "a-z" and
//     negation "[!...]" or "[^...]"; a class never matches '/';
//   - "\x" matches the character x itself.
//
// Everything else matches itself.
type Glob struct {
	pattern string
	re      *regexp.Regexp
}

// GlobError says what is wrong in a pattern and where.
type GlobError struct {
	Pattern string
	Offset  int // byte offset in Pattern
	Problem string
}

func (e *GlobError) Error() string {
	return fmt.Sprintf("pattern %q, at character %d: %s", e.Pattern, e.Offset+1, e.Problem)
}

// CompileGlob compiles pattern, or says what is wrong with it.
func CompileGlob(pattern string) (*Glob, error) {
	if pattern == "" {
		return nil, &GlobError{Pattern: pattern, Problem: "the pattern is empty; it would match nothing"}
	}
	var re strings.Builder
	re.WriteString(`\A`)
	for i := 0; i < len(pattern); {
		c := pattern[i]
		switch c {
		case '*':
			if strings.HasPrefix(pattern[i:], "***") {
				return nil, &GlobError{pattern, i, `"***" is not a pattern; use "*" within a directory or "**" across directories`}
			}
			if !strings.HasPrefix(pattern[i:], "**") {
				re.WriteString(`[^/]*`)
				i++
				continue
			}
			atStart := i == 0 || pattern[i-1] == '/'
			if !atStart || (i+2 < len(pattern) && pattern[i+2] != '/') {
				return nil, &GlobError{pattern, i, `"**" must be a whole path segment, as in "a/**/b", "**/x" or "a/**"`}
			}
			if i+2 < len(pattern) { // "**/": any directories, or none
				re.WriteString(`(?:.*/)?`)
				i += 3
			} else {
				re.WriteString(`.*`)
				i += 2
			}
		case '?':
			re.WriteString(`[^/]`)
			i++
		case '[':
			class, n, err := globClass(pattern, i)
			if err != nil {
				return nil, err
			}
			re.WriteString(class)
			i += n
		case '\\':
			if i+1 >= len(pattern) {
				return nil, &GlobError{pattern, i, `a "\" at the end escapes nothing`}
			}
			r, size := decodeRune(pattern[i+1:])
			re.WriteString(regexp.QuoteMeta(string(r)))
			i += 1 + size
		case ']':
			return nil, &GlobError{pattern, i, `"]" without an opening "["; write "\]" for the character itself`}
		default:
			r, size := decodeRune(pattern[i:])
			re.WriteString(regexp.QuoteMeta(string(r)))
			i += size
		}
	}
	re.WriteString(`\z`)
	compiled, err := regexp.Compile(re.String())
	if err != nil { // not expected: every piece above is valid syntax
		return nil, &GlobError{Pattern: pattern, Problem: err.Error()}
	}
	return &Glob{pattern: pattern, re: compiled}, nil
}

// globClass translates the class starting at pattern[start] == '[' and
// returns the regexp and the number of pattern bytes it used.
func globClass(pattern string, start int) (string, int, error) {
	var b strings.Builder
	b.WriteString("[")
	i := start + 1
	if i < len(pattern) && (pattern[i] == '!' || pattern[i] == '^') {
		b.WriteString("^/")
		i++
	}
	members := 0
	var prev rune = -1
	for {
		if i >= len(pattern) {
			return "", 0, &GlobError{pattern, start, `"[" is never closed by "]"`}
		}
		c := pattern[i]
		if c == ']' && members > 0 {
			i++
			break
		}
		if c == ']' {
			return "", 0, &GlobError{pattern, start, `empty character class "[]"; write "\[" for the character itself`}
		}
		if c == '\\' {
			if i+1 >= len(pattern) {
				return "", 0, &GlobError{pattern, i, `a "\" at the end escapes nothing`}
			}
			i++
		}
		r, size := decodeRune(pattern[i:])
		if r == '/' {
			return "", 0, &GlobError{pattern, i, `a character class cannot match "/"`}
		}
		if r == '-' && prev >= 0 && i+1 < len(pattern) && pattern[i+1] != ']' {
			hi, hsize := decodeRune(pattern[i+1:])
			if pattern[i+1] == '\\' {
				if i+2 >= len(pattern) {
					return "", 0, &GlobError{pattern, i + 1, `a "\" at the end escapes nothing`}
				}
				hi, hsize = decodeRune(pattern[i+2:])
				hsize++
			}
			if hi < prev {
				return "", 0, &GlobError{pattern, i, fmt.Sprintf("range %q-%q is reversed", prev, hi)}
			}
			if prev <= '/' && hi >= '/' {
				return "", 0, &GlobError{pattern, i, fmt.Sprintf(`range %q-%q includes "/", which a class cannot match`, prev, hi)}
			}
			b.WriteString("-")
			b.WriteString(quoteClassRune(hi))
			i += 1 + hsize
			prev = -1
			members++
			continue
		}
		b.WriteString(quoteClassRune(r))
		prev = r
		members++
		i += size
	}
	b.WriteString("]")
	return b.String(), i - start, nil
}

func quoteClassRune(r rune) string {
	switch r {
	case '\\', '[', ']', '^', '-':
		return `\` + string(r)
	}
	return regexp.QuoteMeta(string(r))
}

// decodeRune decodes the first rune of s, which is not empty; an invalid
// byte counts as one character.
func decodeRune(s string) (rune, int) { return utf8.DecodeRuneInString(s) }

// Match reports whether key (relative to the source prefix) matches.
func (g *Glob) Match(key string) bool { return g.re.MatchString(key) }

// String is the pattern as written.
func (g *Glob) String() string { return g.pattern }
