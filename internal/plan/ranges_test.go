package plan

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func strp(s string) *string { return &s }

func TestTile(t *testing.T) {
	got, err := Tile([]string{"", "a/", "b/"})
	if err != nil {
		t.Fatal(err)
	}
	var s []string
	for _, r := range got {
		s = append(s, r.String())
	}
	want := []string{`(-inf, ""]`, `("", "a/"]`, `("a/", "b/"]`, `("b/", +inf)`}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("Tile (-want +got):\n%s", diff)
	}
	if err := CheckTiling(got); err != nil {
		t.Errorf("CheckTiling(Tile): %v", err)
	}
	for _, bad := range [][]string{{"b", "a"}, {"a", "a"}} {
		if _, err := Tile(bad); err == nil || !strings.Contains(err.Error(), "not strictly increasing") {
			t.Errorf("Tile(%q) = %v, want not strictly increasing", bad, err)
		}
	}
}

func TestCheckTiling(t *testing.T) {
	tests := []struct {
		name   string
		ranges []KeyRange
		want   string // "" : tiles
	}{
		{"all", []KeyRange{AllKeys()}, ""},
		{"none", nil, "no key ranges"},
		{"lower bound", []KeyRange{{After: strp("a")}}, "has a lower bound"},
		{"upper bound", []KeyRange{{Upto: strp("a")}}, "has an upper bound"},
		{"gap", []KeyRange{{Upto: strp("a")}, {After: strp("b")}}, `range 2 ("b", +inf) does not start where range 1 (-inf, "a"] ends`},
		{"empty", []KeyRange{{Upto: strp("b")}, {After: strp("b"), Upto: strp("b")}, {After: strp("b")}}, "holds no key"},
	}
	for _, tt := range tests {
		err := CheckTiling(tt.ranges)
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%s: CheckTiling = %v, want %q", tt.name, err, tt.want)
		}
	}
}

// TestKeyRangeBounds checks the S3 semantics of a range's bounds: the
// lower one exclusive (StartAfter), the upper one inclusive, "" a key.
func TestKeyRangeBounds(t *testing.T) {
	r := KeyRange{After: strp("a/"), Upto: strp("b/")}
	tests := []struct {
		prefix, key string
		want        int
	}{
		{"p/", "p/a/", -1},    // the lower bound itself is before
		{"p/", "p/a/\x00", 0}, // its first successor is in
		{"p/", "p/a0", 0},
		{"p/", "p/b/", 0},     // the upper bound itself is in
		{"p/", "p/b/\x00", 1}, // its successor is past
		{"p/", "p/", -1},      // rel "" is before ("a/", ...]
		{"p/", "a", -1},       // not under the prefix, before it
		{"p/", "q", 1},        // not under the prefix, after it
		{"", "b", 0},
	}
	for _, tt := range tests {
		if got := r.Locate(tt.prefix, tt.key); got != tt.want {
			t.Errorf("%s.Locate(%q, %q) = %d, want %d", r, tt.prefix, tt.key, got, tt.want)
		}
	}
	first := KeyRange{Upto: strp("")}
	if !first.Contains("") || first.Contains("\x00") {
		t.Errorf(`(-inf, ""] must hold "" and nothing else`)
	}
	if got := r.StartAfter("p/"); got != "p/a/" {
		t.Errorf("StartAfter = %q, want p/a/", got)
	}
	if got := first.StartAfter("p/"); got != "" {
		t.Errorf("StartAfter without a lower bound = %q, want none", got)
	}
	if got := (KeyRange{After: strp("")}).StartAfter("p/"); got != "p/" {
		t.Errorf(`StartAfter of ("", +inf) = %q, want "p/" (skips the key equal to the prefix)`, got)
	}
	if got := first.Seek("p/"); got != "p/" {
		t.Errorf("Seek without a lower bound = %q, want the prefix", got)
	}
	if got := r.Seek("p/"); got != "p/a/" {
		t.Errorf("Seek = %q, want p/a/", got)
	}
}

func TestKeyRangeRest(t *testing.T) {
	r := KeyRange{After: strp("b"), Upto: strp("m")}
	tests := []struct {
		last string
		want string // "": nothing left
	}{
		{"a", `("b", "m"]`},
		{"b", `("b", "m"]`},
		{"c", `("c", "m"]`},
		{"m", ""},
		{"n", ""},
	}
	for _, tt := range tests {
		rest, ok := r.Rest(tt.last)
		got := ""
		if ok {
			got = rest.String()
		}
		if got != tt.want {
			t.Errorf("Rest(%q) = %q, want %q", tt.last, got, tt.want)
		}
	}
	if rest, ok := AllKeys().Rest("x"); !ok || rest.String() != `("x", +inf)` {
		t.Errorf("AllKeys().Rest(x) = %s %v", rest, ok)
	}
}

