package plan

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A source prefix that matches no object is a warning naming the job and
// the prefix, with the nearest prefix at its level when one is near
// enough to be a typing mistake; an empty bucket says so instead.
func TestSourcePrefixFindings(t *testing.T) {
	const in = `sync "prod_to_lake": source_prefix `
	const bucket = ` matches no object in bucket konfir-prod-data (account prod 111111111111)`
	tests := []struct {
		name   string
		prefix string
		empty  *EmptySource // nil: the listing found objects
		want   []string
	}{
		{"objects found", "exports/", nil, nil},
		{"misspelled", "exprots/", &EmptySource{Prefixes: []string{"exports/", "logs/", "tmp/"}},
			[]string{in + `"exprots/"` + bucket + `; did you mean "exports/"?`}},
		{"misspelled, no slash", "exprots", &EmptySource{Prefixes: []string{"exports/", "logs/"}},
			[]string{in + `"exprots"` + bucket + `; did you mean "exports/"?`}},
		{"case", "Exports/", &EmptySource{Prefixes: []string{"exports/"}},
			[]string{in + `"Exports/"` + bucket + `; did you mean "exports/"?`}},
		{"nested", "exports/dya=01/", &EmptySource{Parent: "exports/", Prefixes: []string{"exports/day=00/", "exports/day=01/"}},
			[]string{in + `"exports/dya=01/"` + bucket + `; did you mean "exports/day=01/"?`}},
		{"nothing near", "archive/", &EmptySource{Prefixes: []string{"a/", "b/", "c/", "d/", "e/", "f/", "logs/"}},
			[]string{in + `"archive/"` + bucket + `; the prefixes at the top level of the bucket are "a/", "b/", "c/", "d/", "e/" and 2 more: check source_prefix`}},
		{"short prefix, far", "ab/", &EmptySource{Prefixes: []string{"cd/"}},
			[]string{in + `"ab/"` + bucket + `; the prefixes at the top level of the bucket are "cd/": check source_prefix`}},
		// 3 edits are near enough when the last part is at least 6 long.
		{"three edits", "exportsxyz/", &EmptySource{Prefixes: []string{"exports/"}},
			[]string{in + `"exportsxyz/"` + bucket + `; did you mean "exports/"?`}},
		// Half the last part may be wrong: 2 edits of "abcd".
		{"half the last part", "abcd/", &EmptySource{Prefixes: []string{"abxy/"}},
			[]string{in + `"abcd/"` + bucket + `; did you mean "abxy/"?`}},
		// The half is of the last part, not of the whole prefix: 2 edits
		// of the 2 of "ab" below "data/" is a different name.
		{"nested short prefix, far", "data/ab/", &EmptySource{Parent: "data/", Prefixes: []string{"data/cd/"}},
			[]string{in + `"data/ab/"` + bucket + `; the prefixes under "data/" are "data/cd/": check source_prefix`}},
		// Of equally near prefixes, the first in S3's order.
		{"equally near", "logz/", &EmptySource{Prefixes: []string{"loga/", "logb/"}},
			[]string{in + `"logz/"` + bucket + `; did you mean "loga/"?`}},
		{"only objects", "exports/", &EmptySource{Objects: 3},
			[]string{in + `"exports/"` + bucket + `; there are objects but no prefix at the top level of the bucket: check source_prefix`}},
		{"nothing under the parent", "data/exports/", &EmptySource{Parent: "data/"},
			[]string{in + `"data/exports/"` + bucket + `, and there is no object under "data/" either: check source_prefix`}},
		{"empty bucket", "exports/", &EmptySource{},
			[]string{`sync "prod_to_lake": the source bucket konfir-prod-data (account prod 111111111111) is empty, so source_prefix "exports/" matches no object: check that source = bucket.prod is the bucket you mean, or fill it first`}},
		{"empty bucket, whole bucket", "", &EmptySource{},
			[]string{`sync "prod_to_lake": the source bucket konfir-prod-data (account prod 111111111111) is empty, so there is nothing to copy: check that source = bucket.prod is the bucket you mean, or fill it first`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := pushConfig(t)
			job := cfg.Job("prod_to_lake")
			job.SourcePrefix = tt.prefix
			obs := emptyWorld()
			o := NewJobObservation(job, 1)
			o.EmptySource = tt.empty
			obs.Data = map[string]*JobObservation{job.Name: o}
			p, err := Compute(cfg, obs)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range p.Findings {
				if f.Check == CheckEmptySource {
					if f.Index != -1 || f.Document != "" || f.Sid != "" {
						t.Errorf("the warning is about the job, not a statement of a document: %+v", f)
					}
					if f.Blocking {
						t.Errorf("the warning blocks the apply: %+v", f)
					}
					got = append(got, f.Message)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			if p.Blocked() {
				t.Errorf("plan blocked: %v", p.Findings)
			}
		})
	}
}

func TestParentPrefix(t *testing.T) {
	for prefix, want := range map[string]string{
		"": "", "exprots/": "", "exprots": "", "data/exprots/": "data/", "data/exp": "data/", "a/b/c/": "a/b/", "/": "",
		"/exports/": "/", "//x": "//", // S3 keys may begin with "/"
	} {
		if got := ParentPrefix(prefix); got != want {
			t.Errorf("ParentPrefix(%q) = %q, want %q", prefix, got, want)
		}
	}
}
