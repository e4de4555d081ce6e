package plan

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// checkTiles checks that ranges tile the space and hold every probe key
// exactly once.
func checkTiles(t *testing.T, ranges []KeyRange, probes []string) {
	t.Helper()
	if err := CheckTiling(ranges); err != nil {
		t.Fatal(err)
	}
	for _, k := range probes {
		n := 0
		for _, r := range ranges {
			if r.Contains(k) {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("key %q is in %d of the ranges %v, want 1", k, n, ranges)
		}
	}
}

// TestSplitProperty: any sequence of splits, of whole ranges and of the
// rest of a range listed in part, still tiles the space, every key in
// exactly one range, for every style of key space.
func TestSplitProperty(t *testing.T) {
	for seed := range uint64(300) {
		style := keyStyles[seed%uint64(len(keyStyles))]
		t.Run(fmt.Sprintf("%d-%s", seed, style), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 7))
			keys := genUniverse(r, style)
			seen := &Alphabet{}
			for _, k := range keys {
				seen.Add(k)
			}
			ranges := genTiling(r, style, keys)
			probes := slices.Clone(keys)
			for range 30 {
				i := r.IntN(len(ranges))
				maxLen := []int{MaxKeyBytes, 2, 6}[r.IntN(3)]
				var parts []KeyRange
				if in := slices.DeleteFunc(slices.Clone(keys), func(k string) bool { return !ranges[i].Contains(k) }); len(in) > 0 && r.IntN(2) == 0 {
					// Listed up to a key of the range: the part done, then its rest split.
					last := in[r.IntN(len(in))]
					parts = []KeyRange{{After: ranges[i].After, Upto: &last}}
					if rest, ok := ranges[i].Rest(last); ok {
						parts = append(parts, rest.Split(2+r.IntN(4), seen, maxLen)...)
					}
				} else {
					parts = ranges[i].Split(2+r.IntN(4), seen, maxLen)
				}
				ranges = slices.Concat(ranges[:i], parts, ranges[i+1:])
				for _, p := range parts {
					if p.After != nil {
						probes = append(probes, *p.After, *p.After+"\x00", genKey(r, style))
					}
				}
				checkTiles(t, ranges, probes)
			}
		})
	}
}

// TestMidpointProperty: a midpoint lies strictly between its bounds, is
// UTF-8 and not much longer, and exists unless no key lies between them.
func TestMidpointProperty(t *testing.T) {
	for seed := range uint64(2000) {
		style := keyStyles[seed%uint64(len(keyStyles))]
		r := rand.New(rand.NewPCG(seed, 11))
		lo, hi := genKey(r, style), genKey(r, style)
		switch r.IntN(4) {
		case 0:
			hi = lo + genKey(r, style)
		case 1:
			hi = lo + "\x00" + strings.Repeat("\x00", r.IntN(2))
		}
		if lo > hi {
			lo, hi = hi, lo
		}
		var seen *Alphabet
		if r.IntN(2) == 0 {
			seen = &Alphabet{}
			seen.Add(genKey(r, style) + genKey(r, style))
		}
		valid := utf8.ValidString(lo) && utf8.ValidString(hi)
		m, ok := midpoint(lo, &hi, seen)
		switch {
		case ok && !(lo < m && m < hi && utf8.ValidString(m) && len(m) <= max(len(lo)+4, len(hi))):
			t.Errorf("midpoint(%q, %q) = %q: not strictly between, not UTF-8 or too long", lo, hi, m)
		case !ok && valid && lo < hi && hi != lo+"\x00":
			t.Errorf("midpoint(%q, %q) found nothing, but %q lies between", lo, hi, lo+"\x00")
		case ok && !valid:
			t.Errorf("midpoint(%q, %q) = %q of keys that are not UTF-8", lo, hi, m)
		}
		if m, ok := midpoint(lo, nil, seen); ok != utf8.ValidString(lo) || ok && !(lo < m && utf8.ValidString(m) && len(m) <= len(lo)+4) {
			t.Errorf("midpoint(%q, +inf) = %q %v", lo, m, ok)
		}
	}
}

// TestSplitTerminates bisects one range again and again, keeping one
// half: with cuts of at most 8 bytes the halves run out of cuts, however
// skewed the space, and the pieces tile it all along.
func TestSplitTerminates(t *testing.T) {
	hex := &Alphabet{}
	hex.Add("0123456789abcdef-")
	starts := []KeyRange{AllKeys(), {After: strp("data/")}, {After: strp("aaaa"), Upto: strp("aaab")},
		{After: strp("é"), Upto: strp("😀")}, {Upto: strp("\x00\x00")}, {After: strp("\U0010ffff")}}
	for _, seen := range []*Alphabet{nil, hex} {
		for _, start := range starts {
			for _, keep := range []int{0, 1} {
				r, cuts := start, 0
				for ; cuts < 100000; cuts++ {
					parts := r.Split(2, seen, 8)
					if len(parts) == 1 {
						break
					}
					if *parts[0].Upto != *parts[1].After || !start.Contains(*parts[0].Upto) {
						t.Fatalf("%s split at %q", r, *parts[0].Upto)
					}
					r = parts[keep]
				}
				t.Logf("%s keeping half %d with %v: %d cuts", start, keep, seen != nil, cuts)
				if cuts == 100000 {
					t.Errorf("%s keeping half %d with %v: no end to the cuts", start, keep, seen)
				}
			}
		}
	}
}
