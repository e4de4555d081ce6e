package plan

import (
	"iter"
)

// RangeStreams are the three sorted streams of one key range: the source
// listing, the state records and the destination listing (nil: empty, as
// for Merge). They may run past the range, as a listing's last page does:
// MergeRange bounds them.
type RangeStreams struct {
	Source      iter.Seq2[SourceObject, error]
	Records     iter.Seq2[StateRecord, error]
	Destination iter.Seq2[DestinationObject, error]
}

// MergeRange is Merge over the keys of one range: each stream is bounded
// to r (see Bound), and the items are Merge's for those keys, decided by
// the same rules. The merges of the ranges of a tiling, each run on its
// own and in any order, yield together exactly the items of one Merge of
// the whole streams; concatenated in range order, in the same order.
func MergeRange(sel *Selector, rules Rules, r KeyRange, s RangeStreams) iter.Seq2[Item, error] {
	return Merge(sel, rules,
		Bound(s.Source, r, sel.SourcePrefix, func(o *SourceObject) string { return o.Key }),
		Bound(s.Records, r, sel.SourcePrefix, func(o *StateRecord) string { return o.SourceKey }),
		Bound(s.Destination, r, sel.DestinationPrefix, func(o *DestinationObject) string { return o.Key }))
}

// Bound yields the entries of seq, a stream sorted by full key under
// prefix, whose key is in r: it skips the entries before r and ends at the
// first entry past r, without reading on (a lister stops there). Errors
// pass through. A nil seq stays nil.
func Bound[T any](seq iter.Seq2[T, error], r KeyRange, prefix string, key func(*T) string) iter.Seq2[T, error] {
	if seq == nil {
		return nil
	}
	return func(yield func(T, error) bool) {
		for v, err := range seq {
			if err != nil {
				yield(v, err)
				return
			}
			switch r.Locate(prefix, key(&v)) {
			case -1:
				continue
			case 1:
				return
			}
			if !yield(v, nil) {
				return
			}
		}
	}
}
