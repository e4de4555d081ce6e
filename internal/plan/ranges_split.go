package plan

import (
	"slices"
	"unicode/utf8"
)

// MaxKeyBytes is the longest key S3 holds, in bytes of UTF-8.
const MaxKeyBytes = 1024

// MaxRelBytes is the longest rel a cut between ranges may be so that the
// key it stands for (under either prefix) is a key S3 takes as StartAfter.
func (s *Selector) MaxRelBytes() int {
	return MaxKeyBytes - max(len(s.SourcePrefix), len(s.DestinationPrefix))
}

// maxAlphabet caps the characters an Alphabet keeps, so that it stays
// small whatever the number of keys.
const maxAlphabet = 256

// Alphabet is the set of characters seen in the keys of a range, from
// which Split chooses its cuts: a range of hex keys is cut at a hex digit,
// not at a byte no key holds. It keeps at most 256 characters. The zero
// Alphabet (and a nil one) has none: cuts come from printable ASCII.
type Alphabet struct {
	runes []rune // sorted, distinct
}

// Add adds the characters of rel. Bytes that are not UTF-8 are ignored.
func (a *Alphabet) Add(rel string) {
	for _, c := range rel {
		if c == utf8.RuneError || len(a.runes) >= maxAlphabet {
			continue
		}
		if i, found := slices.BinarySearch(a.runes, c); !found {
			a.runes = slices.Insert(a.runes, i, c)
		}
	}
}

func (a *Alphabet) empty() bool { return a == nil || len(a.runes) == 0 }

// between is the median of the seen characters strictly between lo and
// hi; ok is false when there is none.
func (a *Alphabet) between(lo, hi rune) (rune, bool) {
	if a == nil {
		return 0, false
	}
	i, found := slices.BinarySearch(a.runes, lo)
	if found {
		i++
	}
	j, _ := slices.BinarySearch(a.runes, hi)
	if i >= j {
		return 0, false
	}
	return a.runes[(i+j)/2], true
}

// Split divides r into at most n ranges that tile it, cut at midpoints of
// its bounds (see midpoint). It returns fewer, down to r alone, where no
// key lies strictly between two bounds or a cut would be longer than
// maxLen bytes (Selector.MaxRelBytes): a range that cannot be cut stays
// one stream. A range listed in part is split by its Rest.
func (r KeyRange) Split(n int, seen *Alphabet, maxLen int) []KeyRange {
	if n <= 1 {
		return []KeyRange{r}
	}
	lo := ""
	if r.After != nil {
		lo = *r.After
	}
	m, ok := midpoint(lo, r.Upto, seen)
	if !ok || len(m) > maxLen {
		return []KeyRange{r}
	}
	left := KeyRange{After: r.After, Upto: &m}
	right := KeyRange{After: &m, Upto: r.Upto}
	return append(left.Split(n/2, seen, maxLen), right.Split(n-n/2, seen, maxLen)...)
}

// midpoint returns a key m with lo < m < *hi (lo < m when hi is nil),
// valid UTF-8, no longer than the longer of lo + 4 bytes and *hi. Keys
// compare as S3 lists them, in byte order, which for UTF-8 is the order of
// the characters: m is lo's common prefix with hi followed by a character
// between theirs, the median of the seen ones there when there are some,
// else the middle of printable ASCII or of all characters there. Where the
// two characters are adjacent, m keeps lo's and cuts lo's remainder as
// above does. Without an upper bound the seen characters decide where the
// space ends (see above). ok is false when no key lies strictly between lo
// and hi (hi is lo + "\x00"), or lo or hi is not UTF-8.
func midpoint(lo string, hi *string, seen *Alphabet) (string, bool) {
	if !utf8.ValidString(lo) {
		return "", false
	}
	if hi == nil {
		return above(lo, seen), true
	}
	if !utf8.ValidString(*hi) || lo >= *hi {
		return "", false
	}
	return between(lo, *hi, seen)
}

