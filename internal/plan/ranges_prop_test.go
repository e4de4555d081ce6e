package plan

import (
	"fmt"
	"iter"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/lakesync/lakesync/internal/config"
)

// keyStyles are the shapes of key spaces the property tests draw from.
var keyStyles = []string{"paths", "one huge prefix", "flat hex", "repeated", "unicode", "raw bytes", "mixed"}

// genKey draws one rel of a style.
func genKey(r *rand.Rand, style string) string {
	pickOf := func(parts ...string) string { return parts[r.IntN(len(parts))] }
	var b strings.Builder
	switch style {
	case "paths":
		for i := range r.IntN(4) {
			if i > 0 {
				b.WriteString("/")
			}
			b.WriteString(pickOf("a", "b", "ab", "2024", "x.csv", ""))
		}
	case "one huge prefix":
		b.WriteString("data/")
		for range r.IntN(5) {
			b.WriteString(pickOf("0", "1", "2", "/", "-", "p"))
		}
	case "flat hex":
		for range 1 + r.IntN(6) {
			b.WriteString(pickOf(strings.Split("0123456789abcdef", "")...))
		}
	case "repeated":
		b.WriteString(strings.Repeat("a", r.IntN(7)))
		b.WriteString(pickOf("", "", "b", "\x00"))
	case "unicode":
		for range r.IntN(5) {
			b.WriteString(pickOf("é", "日", "😀", "a", "/", "\x00", "\u00ff", "\ufffd", "\U0010ffff"))
		}
	case "raw bytes": // not UTF-8: no S3 key, but the ranges must hold them
		for range r.IntN(5) {
			b.WriteByte(pickOf("\x00", "a", "/", "\xff", "\xc3")[0])
		}
	default:
		return genKey(r, keyStyles[r.IntN(len(keyStyles)-1)])
	}
	return b.String()
}

