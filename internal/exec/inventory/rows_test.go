package inventory

import (
	"bytes"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lakesync/lakesync/internal/plan"
)

const mod = "2024-05-01T10:20:30.000Z"

var modTime = time.Date(2024, 5, 1, 10, 20, 30, 0, time.UTC)

func TestCSVRows(t *testing.T) {
	tests := []struct {
		name   string
		schema string
		prefix string
		rows   []row
		want   []plan.SourceObject
	}{{
		name:   "keys are URL-decoded, ETags quoted, the file's order kept",
		schema: fullSchema,
		rows: []row{
			obj("s/déjà vu+1.txt", 3, "e1", "STANDARD", mod),
			obj("s/a,b\"c\".csv", 4, "e2", "GLACIER", mod),
			obj("s/100% done/日本語", 5, "e3-2", "DEEP_ARCHIVE", mod),
			obj("s/a", 6, `"already quoted"`, "STANDARD", mod),
		},
		want: []plan.SourceObject{
			{Key: "s/déjà vu+1.txt", Size: 3, ETag: `"e1"`, StorageClass: "STANDARD", LastModified: modTime},
			{Key: "s/a,b\"c\".csv", Size: 4, ETag: `"e2"`, StorageClass: "GLACIER", LastModified: modTime},
			{Key: "s/100% done/日本語", Size: 5, ETag: `"e3-2"`, StorageClass: "DEEP_ARCHIVE", LastModified: modTime},
			{Key: "s/a", Size: 6, ETag: `"already quoted"`, StorageClass: "STANDARD", LastModified: modTime},
		},
	}, {
		name:   "delete markers and noncurrent versions are skipped",
		schema: fullSchema,
		rows: []row{
			obj("s/current", 1, "c", "STANDARD", mod),
			{"Bucket": "src", "Key": "s/old", "VersionId": "v1", "IsLatest": "false", "IsDeleteMarker": "false", "Size": "9", "LastModifiedDate": mod, "ETag": "o", "StorageClass": "STANDARD"},
			{"Bucket": "src", "Key": "s/deleted", "VersionId": "v2", "IsLatest": "true", "IsDeleteMarker": "true", "LastModifiedDate": mod},
		},
		want: []plan.SourceObject{{Key: "s/current", Size: 1, ETag: `"c"`, StorageClass: "STANDARD", LastModified: modTime}},
	}, {
		name:   "columns in another order, no version columns (current versions only)",
		schema: "StorageClass, ETag, Key, LastModifiedDate, Bucket, Size",
		rows:   []row{obj("s/x", 7, "e", "STANDARD_IA", "2024-05-01T10:20:30.5Z")},
		want:   []plan.SourceObject{{Key: "s/x", Size: 7, ETag: `"e"`, StorageClass: "STANDARD_IA", LastModified: modTime.Add(500 * time.Millisecond)}},
	}, {
		name:   "only keys under the source prefix",
		schema: fullSchema,
		prefix: "s/in/",
		rows: []row{
			obj("s/in", 1, "a", "STANDARD", mod),
			obj("s/in/x", 2, "b", "STANDARD", mod),
			obj("s/inx", 3, "c", "STANDARD", mod),
		},
		want: []plan.SourceObject{{Key: "s/in/x", Size: 2, ETag: `"b"`, StorageClass: "STANDARD", LastModified: modTime}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := Manifest{FileSchema: tt.schema}
			sch, err := m.columns()
			if err != nil {
				t.Fatal(err)
			}
			var got []plan.SourceObject
			err = csvRows(bytes.NewReader(csvGz(t, tt.schema, tt.rows)), sch, tt.prefix, "f.csv.gz", func(o plan.SourceObject) error {
				got = append(got, o)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("objects (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCSVRowsPlusIsSpace proves keys are decoded as CSV inventories
// encode them: '+' is a space, %2B a plus, and a raw comma inside a
// quoted field stays in the key.
func TestCSVRowsPlusIsSpace(t *testing.T) {
	data := []byte("\"src\",\"a+b%2Bc,d\",\"1\",\"" + mod + "\",\"e\",\"STANDARD\"\n")
	var gz bytes.Buffer
	zw := newGzip(&gz)
	zw.Write(data)
	zw.Close()
	m := Manifest{FileSchema: "Bucket, Key, Size, LastModifiedDate, ETag, StorageClass"}
	sch, _ := m.columns()
	var keys []string
	err := csvRows(&gz, sch, "", "f", func(o plan.SourceObject) error { keys = append(keys, o.Key); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a b+c,d"}, keys); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
}

func TestCSVRowsErrors(t *testing.T) {
	m := Manifest{FileSchema: fullSchema}
	sch, _ := m.columns()
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"not gzip", []byte("\"src\",\"plain csv, not gzipped\"\n"), "f: not a gzip file: gzip: invalid header"},
		{"bad size", csvGz(t, fullSchema, []row{obj("k", 1, "e", "STANDARD", mod), {"Key": "k2", "IsLatest": "true", "IsDeleteMarker": "false", "Size": "x"}}), `f, line 2: key "k2": size "x" is not a number of bytes`},
		{"bad date", csvGz(t, fullSchema, []row{obj("k", 1, "e", "STANDARD", "yesterday")}), `f, line 1: key "k": LastModifiedDate "yesterday" is not a date like 2016-11-06T21:32:00.000Z`},
		{"short row", gzipped("\"src\",\"k\"\n"), "f: record on line 1: wrong number of fields"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := csvRows(bytes.NewReader(tt.data), sch, "", "f", func(plan.SourceObject) error { return nil })
			if err == nil || err.Error() != tt.want {
				t.Errorf("error = %v, want %s", err, tt.want)
			}
		})
	}
}
