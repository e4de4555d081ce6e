package config

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

func TestGlobMatch(t *testing.T) {
	tests := []struct {
		pattern string
		match   []string
		noMatch []string
	}{
		{"*.parquet", []string{"a.parquet", ".parquet"}, []string{"d/a.parquet", "a.parquet.tmp", "a.csv"}},
		{"**/*.parquet", []string{"a.parquet", "d/a.parquet", "d/e/f/a.parquet"}, []string{"a.csv", "d/a.parquetx"}},
		{"tmp/**", []string{"tmp/a", "tmp/a/b", "tmp/"}, []string{"tmp", "tmpx/a", "a/tmp/b"}},
		{"a/**/b", []string{"a/b", "a/x/b", "a/x/y/b"}, []string{"ab", "a/xb", "a/x/bc"}},
		{"**", []string{"", "a", "a/b/c"}, nil},
		{"?.csv", []string{"a.csv", "é.csv"}, []string{"ab.csv", "/.csv", ".csv"}},
		{"[abc].txt", []string{"a.txt", "c.txt"}, []string{"d.txt", "ab.txt"}},
		{"[a-c]x", []string{"bx"}, []string{"dx", "-x"}},
		{"[!a-c]x", []string{"dx", "-x", "!x", "[x"}, []string{"ax", "/x"}},
		{"[^0-9]", []string{"z"}, []string{"5", "/"}},
		{"[-a]", []string{"-", "a"}, []string{"b"}},
		{"[a-]", []string{"-", "a"}, []string{"b"}},
		{"[a-a]", []string{"a"}, []string{"b", "-"}},
		{"[a-c-e]", []string{"b", "-", "e"}, []string{"d"}}, // a '-' right after a range is itself
		{`[a-\z]`, []string{"m", "z"}, []string{"A", "\\"}},
		{`[0-\]]`, []string{"5", "A", "]", "\\"}, []string{"a", "/"}},
		{`[0-\]-z]`, []string{"5", "]", "-", "z"}, []string{"a", "y"}},
		{`[\\-z]`, []string{"\\", "a", "z"}, []string{"A", "-"}},
		{"x[ab]y", []string{"xay", "xby"}, []string{"xy", "xaby", "ay"}},
		{"[ab][cd]", []string{"ac", "bd"}, []string{"ab", "cd"}},
		{`\*.txt`, []string{"*.txt"}, []string{"a.txt"}},
		{`[\]]`, []string{"]"}, []string{"a"}},
		{"a+b (1).txt", []string{"a+b (1).txt"}, []string{"aab (1).txt"}},
		{"données/*.csv", []string{"données/x.csv"}, []string{"donnees/x.csv"}},
		{"$^.|", []string{"$^.|"}, []string{"x"}},
	}
	for _, tt := range tests {
		g, err := CompileGlob(tt.pattern)
		if err != nil {
			t.Errorf("CompileGlob(%q): %v", tt.pattern, err)
			continue
		}
		if g.String() != tt.pattern {
			t.Errorf("String() = %q, want %q", g.String(), tt.pattern)
		}
		for _, k := range tt.match {
			if !g.Match(k) {
				t.Errorf("%q does not match %q, want a match", tt.pattern, k)
			}
		}
		for _, k := range tt.noMatch {
			if g.Match(k) {
				t.Errorf("%q matches %q, want no match", tt.pattern, k)
			}
		}
	}
}

func TestGlobErrors(t *testing.T) {
	tests := []struct {
		pattern string
		offset  int
		problem string // substring
	}{
		{"", 0, "empty"},
		{"a[bc", 1, "never closed"},
		{"[]", 0, "empty character class"},
		{"a]", 1, "without an opening"},
		{`abc\`, 3, "escapes nothing"},
		{"a**b", 1, "whole path segment"},
		{"**b", 0, "whole path segment"},
		{"***", 0, `"***"`},
		{"[z-a]", 2, "reversed"},
		{"[+-0]", 2, `includes "/"`},
		{"[a/b]", 2, `cannot match "/"`},
		{`[a\`, 2, "escapes nothing"},
		{`[a-\`, 3, `a "\" at the end escapes nothing`},
		{`[+-\`, 3, `a "\" at the end escapes nothing`},
		{"[", 0, "never closed"},
		{"a[", 1, "never closed"},
		{"[!", 0, "never closed"},
		{"[+-/]", 2, `includes "/"`},
		{"[\x00-a]", 2, `includes "/"`},
	}
	for _, tt := range tests {
		_, err := CompileGlob(tt.pattern)
		var ge *GlobError
		if !errors.As(err, &ge) {
			t.Errorf("CompileGlob(%q) = %v, want a *GlobError", tt.pattern, err)
			continue
		}
		if ge.Offset != tt.offset || !strings.Contains(ge.Problem, tt.problem) {
			t.Errorf("CompileGlob(%q) = offset %d %q, want offset %d containing %q", tt.pattern, ge.Offset, ge.Problem, tt.offset, tt.problem)
		}
		if !strings.Contains(err.Error(), strconv.Quote(tt.pattern)) {
			t.Errorf("error %q does not name the pattern", err)
		}
	}
}

func FuzzCompileGlob(f *testing.F) {
	for _, s := range []string{"**/*.parquet", "[a-z]?", `\[`, "a/**", "[!x"} {
		f.Add(s, "a/b.parquet")
	}
	f.Fuzz(func(t *testing.T, pattern, key string) {
		g, err := CompileGlob(pattern)
		if err != nil {
			return
		}
		g.Match(key)
	})
}

// TestGlobErrorMessage checks the message a user reads: the pattern, and
// the 1-based character where the problem is (Offset is a byte offset).
func TestGlobErrorMessage(t *testing.T) {
	_, err := CompileGlob("a]")
	want := `pattern "a]", at character 2: "]" without an opening "["; write "\]" for the character itself`
	if err == nil || err.Error() != want {
		t.Errorf("CompileGlob(%q) = %v, want %s", "a]", err, want)
	}
}