// genUniverse draws the keys of one case: some of a style, "" at times,
// and prefixes of keys that are themselves keys ("a/" beside "a/b").
func genUniverse(r *rand.Rand, style string) []string {
	var keys []string
	for range r.IntN(40) {
		k := genKey(r, style)
		keys = append(keys, k)
		if r.IntN(4) == 0 && len(k) > 0 {
			keys = append(keys, k[:r.IntN(len(k))])
		}
	}
	if r.IntN(3) == 0 {
		keys = append(keys, "")
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// genTiling draws ranges that tile the space: boundaries around the keys
// (a key, the key + "\x00", a prefix of it, a key of the style), those of
// the keys' directories, and splits of ranges.
func genTiling(r *rand.Rand, style string, keys []string) []KeyRange {
	var bounds []string
	for range r.IntN(7) {
		k := genKey(r, style)
		if len(keys) > 0 {
			k = keys[r.IntN(len(keys))]
		}
		switch r.IntN(4) {
		case 0:
			k += "\x00"
		case 1:
			k = k[:r.IntN(len(k)+1)]
		case 2:
			k = genKey(r, style)
		}
		bounds = append(bounds, k)
	}
	if r.IntN(3) == 0 {
		var dirs []string
		for _, k := range keys {
			if i := strings.Index(k, "/"); i >= 0 {
				dirs = append(dirs, k[:i+1])
			}
		}
		bounds = append(bounds, BoundariesFromPrefixes(dirs, 1+r.IntN(4))...)
	}
	slices.Sort(bounds)
	ranges, err := Tile(slices.Compact(bounds))
	if err != nil {
		panic(err)
	}
	seen := &Alphabet{}
	for _, k := range keys {
		seen.Add(k)
	}
	for range r.IntN(3) {
		i := r.IntN(len(ranges))
		parts := ranges[i].Split(2+r.IntN(3), seen, MaxKeyBytes)
		ranges = slices.Concat(ranges[:i], parts, ranges[i+1:])
	}
	return ranges
}

// listing is one side at two moments: the keys listed before and after
// objects were added and deleted.
type listing[T any] [2][]T

// rangeIndex is the index of the range of rel in a tiling, from the
// boundaries alone: the number of boundaries below rel.
func rangeIndex(ranges []KeyRange, rel string) int {
	n := 0
	for _, r := range ranges[1:] {
		if *r.After < rel {
			n++
		}
	}
	return n
}

// mergeCase is one draw: a job, its rules, a tiling, and what each side
// lists at two moments; moments[side][range] says at which moment that
// side listed that range.
type mergeCase struct {
	sel     *Selector
	rules   Rules
	ranges  []KeyRange
	src     listing[SourceObject]
	recs    listing[StateRecord]
	dst     listing[DestinationObject]
	moments [3][]int
	exact   []bool // per range: the lister honours StartAfter and Prefix, else it hands over whole streams
}

func genMergeCase(r *rand.Rand, style string) mergeCase {
	sp := []string{"", "s/"}[r.IntN(2)]
	dp := []string{"d/", "dst/"}[r.IntN(2)]
	sel, err := NewSelector(&config.Job{SourcePrefix: sp, DestinationPrefix: dp})
	if err != nil {
		panic(err)
	}
	keys := genUniverse(r, style)
	c := mergeCase{
		sel:    sel,
		rules:  Rules{Mode: []config.Mode{config.ModeSync, config.ModeCp}[r.IntN(2)], Delete: r.IntN(2) == 0},
		ranges: genTiling(r, style, keys),
	}
	pickOf := func(s ...string) string { return s[r.IntN(len(s))] }
	for m := range 2 {
		for _, k := range keys {
			// The moments differ by objects added and deleted at random.
			if r.IntN(3) > 0 {
				c.src[m] = append(c.src[m], SourceObject{Key: sp + k, Size: 1, ETag: pickOf("e1", "e2")})
			}
			if r.IntN(2) == 0 {
				dk := dp + k
				if r.IntN(8) == 0 {
					dk = "old/" + k
				}
				c.recs[m] = append(c.recs[m], StateRecord{SourceKey: sp + k, SourceETag: pickOf("e1", "e2"), Size: 1, DestKey: dk, DestETag: pickOf("x1", "x2")})
			}
			if r.IntN(2) == 0 {
				c.dst[m] = append(c.dst[m], DestinationObject{Key: dp + k, Size: 1, ETag: pickOf("x1", "x2")})
			}
		}
		// Keys outside the prefixes, which a lister that ignores the
		// bounds hands over too.
		if sp != "" {
			c.src[m] = append(c.src[m], SourceObject{Key: "a"}, SourceObject{Key: "t"})
		}
		c.dst[m] = append(c.dst[m], DestinationObject{Key: "a"}, DestinationObject{Key: "z"})
		slices.SortFunc(c.src[m], func(a, b SourceObject) int { return strings.Compare(a.Key, b.Key) })
		slices.SortFunc(c.dst[m], func(a, b DestinationObject) int { return strings.Compare(a.Key, b.Key) })
	}
	for side := range c.moments {
		for range c.ranges {
			c.moments[side] = append(c.moments[side], r.IntN(2))
		}
	}
	for range c.ranges {
		c.exact = append(c.exact, r.IntN(3) > 0)
	}
	return c
}

// asListed is the one stream of a side as the ranges listed it: each key
// from the moment its range was listed. Keys outside the prefix come from
// the first moment.
func asListed[T any](c *mergeCase, l listing[T], moments []int, prefix string, key func(*T) string) []T {
	var out []T
	for _, v := range l[0] {
		if !strings.HasPrefix(key(&v), prefix) {
			out = append(out, v)
		}
	}
	for m := range 2 {
		for _, v := range l[m] {
			if rel, ok := strings.CutPrefix(key(&v), prefix); ok && moments[rangeIndex(c.ranges, rel)] == m {
				out = append(out, v)
			}
		}
	}
	slices.SortFunc(out, func(a, b T) int { return strings.Compare(key(&a), key(&b)) })
	return out
}

// listRange is what a lister hands over for range i of a side: with
// exact, as S3 (Prefix and StartAfter) and the state scan (Seek) do, the
// rest of the stream from the range on; else the whole stream.
func listRange[T any](c *mergeCase, i int, l listing[T], moments []int, prefix, start string, inclusive bool, key func(*T) string) []T {
	all := l[moments[i]]
	if !c.exact[i] {
		return all
	}
	var out []T
	for _, v := range all {
		k := key(&v)
		if strings.HasPrefix(k, prefix) && (start == "" || k > start || inclusive && k == start) {
			out = append(out, v)
		}
	}
	return out
}

func (c *mergeCase) streams(i int) RangeStreams {
	r := c.ranges[i]
	sp, dp := c.sel.SourcePrefix, c.sel.DestinationPrefix
	srcKey := func(o *SourceObject) string { return o.Key }
	recKey := func(o *StateRecord) string { return o.SourceKey }
	dstKey := func(o *DestinationObject) string { return o.Key }
	return RangeStreams{
		Source: seq(listRange(c, i, c.src, c.moments[0], sp, r.StartAfter(sp), false, srcKey)...),
		// bbolt seeks to Seek, landing on the lower bound itself.
		Records:     seq(listRange(c, i, c.recs, c.moments[1], sp, r.Seek(sp), true, recKey)...),
		Destination: seq(listRange(c, i, c.dst, c.moments[2], dp, r.StartAfter(dp), false, dstKey)...),
	}
}

// itemSummary is what the property compares of an item: its key, the
// decision, and which object of each side it holds.
type itemSummary struct {
	Rel, Action, Reason string
	Source, Record, Dst string // the object's key; "" when absent
}

func summarise(t *testing.T, items func(func(Item, error) bool)) []itemSummary {
	t.Helper()
	var out []itemSummary
	for it, err := range bounded(items, 1000) {
		if err != nil {
			t.Fatal(err)
		}
		s := itemSummary{Rel: it.Rel, Action: string(it.ObjectAction), Reason: it.Reason}
		if it.Source != nil {
			s.Source = it.Source.Key + " " + it.Source.ETag
		}
		if it.Record != nil {
			s.Record = it.Record.SourceKey + " " + it.Record.SourceETag + " " + it.Record.DestKey
		}
		if it.Destination != nil {
			s.Dst = it.Destination.Key + " " + it.Destination.ETag
		}
		out = append(out, s)
	}
	return out
}

// checkMergeCase checks the property: the ranges merged on their own, in
// any order, yield exactly the items of the single-stream merge, and in
// range order the same sequence (so the same multiset).
func checkMergeCase(t *testing.T, c mergeCase, order []int) {
	t.Helper()
	srcKey := func(o *SourceObject) string { return o.Key }
	want := summarise(t, Merge(c.sel, c.rules,
		seq(asListed(&c, c.src, c.moments[0], c.sel.SourcePrefix, srcKey)...),
		seq(asListed(&c, c.recs, c.moments[1], c.sel.SourcePrefix, func(o *StateRecord) string { return o.SourceKey })...),
		seq(asListed(&c, c.dst, c.moments[2], c.sel.DestinationPrefix, func(o *DestinationObject) string { return o.Key })...)))

	byRange := make([][]itemSummary, len(c.ranges))
	for _, i := range order {
		byRange[i] = summarise(t, MergeRange(c.sel, c.rules, c.ranges[i], c.streams(i)))
		for _, s := range byRange[i] {
			if !c.ranges[i].Contains(s.Rel) {
				t.Errorf("range %d %s yields %q", i, c.ranges[i], s.Rel)
			}
		}
	}
	if diff := cmp.Diff(want, slices.Concat(byRange...)); diff != "" {
		t.Errorf("ranges %v merged one by one in the order %v (-single stream +ranges):\n%s", c.ranges, order, diff)
	}
	index := map[KeyRange]int{}
	for i, r := range c.ranges {
		index[r] = i
	}
	got := summarise(t, MergeRanges(c.sel, c.rules, c.ranges, func(r KeyRange) RangeStreams { return c.streams(index[r]) }))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("MergeRanges %v (-single stream +ranges):\n%s", c.ranges, diff)
	}
}

// TestMergeRangesProperty: the range-partitioned merge gives exactly the
// single-stream merge's items, for random and skewed key sets, unicode and
// raw bytes, boundaries at keys, next to them and at their prefixes, empty
// ranges, prefixes that are keys, and objects added and deleted between
// the listings of the sides and of the ranges. Seeds are fixed.
func TestMergeRangesProperty(t *testing.T) {
	for seed := range uint64(600) {
		style := keyStyles[seed%uint64(len(keyStyles))]
		r := rand.New(rand.NewPCG(seed, 13))
		c := genMergeCase(r, style)
		order := r.Perm(len(c.ranges))
		t.Run(fmt.Sprintf("%d-%s", seed, style), func(t *testing.T) { checkMergeCase(t, c, order) })
	}
}

// MergeRanges merges each range of a tiling on its own, in range order,
// with the streams that streams returns for it: the reference of what a
// parallel run of MergeRange yields (the copier runs MergeRange per range
// itself, so this lives with the test that uses it).
func MergeRanges(sel *Selector, rules Rules, ranges []KeyRange, streams func(KeyRange) RangeStreams) iter.Seq2[Item, error] {
	return func(yield func(Item, error) bool) {
		if err := CheckTiling(ranges); err != nil {
			yield(Item{}, err)
			return
		}
		for _, r := range ranges {
			for it, err := range MergeRange(sel, rules, r, streams(r)) {
				if !yield(it, err) || err != nil {
					return
				}
			}
		}
	}
}
