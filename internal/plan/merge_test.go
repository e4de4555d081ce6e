package plan

import (
	"errors"
	"fmt"
	"iter"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/lakesync/lakesync/internal/config"
)

func seq[T any](vs ...T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for _, v := range vs {
			if !yield(v, nil) {
				return
			}
		}
	}
}

func TestMerge(t *testing.T) {
	sel, err := NewSelector(&config.Job{SourcePrefix: "src/", DestinationPrefix: "dst/", Exclude: []string{"skip/**"}})
	if err != nil {
		t.Fatal(err)
	}
	srcs := seq(
		SourceObject{Key: "src/a", Size: 1, ETag: "e1"},
		SourceObject{Key: "src/b", Size: 2, ETag: "e2-new"},
		SourceObject{Key: "src/c", Size: 3, ETag: "e3"},
		SourceObject{Key: "src/d", Size: 4, ETag: "e4"},
		SourceObject{Key: "src/e", Size: 5, ETag: "e5"},
		SourceObject{Key: "src/skip/x", Size: 5, ETag: "e5"},
		SourceObject{Key: "src/z", Size: 9, ETag: "e9"},
	)
	recs := seq(
		StateRecord{SourceKey: "src/b", SourceETag: "e2", Size: 2, DestKey: "dst/b", DestETag: "x2"},
		StateRecord{SourceKey: "src/c", SourceETag: "e3", Size: 3, DestKey: "dst/c", DestETag: "x3"},
		StateRecord{SourceKey: "src/d", SourceETag: "e4", Size: 4, DestKey: "dst/d", DestETag: "x4"},
		StateRecord{SourceKey: "src/f", SourceETag: "e6", Size: 6, DestKey: "dst/f", DestETag: "x6"},
		StateRecord{SourceKey: "src/g", SourceETag: "e7", Size: 7, DestKey: "dst/g", DestETag: "x7"},
		StateRecord{SourceKey: "src/h", SourceETag: "e8", Size: 8, DestKey: "old/h", DestETag: "x8"},
	)
	dsts := seq(
		DestinationObject{Key: "dst/b", Size: 2, ETag: "x2"},
		DestinationObject{Key: "dst/c", Size: 3, ETag: "x3"},
		DestinationObject{Key: "dst/e", Size: 5, ETag: "other"},
		DestinationObject{Key: "dst/f", Size: 6, ETag: "x6"},
		DestinationObject{Key: "dst/skip/y", Size: 1, ETag: "y"},
		DestinationObject{Key: "dst/y", Size: 1, ETag: "y"},
	)
	want := []string{
		"a:new", "b:changed", "c:unchanged", "d:missing", "e:replace",
		"f:delete", "g:forget", "h:forget", "y:delete", "z:new",
	}
	got := mergeActions(t, Merge(sel, Rules{Mode: config.ModeSync, Delete: true}, srcs, recs, dsts), len(want))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Merge (-want +got):\n%s", diff)
	}
}

// bounded passes on at most n items of a merge, then an error. A merge
// yields one item per key, so one that stopped moving through its streams
// fails the test instead of running until the test binary's timeout.
func bounded(items iter.Seq2[Item, error], n int) iter.Seq2[Item, error] {
	return func(yield func(Item, error) bool) {
		i := 0
		for it, err := range items {
			if i == n {
				yield(Item{}, fmt.Errorf("the merge yields more than %d items", n))
				return
			}
			i++
			if !yield(it, err) {
				return
			}
		}
	}
}

// mergeActions collects "rel:action" of the items of a merge of at most n
// keys.
func mergeActions(t *testing.T, items iter.Seq2[Item, error], n int) []string {
	t.Helper()
	var got []string
	for it, err := range bounded(items, n) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, it.Rel+":"+string(it.ObjectAction))
	}
	return got
}

func TestMergeStaleRecordIsNoRecord(t *testing.T) {
	sel, _ := NewSelector(&config.Job{DestinationPrefix: "new/"})
	n := 0
	for it, err := range bounded(Merge(sel, Rules{Mode: config.ModeSync},
		seq(SourceObject{Key: "a", ETag: "e"}),
		seq(StateRecord{SourceKey: "a", SourceETag: "e", DestKey: "old/a", DestETag: "x"}), nil), 1) {
		n++
		if err != nil || it.ObjectAction != ObjectNew {
			t.Errorf("got %v %v, want new", it.ObjectAction, err)
		}
	}
	if n != 1 {
		t.Errorf("Merge yielded %d items, want 1", n)
	}
}

func TestMergeUnsortedAndErrors(t *testing.T) {
	sel, _ := NewSelector(&config.Job{})
	rules := Rules{Mode: config.ModeSync}
	_, err := TallyMerge(bounded(Merge(sel, rules, seq(SourceObject{Key: "b"}, SourceObject{Key: "a"}), nil, nil), 2), 0)
	if err == nil || !strings.Contains(err.Error(), "not sorted") {
		t.Errorf("unsorted source: %v", err)
	}
	_, err = TallyMerge(bounded(Merge(sel, rules, nil, nil, seq(DestinationObject{Key: "a"}, DestinationObject{Key: "a"})), 2), 0)
	if err == nil || !strings.Contains(err.Error(), "destination listing") {
		t.Errorf("duplicate destination: %v", err)
	}
	boom := errors.New("boom")
	failing := func(yield func(StateRecord, error) bool) { yield(StateRecord{}, boom) }
	_, err = TallyMerge(bounded(Merge(sel, rules, seq(SourceObject{Key: "a"}), failing, nil), 1), 0)
	if !errors.Is(err, boom) {
		t.Errorf("failing records: %v", err)
	}
}

