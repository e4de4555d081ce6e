package plan

// ShardRanges are the key ranges of a tiling that shard s owns: range i
// when i mod Count is Index, so that the shards of a saved plan, which
// all read the same boundaries, list disjoint parts of the key space that
// together are all of it, and a key added during the run falls in exactly
// one shard's range. Interleaved, not contiguous blocks: boundaries follow
// common prefixes in key order, and a lake grows at the end of that order
// (dates), so contiguous blocks would give the last shard the newest and
// largest prefixes. The zero Shard owns every range. The result is never
// nil: a shard may own none.
func ShardRanges(ranges []KeyRange, s Shard) []KeyRange {
	out := []KeyRange{}
	for i, r := range ranges {
		if s.Count <= 1 || i%s.Count == s.Index {
			out = append(out, r)
		}
	}
	return out
}
