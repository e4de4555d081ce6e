package plan

import (
	"fmt"
	"strconv"
	"strings"
)

// KeyRange is a part of a job's key space, the unit of work of a listing:
// the keys rel, relative to the job's prefixes (see Selector), with
// *After < rel <= *Upto. A nil bound is no bound. The bounds map onto S3
// as they stand: After is ListObjectsV2's StartAfter (prefix + *After),
// exclusive, and Upto is where the lister stops, at the first key past it,
// inclusive. Because the destination key is DestinationPrefix + rel, one
// range selects the same rels of the source listing, the state records and
// the destination listing.
//
// The empty string is a key like any other (an object whose key is the
// prefix itself has rel ""), so no bound is nil, never "": After = "" holds
// every key but "".
type KeyRange struct {
	After *string `json:"after,omitempty"`
	Upto  *string `json:"upto,omitempty"`
}

// AllKeys is the range of every key.
func AllKeys() KeyRange { return KeyRange{} }

// Tile returns the ranges cut at the sorted boundaries b1 < ... < bk:
// (-inf, b1], (b1, b2], ..., (bk, +inf). They tile the key space: every
// key is in exactly one of them. No boundaries is AllKeys alone.
func Tile(bounds []string) ([]KeyRange, error) {
	out := make([]KeyRange, 0, len(bounds)+1)
	var after *string
	for i := range bounds {
		if i > 0 && bounds[i] <= bounds[i-1] {
			return nil, fmt.Errorf("range boundaries are not strictly increasing: %q comes after %q", bounds[i], bounds[i-1])
		}
		b := bounds[i]
		out = append(out, KeyRange{After: after, Upto: &b})
		after = &b
	}
	return append(out, KeyRange{After: after}), nil
}

// CheckTiling reports an error unless ranges, in order, tile the key
// space: the first has no lower bound, the last no upper bound, each
// starts where the one before ends, and none is empty.
func CheckTiling(ranges []KeyRange) error {
	if len(ranges) == 0 {
		return fmt.Errorf("no key ranges: want at least one")
	}
	if ranges[0].After != nil {
		return fmt.Errorf("key range 1 %s has a lower bound: the first range starts at the first key", ranges[0])
	}
	if last := ranges[len(ranges)-1]; last.Upto != nil {
		return fmt.Errorf("key range %d %s has an upper bound: the last range ends after the last key", len(ranges), last)
	}
	for i, r := range ranges {
		if r.After != nil && r.Upto != nil && *r.After >= *r.Upto {
			return fmt.Errorf("key range %d %s holds no key", i+1, r)
		}
		if i > 0 && (ranges[i-1].Upto == nil || r.After == nil || *ranges[i-1].Upto != *r.After) {
			return fmt.Errorf("key range %d %s does not start where range %d %s ends", i+1, r, i, ranges[i-1])
		}
	}
	return nil
}

// Contains reports whether rel is in r.
func (r KeyRange) Contains(rel string) bool { return r.place(rel) == 0 }

// place is -1 when rel comes before r, 0 when r holds it, +1 after r.
func (r KeyRange) place(rel string) int {
	switch {
	case r.After != nil && rel <= *r.After:
		return -1
	case r.Upto != nil && rel > *r.Upto:
		return 1
	}
	return 0
}

// Locate places key, a full key listed in byte order under prefix (a
// source key under SourcePrefix, a state record's source key, a
// destination key under DestinationPrefix), against r: -1 before r (skip
// it), 0 in r, +1 past r (stop: so is every later key). A key that is not
// under prefix is before r when it sorts before prefix, else past it.
func (r KeyRange) Locate(prefix, key string) int {
	rel, ok := strings.CutPrefix(key, prefix)
	if !ok {
		if key < prefix {
			return -1
		}
		return 1
	}
	return r.place(rel)
}

// StartAfter is ListObjectsV2's StartAfter for listing r with Prefix
// prefix: prefix + *After, or "" (send none) when r has no lower bound.
func (r KeyRange) StartAfter(prefix string) string {
	if r.After == nil {
		return ""
	}
	return prefix + *r.After
}

// Seek is where a scan of the state records of r starts, records being
// keyed by source key: prefix + *After, or prefix when r has no lower
// bound. A record at exactly Seek is before r when r has a lower bound:
// skip records while Locate is -1, stop at the first that is +1.
func (r KeyRange) Seek(prefix string) string {
	if r.After == nil {
		return prefix
	}
	return prefix + *r.After
}

// Rest is the part of r after last: (last, *Upto], or r itself when last
// comes before r. A range that is cut short hands its rest on with the rel
// of the last item its merge yielded, so no key is merged twice or never.
// ok is false when nothing of r comes after last.
func (r KeyRange) Rest(last string) (rest KeyRange, ok bool) {
	switch r.place(last) {
	case -1:
		return r, true
	case 1:
		return KeyRange{}, false
	}
	if r.Upto != nil && last == *r.Upto {
		return KeyRange{}, false
	}
	return KeyRange{After: &last, Upto: r.Upto}, true
}

// String renders r as an interval of quoted keys: (-inf, "a/"],
// ("a/", "b/"], ("b/", +inf).
func (r KeyRange) String() string {
	lo, hi := "(-inf", "+inf)"
	if r.After != nil {
		lo = "(" + strconv.Quote(*r.After)
	}
	if r.Upto != nil {
		hi = strconv.Quote(*r.Upto) + "]"
	}
	return lo + ", " + hi
}

// Divide cuts r at the boundaries that fall inside it: (After, b1], (b1,
// b2], ..., (bk, Upto] for the sorted bounds b1 < ... < bk that r holds
// and that are not its upper bound. The pieces tile r: every key of r is
// in exactly one. No boundary inside r gives r alone.
func (r KeyRange) Divide(bounds []string) []KeyRange {
	out := []KeyRange{}
	after := r.After
	for i := range bounds {
		b := bounds[i]
		if r.place(b) != 0 || (r.Upto != nil && b == *r.Upto) || (after != nil && b <= *after) {
			continue
		}
		out = append(out, KeyRange{After: after, Upto: &b})
		after = &b
	}
	return append(out, KeyRange{After: after, Upto: r.Upto})
}
