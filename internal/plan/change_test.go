package plan

import (
	"strings"
	"testing"

	"github.com/lakesync/lakesync/internal/config"
)

func TestDecide(t *testing.T) {
	src := &SourceObject{Key: "s/a", Size: 10, ETag: `"src1"`}
	rec := &StateRecord{SourceKey: "s/a", SourceETag: `"src1"`, Size: 10, DestKey: "d/a", DestETag: `"dst1"`}
	dst := &DestinationObject{Key: "d/a", Size: 10, ETag: `"dst1"`}
	with := func(f func(s *SourceObject, r *StateRecord, d *DestinationObject)) (*SourceObject, *StateRecord, *DestinationObject) {
		s, r, d := *src, *rec, *dst
		f(&s, &r, &d)
		return &s, &r, &d
	}
	sameSizeNewETag, _, _ := with(func(s *SourceObject, _ *StateRecord, _ *DestinationObject) { s.ETag = `"src2"` })
	bigger, _, _ := with(func(s *SourceObject, _ *StateRecord, _ *DestinationObject) { s.Size = 11 })
	_, _, overwritten := with(func(_ *SourceObject, _ *StateRecord, d *DestinationObject) { d.ETag = `"other"` })
	// Source and destination ETags are never compared: here they differ
	// (SSE-KMS) and the object is unchanged.
	ckSrc, _, ckDst := with(func(s *SourceObject, _ *StateRecord, d *DestinationObject) {
		s.Checksum, d.Checksum = "CRC64NVME:AAAA", "CRC64NVME:AAAA"
	})
	_, _, ckDstOther := with(func(_ *SourceObject, _ *StateRecord, d *DestinationObject) { d.Checksum = "CRC64NVME:BBBB" })
	_, _, dstSmaller := with(func(_ *SourceObject, _ *StateRecord, d *DestinationObject) { d.Size = 9 })

	sync := Rules{Mode: config.ModeSync}
	syncDelete := Rules{Mode: config.ModeSync, Delete: true}
	cp := Rules{Mode: config.ModeCp}
	bySize := Rules{Mode: config.ModeSync, AdoptBySize: true}

	tests := []struct {
		name  string
		rules Rules
		src   *SourceObject
		rec   *StateRecord
		dst   *DestinationObject
		want  ObjectAction
	}{
		{"new", sync, src, nil, nil, ObjectNew},
		{"changed size", sync, bigger, rec, dst, ObjectChanged},
		{"changed ETag same size", sync, sameSizeNewETag, rec, dst, ObjectChanged},
		{"changed and missing at destination", sync, sameSizeNewETag, rec, nil, ObjectChanged},
		{"unchanged (source and destination ETags differ)", sync, src, rec, dst, ObjectUnchanged},
		{"missing at destination", sync, src, rec, nil, ObjectMissing},
		{"destination overwritten", sync, src, rec, overwritten, ObjectOverwritten},
		{"deleted at source, delete on", syncDelete, nil, rec, dst, ObjectDelete},
		{"deleted at source, unrecorded, delete on", syncDelete, nil, nil, dst, ObjectDelete},
		{"deleted at source, delete off", sync, nil, rec, dst, ObjectKeep},
		{"deleted at source and destination", syncDelete, nil, rec, nil, ObjectForget},
		{"first run, size and checksum match", sync, ckSrc, nil, ckDst, ObjectAdopt},
		{"first run, checksum differs", sync, ckSrc, nil, ckDstOther, ObjectReplace},
		{"first run, size differs", sync, src, nil, dstSmaller, ObjectReplace},
		{"first run, no checksum", sync, src, nil, dst, ObjectReplace},
		{"first run, no checksum, adopt by size", bySize, src, nil, dst, ObjectAdopt},
		{"first run, size differs, adopt by size", bySize, src, nil, dstSmaller, ObjectReplace},
		{"cp, unchanged", cp, src, rec, dst, ObjectReplace},
		{"cp, new", cp, src, nil, nil, ObjectNew},
		{"cp, gone at source", cp, nil, rec, dst, ObjectKeep},
	}
	for _, tt := range tests {
		got, reason := tt.rules.Decide(tt.src, tt.rec, tt.dst)
		if got != tt.want {
			t.Errorf("%s: Decide = %s (%s), want %s", tt.name, got, reason, tt.want)
		}
		if reason == "" {
			t.Errorf("%s: no reason", tt.name)
		}
	}
}