func TestMergeEarlyBreakStopsStreams(t *testing.T) {
	sel, _ := NewSelector(&config.Job{})
	stopped := false
	src := func(yield func(SourceObject, error) bool) {
		defer func() { stopped = true }()
		for i := 0; ; i++ {
			if !yield(SourceObject{Key: fmt.Sprintf("%08d", i)}, nil) {
				return
			}
		}
	}
	for range Merge(sel, Rules{Mode: config.ModeCp}, src, nil, nil) {
		break
	}
	if !stopped {
		t.Error("the source stream was not stopped")
	}
}

func TestTally(t *testing.T) {
	sel, _ := NewSelector(&config.Job{})
	tally, err := TallyMerge(bounded(Merge(sel, Rules{Mode: config.ModeSync, Delete: true},
		seq(SourceObject{Key: "a", Size: 10}, SourceObject{Key: "b", Size: 20, ETag: "e"}),
		seq(StateRecord{SourceKey: "b", SourceETag: "e", Size: 20, DestKey: "b", DestETag: "x"}),
		seq(DestinationObject{Key: "b", ETag: "x"}, DestinationObject{Key: "c", Size: 5})), 3), 10)
	if err != nil {
		t.Fatal(err)
	}
	want := map[ObjectAction]Count{ObjectNew: {1, 10}, ObjectUnchanged: {1, 20}, ObjectDelete: {1, 5}}
	if diff := cmp.Diff(want, tally.Counts); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	if got := tally.Copy(); got != (Count{1, 10}) {
		t.Errorf("Copy = %v", got)
	}
	if !slices.Equal(tally.Keys[ObjectDelete], []string{"c"}) {
		t.Errorf("delete keys = %v", tally.Keys[ObjectDelete])
	}
}

// BenchmarkMerge1M merges a listing of 1,000,000 keys with 1,000,000 state
// records (every 10th object changed) and reports keys/s, allocations per
// key and the heap in use at the end, which must not grow with the keys.
func BenchmarkMerge1M(b *testing.B) {
	const n = 1_000_000
	sel, _ := NewSelector(&config.Job{SourcePrefix: "exports/", DestinationPrefix: "prod/"})
	// Keys are generated directory by directory with zero-padded indexes,
	// so both streams are sorted. The generators' own allocations (three
	// key strings per key) are part of allocs/op; the merge itself makes
	// none per key.
	// rel appends the key relative to the prefixes of object i of
	// directory d, zero-padded so that generation order is key order.
	rel := func(buf []byte, d, i int) []byte {
		buf = append(buf, byte('0'+d/10), byte('0'+d%10))
		buf = append(buf, "/part-"...)
		for p := 10_000_000; p > 0; p /= 10 {
			buf = append(buf, byte('0'+i/p%10))
		}
		return append(buf, ".parquet"...)
	}
	src := func(yield func(SourceObject, error) bool) {
		buf := append(make([]byte, 0, 64), "exports/"...)
		for d := 0; d < 100; d++ {
			for i := d; i < n; i += 100 {
				etag := `"e"`
				if i%10 == 0 {
					etag = `"changed"`
				}
				k := string(rel(buf[:len("exports/")], d, i))
				if !yield(SourceObject{Key: k, Size: 100 << 10, ETag: etag}, nil) {
					return
				}
			}
		}
	}
	recs := func(yield func(StateRecord, error) bool) {
		sbuf := append(make([]byte, 0, 64), "exports/"...)
		dbuf := append(make([]byte, 0, 64), "prod/"...)
		for d := 0; d < 100; d++ {
			for i := d; i < n; i += 100 {
				sk := string(rel(sbuf[:len("exports/")], d, i))
				dk := string(rel(dbuf[:len("prod/")], d, i))
				if !yield(StateRecord{SourceKey: sk, SourceETag: `"e"`, Size: 100 << 10, DestKey: dk, DestETag: `"x"`}, nil) {
					return
				}
			}
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	var items int
	for b.Loop() {
		tally := NewTally(0)
		for it, err := range Merge(sel, Rules{Mode: config.ModeSync}, src, recs, nil) {
			if err != nil {
				b.Fatal(err)
			}
			tally.Add(it)
			items++
		}
		if got := tally.Counts[ObjectChanged].Objects; got != n/10 {
			b.Fatalf("changed = %d, want %d", got, n/10)
		}
	}
	b.StopTimer()
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(items)/b.Elapsed().Seconds(), "keys/s")
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MiB")
}

// TestTallyKeepsFirstKeys: a tally keeps the first MaxKeys keys of each
// action but unchanged, and counts every item.
func TestTallyKeepsFirstKeys(t *testing.T) {
	tally := NewTally(2)
	for _, rel := range []string{"a", "b", "c"} {
		tally.Add(Item{Rel: rel, ObjectAction: ObjectNew, Source: &SourceObject{Key: rel, Size: 1}})
		tally.Add(Item{Rel: rel + "u", ObjectAction: ObjectUnchanged, Source: &SourceObject{Key: rel + "u", Size: 2}})
	}
	tally.Add(Item{Rel: "d", ObjectAction: ObjectDelete, Destination: &DestinationObject{Key: "d", Size: 4}})
	tally.Add(Item{Rel: "e", ObjectAction: ObjectForget, Record: &StateRecord{SourceKey: "e", Size: 8}})
	want := map[ObjectAction][]string{ObjectNew: {"a", "b"}, ObjectDelete: {"d"}, ObjectForget: {"e"}}
	if diff := cmp.Diff(want, tally.Keys); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
	// A forgotten record has no object left: it counts no bytes.
	counts := map[ObjectAction]Count{ObjectNew: {3, 3}, ObjectUnchanged: {3, 6}, ObjectDelete: {1, 4}, ObjectForget: {1, 0}}
	if diff := cmp.Diff(counts, tally.Counts); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
}
