package plan

import (
	"fmt"
	"testing"
)

// TestShardRanges: every key is in exactly one shard's ranges, whatever
// the number of shards, also with more shards than ranges.
func TestShardRanges(t *testing.T) {
	ranges, err := Tile([]string{"a/", "b/", "c/", "c0"})
	if err != nil {
		t.Fatal(err)
	}
	keys := []string{"", "a", "a/", "a/x", "b", "b/1", "c/", "c/z", "c0", "c00", "d", "é"}
	for _, n := range []int{1, 2, 3, 7} {
		owners := map[string][]int{}
		for i := range n {
			for _, r := range ShardRanges(ranges, Shard{Index: i, Count: n}) {
				for _, k := range keys {
					if r.Contains(k) {
						owners[k] = append(owners[k], i)
					}
				}
			}
		}
		for _, k := range keys {
			if len(owners[k]) != 1 {
				t.Errorf("%d shards: %q is owned by shards %v, want exactly one", n, k, owners[k])
			}
		}
	}
	if got := fmt.Sprint(ShardRanges(ranges, Shard{Index: 1, Count: 2})); got != `[("a/", "b/"] ("c/", "c0"]]` {
		t.Errorf("shard 1/2 owns %s", got)
	}
	if got := ShardRanges(ranges, Shard{Index: 6, Count: 7}); got == nil || len(got) != 0 {
		t.Errorf("shard 6/7 of 5 ranges owns %v, want none (and not nil)", got)
	}
}
