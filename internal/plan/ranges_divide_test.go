package plan

import (
	"math/rand/v2"
	"testing"
)

// TestDivideTiles: the pieces of a range cut at any boundaries, inside
// it, outside it, at its bounds, repeated or unsorted relative to it,
// hold every key of the range exactly once and no other key.
func TestDivideTiles(t *testing.T) {
	s := func(v string) *string { return &v }
	alphabet := []string{"", "a", "a/", "a/b", "a0", "b", "b/", "b/x", "c", "c/", "d", "\u00e9", "z"}
	ranges := []KeyRange{AllKeys(), {After: s("a/")}, {Upto: s("c")}, {After: s("a"), Upto: s("c/")}, {After: s("b"), Upto: s("b/")}}
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 500 {
		r := ranges[n%len(ranges)]
		var bounds []string
		for _, k := range alphabet {
			if rng.IntN(3) == 0 {
				bounds = append(bounds, k) // sorted: alphabet is
			}
		}
		pieces := r.Divide(bounds)
		for _, p := range pieces {
			if p.After != nil && p.Upto != nil && *p.After >= *p.Upto {
				t.Fatalf("%s.Divide(%q): piece %s holds no key", r, bounds, p)
			}
		}
		for _, key := range append(alphabet, "a/a", "b/", "c/z", "zz", "a\x00") {
			in := 0
			for _, p := range pieces {
				if p.Contains(key) {
					in++
				}
			}
			want := 0
			if r.Contains(key) {
				want = 1
			}
			if in != want {
				t.Fatalf("%s.Divide(%q) = %v: key %q is in %d pieces, want %d", r, bounds, pieces, key, in, want)
			}
		}
	}
}