// between is midpoint of valid lo < hi.
func between(lo, hi string, seen *Alphabet) (string, bool) {
	i := 0 // the common prefix, in bytes, on a character boundary
	for i < len(lo) {
		c, n := utf8.DecodeRuneInString(lo[i:])
		if d, _ := utf8.DecodeRuneInString(hi[i:]); c != d {
			break
		}
		i += n
	}
	a, an := rune(-1), 0 // lo's character at i; -1: lo ends there
	if i < len(lo) {
		a, an = utf8.DecodeRuneInString(lo[i:])
	}
	b, bn := utf8.DecodeRuneInString(hi[i:]) // hi > lo goes on past i
	if m, ok := pick(a, b, seen); ok {
		return lo[:i] + string(m), true
	}
	if a < 0 { // b is "\x00": lo + "\x00" + (between "" and the rest of hi)
		if i+bn == len(hi) {
			return "", false // hi is lo + "\x00": nothing between
		}
		m, _ := between("", hi[i+bn:], seen) // "" when the rest is "\x00"
		return lo + "\x00" + m, true
	}
	// a and b are adjacent: keep a, and go above the rest of lo.
	return lo[:i+an] + above(lo[i+an:], seen), true
}

// above is midpoint of lo without an upper bound: the median seen
// character above lo's first, or, when lo's first is the last seen one,
// above its next, and so on (hex keys from "f3" cut at "fa"). Without
// seen characters it cuts at lo's first. It always succeeds: past the end
// of lo any character will do.
func above(lo string, seen *Alphabet) string {
	for i := 0; ; {
		a, an := rune(-1), 0
		if i < len(lo) {
			a, an = utf8.DecodeRuneInString(lo[i:])
		}
		m, ok := seen.between(a, utf8.MaxRune+1)
		if !ok && (seen.empty() || a < 0) {
			m, ok = pick(a, utf8.MaxRune+1, nil)
		}
		if ok {
			return lo[:i] + string(m)
		}
		i += an
	}
}

// pick chooses a character strictly between a and b (a may be -1): the
// median seen one, else the middle of printable ASCII, else the middle of
// all valid characters there.
func pick(a, b rune, seen *Alphabet) (rune, bool) {
	if m, ok := seen.between(a, b); ok {
		return m, true
	}
	if lo, hi := max(a+1, ' '), min(b-1, '~'); lo <= hi {
		return lo + (hi-lo)/2, true
	}
	if b-a < 2 {
		return 0, false
	}
	m := a + (b-a)/2
	if utf8.ValidRune(m) {
		return m, true
	}
	// a surrogate: take the nearest valid character on either side.
	const surrogateLo, surrogateHi = 0xd800, 0xdfff
	if surrogateLo-1 > a {
		return surrogateLo - 1, true
	}
	if surrogateHi+1 < b {
		return surrogateHi + 1, true
	}
	return 0, false
}

// BoundariesFromPrefixes chooses range boundaries from the common
// prefixes of a delimiter listing (rels such as "a/", "b/"): each prefix
// is a boundary, so that (p, q] holds the keys below p, and the successor
// of the last prefix ends its range, so that it is bounded and splits
// within. With more than groups prefixes, consecutive ones are grouped
// into at most groups ranges. The result is sorted and distinct, for Tile.
func BoundariesFromPrefixes(prefixes []string, groups int) []string {
	ps := slices.Clone(prefixes)
	slices.Sort(ps)
	ps = slices.Compact(ps)
	if len(ps) == 0 {
		return nil
	}
	size := max(1, (len(ps)+max(groups, 1)-1)/max(groups, 1))
	var out []string
	for i := 0; i < len(ps); i += size {
		out = append(out, ps[i])
	}
	if s, ok := successor(ps[len(ps)-1]); ok {
		out = append(out, s)
	}
	return out
}

// successor is the first key after every key that starts with p and is
// not itself under p: p with its last character incremented ("a/" → "a0").
func successor(p string) (string, bool) {
	c, n := utf8.DecodeLastRuneInString(p)
	if n == 0 || c == utf8.RuneError && n == 1 {
		return "", false
	}
	next := c + 1
	if next == 0xd800 {
		next = 0xe000
	}
	if !utf8.ValidRune(next) {
		return "", false
	}
	return p[:len(p)-n] + string(next), true
}
