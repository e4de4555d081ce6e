package plan

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/lakesync/lakesync/internal/config"
)

func TestShardSplit(t *testing.T) {
	const keys = 20000
	for _, n := range []int{1, 2, 3, 7, 16} {
		counts := make([]int, n)
		for k := range keys {
			rel := fmt.Sprintf("day=%02d/part-%05d.parquet", k%31, k)
			owners := 0
			for i := range n {
				if (Shard{Index: i, Count: n}).Owns(rel) {
					owners++
					counts[i]++
				}
			}
			if owners != 1 {
				t.Fatalf("N=%d: %q is owned by %d shards, want exactly 1", n, rel, owners)
			}
		}
		// Roughly balanced: every shard within 10% of the mean (a
		// binomial's standard deviation is below 1% of it here).
		mean := keys / n
		for i, c := range counts {
			if c < mean*9/10 || c > mean*11/10 {
				t.Errorf("N=%d: shard %d has %d of %d keys, mean %d", n, i, c, keys, mean)
			}
		}
	}
}

// TestShardStable pins the hash: a shard must own the same keys in every
// run, on every machine and in every future version, or the shards of an
// array job (and their states) would disagree.
func TestShardStable(t *testing.T) {
	for _, c := range []struct {
		rel     string
		n, want int
	}{
		{"a", 3, 1},
		{"a", 10, 6},
		{"day=00/part-0000.parquet", 3, 1},
		{"day=00/part-0000.parquet", 10, 9},
		{"x/y/z.csv", 10, 6},
	} {
		if got := ShardOf(c.rel, c.n); got != c.want {
			t.Errorf("ShardOf(%q, %d) = %d, want %d", c.rel, c.n, got, c.want)
		}
	}
	if (Shard{}).Owns("anything") != true || (Shard{Index: 0, Count: 1}).Owns("x") != true {
		t.Error("the whole key space must own every key")
	}
}

func TestParseShard(t *testing.T) {
	env := func(vars map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
	}
	for _, c := range []struct {
		in      string
		env     map[string]string
		want    Shard
		wantErr string
	}{
		{in: "0/3", want: Shard{0, 3}},
		{in: "2/3", want: Shard{2, 3}},
		{in: "0/1", want: Shard{0, 1}},
		{in: "3/3", wantErr: "from 0 to 2"},
		{in: "-1/3", wantErr: "from 0 to 2"},
		{in: "1/0", wantErr: "at least 1"},
		{in: "1", wantErr: "want I/N"},
		{in: "x/3", wantErr: "from 0 to 2"},
		{in: "auto/4", env: map[string]string{"AWS_BATCH_JOB_ARRAY_INDEX": "3", "JOB_COMPLETION_INDEX": "1"}, want: Shard{3, 4}},
		{in: "auto/4", env: map[string]string{"JOB_COMPLETION_INDEX": "1"}, want: Shard{1, 4}},
		{in: "auto/4", wantErr: "neither AWS_BATCH_JOB_ARRAY_INDEX nor JOB_COMPLETION_INDEX is set"},
		{in: "auto/4", env: map[string]string{"JOB_COMPLETION_INDEX": "4"}, wantErr: `JOB_COMPLETION_INDEX is "4", want a whole number from 0 to 3`},
	} {
		got, err := ParseShard(c.in, env(c.env))
		switch {
		case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
			t.Errorf("ParseShard(%q): error %v, want one containing %q", c.in, err, c.wantErr)
		case c.wantErr == "" && err != nil:
			t.Errorf("ParseShard(%q): %v", c.in, err)
		case c.wantErr == "" && got != c.want:
			t.Errorf("ParseShard(%q) = %+v, want %+v", c.in, got, c.want)
		}
	}
	if s := (Shard{Index: 2, Count: 5}).StateSuffix(); s != ".shard-2-of-5" {
		t.Errorf("state suffix %q", s)
	}
	if s := (Shard{}).StateSuffix(); s != "" {
		t.Errorf("unsharded state suffix %q", s)
	}
	if s, all := (Shard{Index: 2, Count: 5}).String(), (Shard{}).String(); s != "2/5" || all != "all" {
		t.Errorf("String() = %q and %q, want 2/5 and all", s, all)
	}
}

// TestMergeShards merges the same streams once whole and once per shard:
// the shards' items together are exactly the whole merge's, each once,
// with the same decisions, including deletes (a destination object whose
// source is gone) and forgotten records.
func TestMergeShards(t *testing.T) {
	job := &config.Job{SourcePrefix: "src/", DestinationPrefix: "dst/", Mode: config.ModeSync, Delete: true}
	var srcs []SourceObject
	var recs []StateRecord
	var dsts []DestinationObject
	for k := range 300 {
		rel := fmt.Sprintf("k%04d", k)
		if k%5 != 0 { // every fifth is gone at the source
			srcs = append(srcs, SourceObject{Key: "src/" + rel, Size: int64(k), ETag: fmt.Sprint("e", k)})
		}
		if k%3 == 0 { // copied before
			recs = append(recs, StateRecord{SourceKey: "src/" + rel, SourceETag: fmt.Sprint("e", k), Size: int64(k), DestKey: "dst/" + rel, DestETag: fmt.Sprint("d", k)})
		}
		if k%3 == 0 || k%7 == 0 {
			dsts = append(dsts, DestinationObject{Key: "dst/" + rel, Size: int64(k), ETag: fmt.Sprint("d", k)})
		}
	}
	collect := func(opts ...SelectorOption) map[string]string {
		sel, err := NewSelector(job, opts...)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for it, err := range bounded(Merge(sel, RulesFor(job), seq(srcs...), seq(recs...), seq(dsts...)), 300) {
			if err != nil {
				t.Fatal(err)
			}
			out[it.Rel] = string(it.ObjectAction)
		}
		return out
	}
	whole := collect()
	actions := map[string]bool{}
	for _, a := range whole {
		actions[a] = true
	}
	if !actions[string(ObjectDelete)] || !actions[string(ObjectNew)] || !actions[string(ObjectUnchanged)] {
		t.Fatalf("test setup: the whole merge should copy, keep and delete, has %v", actions)
	}
	const n = 4
	union := map[string]string{}
	for i := range n {
		part := collect(WithShard(Shard{Index: i, Count: n}))
		if len(part) == 0 || len(part) == len(whole) {
			t.Errorf("shard %d/%d holds %d of %d keys", i, n, len(part), len(whole))
		}
		for rel, a := range part {
			if _, dup := union[rel]; dup {
				t.Errorf("%s is in two shards", rel)
			}
			union[rel] = a
		}
	}
	if d := cmp.Diff(whole, union); d != "" {
		t.Errorf("the shards together differ from the whole merge (-whole +shards):\n%s", d)
	}
}
