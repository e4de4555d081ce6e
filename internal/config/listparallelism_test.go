package config

import (
	"fmt"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDecodeListParallelism checks list_parallelism as typed: absent and
// "auto" are ListParallelismAuto, a number (or a variable's string of
// one) fixes it, 1 and 1024 included.
func TestDecodeListParallelism(t *testing.T) {
	cfg := load(t, "testdata/valid/list_parallelism.hcl", nil, nil)
	got := map[string]int{}
	for _, j := range cfg.Jobs {
		got[j.Name] = j.ListParallelism
	}
	want := map[string]int{"default": ListParallelismAuto, "auto": ListParallelismAuto, "one": 1, "most": 1024, "variable": 8}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("list_parallelism (-want +got):\n%s", diff)
	}
}

// TestListParallelismDiagnostics checks where the errors point and what
// their hint says to write instead.
func TestListParallelismDiagnostics(t *testing.T) {
	const path = "testdata/invalid/list_parallelism.hcl"
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	l := NewLoader(os.ReadFile, os.LookupEnv)
	l.LookupEnv = noEnv
	_, diags := l.Parse(src, path)
	var got []string
	for _, d := range diags {
		if d.Subject != nil {
			got = append(got, fmt.Sprintf("%s:%d:%d: %s: %s", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column, d.Summary, d.Detail))
		}
	}
	want := []string{
		path + `:38:24: List parallelism out of range: list_parallelism is how many key ranges are listed at once, from 1 to 1024, or "auto" (the default); 0 is out of range.`,
		path + `:47:24: List parallelism out of range: list_parallelism is how many key ranges are listed at once, from 1 to 1024, or "auto" (the default); 1025 is out of range.`,
		path + `:56:24: Invalid list_parallelism: list_parallelism is "auto" (the default: the run chooses) or a whole number of key ranges listed at once, like list_parallelism = 16; not "automatic".`,
		path + `:65:24: Invalid list_parallelism: list_parallelism is "auto" (the default: the run chooses) or a whole number of key ranges listed at once, like list_parallelism = 16; not "2.5".`,
		path + `:74:24: Invalid list_parallelism: list_parallelism is "auto" (the default: the run chooses) or a whole number of key ranges listed at once, like list_parallelism = 16; not a bool.`,
		path + `:83:24: Invalid list_parallelism: list_parallelism is "auto" (the default: the run chooses) or a whole number of key ranges listed at once, like list_parallelism = 16; not a tuple.`,
		path + `:92:24: Null value: list_parallelism is "auto" or a whole number of key ranges listed at once; remove the line to use the default, "auto".`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}
