package view

import "testing"

func TestMarkdownEscaping(t *testing.T) {
	if got := codeFence([]string{"a", "x ``` y", "``"}); got != "````" {
		t.Errorf("codeFence = %q, want four backticks", got)
	}
	if got := codeFence([]string{"plain"}); got != "```" {
		t.Errorf("codeFence = %q, want three backticks", got)
	}
	for in, want := range map[string]string{
		"job":     "`job`",
		"a|b":     "`a\\|b`",
		"a`b":     "``a`b``",
		"`a":      "`` `a ``",
		"two\nln": "`two ln`",
	} {
		if got := mdCode(in); got != want {
			t.Errorf("mdCode(%q) = %q, want %q", in, got, want)
		}
	}
	if got := mdText("a_b *c* <x> [l](u) |"); got != `a\_b \*c\* \<x\> \[l\](u) \|` {
		t.Errorf("mdText = %q", got)
	}
}