func TestMidpoint(t *testing.T) {
	hex := &Alphabet{}
	hex.Add("0123456789abcdef")
	tests := []struct {
		name   string
		lo     string
		hi     *string
		seen   *Alphabet
		want   string
		wantOK bool
	}{
		{"printable", "a", strp("z"), nil, "m", true},
		{"hex digits", "0", strp("f"), hex, "8", true},
		{"above in the seen alphabet", "3c", nil, hex, "a", true},
		{"above the last seen", "f3", nil, hex, "fa", true},
		{"above the last seen, at its end", "f", nil, hex, "f8", true},
		{"adjacent: keep lo's and go above its rest", "a5", strp("b"), hex, "ab", true},
		{"lo is a prefix of hi", "a", strp("az"), nil, "aL", true},
		{"hi is lo + NUL: nothing between", "a", strp("a\x00"), nil, "", false},
		{"hi is lo + NUL NUL", "a", strp("a\x00\x00"), nil, "a\x00", true},
		{"hi is lo + NUL x", "a", strp("a\x00z"), nil, "a\x00L", true},
		{"unicode", "é", strp("ü"), nil, "ò", true},
		{"around the surrogates", "\ud7ff", strp("\ue000"), nil, "\ud7ff" + "O", true},
		{"empty lo", "", strp("\x01"), nil, "\x00", true},
		{"repeated character", "aaaa", strp("aaab"), nil, "aaaaO", true},
		{"not UTF-8", "a\xff", strp("b"), nil, "", false},
		{"hi not UTF-8", "a", strp("b\xff"), nil, "", false},
		{"empty width", "b", strp("b"), nil, "", false},
	}
	for _, tt := range tests {
		got, ok := midpoint(tt.lo, tt.hi, tt.seen)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("%s: midpoint(%q, %v) = %q %v, want %q %v", tt.name, tt.lo, tt.hi, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestSplit(t *testing.T) {
	hex := &Alphabet{}
	hex.Add("0123456789abcdef")
	var got []string
	for _, r := range AllKeys().Split(4, hex, MaxKeyBytes) {
		got = append(got, r.String())
	}
	want := []string{`(-inf, "4"]`, `("4", "8"]`, `("8", "c"]`, `("c", +inf)`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Split(4) of hex keys (-want +got):\n%s", diff)
	}
	one := KeyRange{After: strp("a"), Upto: strp("a\x00")}
	if got := one.Split(8, nil, MaxKeyBytes); len(got) != 1 {
		t.Errorf("a range of one key splits into %d", len(got))
	}
	long := KeyRange{After: strp(strings.Repeat("a", 10)), Upto: strp(strings.Repeat("a", 9) + "b")}
	if got := long.Split(2, nil, 10); len(got) != 1 {
		t.Errorf("a cut longer than maxLen: %d ranges, want 1", len(got))
	}
}

func TestBoundariesFromPrefixes(t *testing.T) {
	tests := []struct {
		name     string
		prefixes []string
		groups   int
		want     []string
	}{
		{"none", nil, 4, nil},
		{"each its own", []string{"b/", "a/", "c/", "a/"}, 8, []string{"a/", "b/", "c/", "c0"}},
		{"grouped", []string{"1/", "2/", "3/", "4/", "5/"}, 2, []string{"1/", "4/", "50"}},
		{"unicode last", []string{"é/", "日/"}, 4, []string{"é/", "日/", "日0"}},
		{"one huge prefix", []string{"data/"}, 4, []string{"data/", "data0"}},
	}
	for _, tt := range tests {
		got := BoundariesFromPrefixes(tt.prefixes, tt.groups)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
		if _, err := Tile(got); err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}

func TestBound(t *testing.T) {
	r := KeyRange{After: strp("b"), Upto: strp("d")}
	src := seq(SourceObject{Key: "a"}, SourceObject{Key: "p/a"}, SourceObject{Key: "p/b"}, SourceObject{Key: "p/c"},
		SourceObject{Key: "p/d"}, SourceObject{Key: "p/e"}, SourceObject{Key: "p/f"})
	var got []string
	pulled := 0
	counted := func(yield func(SourceObject, error) bool) {
		for o, err := range src {
			pulled++
			if !yield(o, err) {
				return
			}
		}
	}
	for o, err := range Bound(counted, r, "p/", func(o *SourceObject) string { return o.Key }) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, o.Key)
	}
	if diff := cmp.Diff([]string{"p/c", "p/d"}, got); diff != "" {
		t.Errorf("Bound (-want +got):\n%s", diff)
	}
	if pulled != 6 {
		t.Errorf("Bound read %d entries, want 6: it stops at the first one past the range", pulled)
	}
	if Bound[SourceObject](nil, r, "", nil) != nil {
		t.Error("Bound(nil) is not nil")
	}
}