// TestNeedsChecksums: only a sync's first meeting of a source object and
// an unrecorded destination object of the same size hangs on full-object
// checksums, and only while one of the two listings lacks one: then a HEAD
// with checksum mode may adopt it instead of copying it.
func TestNeedsChecksums(t *testing.T) {
	sync := Rules{Mode: config.ModeSync}
	bySize := Rules{Mode: config.ModeSync, AdoptBySize: true}
	cp := Rules{Mode: config.ModeCp}
	src := &SourceObject{Key: "a", Size: 3}
	dst := &DestinationObject{Key: "a", Size: 3}
	ck := "CRC64NVME:AAAA"
	srcCk := &SourceObject{Key: "a", Size: 3, Checksum: ck}
	dstCk := &DestinationObject{Key: "a", Size: 3, Checksum: ck}
	tests := []struct {
		name  string
		rules Rules
		src   *SourceObject
		rec   *StateRecord
		dst   *DestinationObject
		want  bool
	}{
		{"no checksum on either side", sync, src, nil, dst, true},
		{"source checksum only", sync, srcCk, nil, dst, true},
		{"destination checksum only", sync, src, nil, dstCk, true},
		{"both checksums: decided", sync, srcCk, nil, dstCk, false},
		{"sizes differ: a copy", sync, src, nil, &DestinationObject{Key: "a", Size: 4}, false},
		{"recorded", sync, src, &StateRecord{}, dst, false},
		{"adopting by size", bySize, src, nil, dst, false},
		{"cp copies anyway", cp, src, nil, dst, false},
		{"nothing at the destination", sync, src, nil, nil, false},
		{"gone at source", sync, nil, nil, dst, false},
	}
	for _, tt := range tests {
		if got := tt.rules.NeedsChecksums(tt.src, tt.rec, tt.dst); got != tt.want {
			t.Errorf("%s: NeedsChecksums = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestSelectorMapKey(t *testing.T) {
	sel, err := NewSelector(&config.Job{
		SourcePrefix: "exports/", DestinationPrefix: "prod/",
		Include: []string{"**/*.parquet", "*.csv"}, Exclude: []string{"tmp/**"},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		src, want string
		ok        bool
	}{
		{"exports/a.parquet", "prod/a.parquet", true},
		{"exports/d/e/a.parquet", "prod/d/e/a.parquet", true},
		{"exports/x.csv", "prod/x.csv", true},
		{"exports/d/x.csv", "", false},
		{"exports/tmp/a.parquet", "", false},
		{"other/a.parquet", "", false},
		{"exports/", "", false},
		{"exportsa.parquet", "", false},
		{"exports/with space+plus%25?#é.parquet", "prod/with space+plus%25?#é.parquet", true},
	}
	for _, tt := range tests {
		got, ok := sel.MapKey(tt.src)
		if got != tt.want || ok != tt.ok {
			t.Errorf("MapKey(%q) = %q, %v; want %q, %v", tt.src, got, ok, tt.want, tt.ok)
		}
	}
	if _, err := NewSelector(&config.Job{Name: "j", Include: []string{"a["}}); err == nil || !strings.Contains(err.Error(), `job "j" include`) {
		t.Errorf("bad include: %v", err)
	}
	if _, err := NewSelector(&config.Job{Name: "j", Exclude: []string{"a["}}); err == nil || !strings.Contains(err.Error(), `job "j" exclude`) {
		t.Errorf("bad exclude: %v", err)
	}
}

func TestSelectorNoPrefixes(t *testing.T) {
	sel, err := NewSelector(&config.Job{})
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := sel.MapKey("a/b"); got != "a/b" || !ok {
		t.Errorf("MapKey = %q, %v", got, ok)
	}
	if _, ok := sel.MapKey(""); ok {
		t.Error("the empty key maps")
	}
}
