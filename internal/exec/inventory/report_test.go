package inventory

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/plan"
)

const base = "reports/src/daily/"

// collect drains Objects; it stops at the first error.
func collect(t *testing.T, r *Report, prefix string, opts Options) ([]plan.SourceObject, error) {
	t.Helper()
	if opts.TempDir == "" {
		opts.TempDir = t.TempDir()
	}
	var out []plan.SourceObject
	for o, err := range r.Objects(t.Context(), prefix, opts) {
		if err != nil {
			return out, err
		}
		out = append(out, o)
	}
	return out, nil
}

func openAt(t *testing.T, b *fakeBucket, prefix string) (*Report, error) {
	t.Helper()
	return Open(t.Context(), b, config.InventoryLocation{Bucket: "inv", Prefix: prefix}, "src")
}

// TestOpenFindsTheNewestReport writes three reports (the newest still
// being delivered: no manifest.checksum yet) and opens the location at
// each level of AWS's layout.
func TestOpenFindsTheNewestReport(t *testing.T) {
	b := &fakeBucket{objects: map[string][]byte{}, pageSize: 2}
	report(t, b.objects, base, "2024-04-30T01-00Z", fullSchema, 1714438800000, []row{obj("s/old", 1, "o", "STANDARD", mod)})
	report(t, b.objects, base, "2024-05-01T01-00Z", fullSchema, 1714525200000, []row{obj("s/new", 2, "n", "STANDARD", mod)})
	report(t, b.objects, base, "2024-05-02T01-00Z", fullSchema, 1714611600000, []row{obj("s/partial", 3, "p", "STANDARD", mod)})
	delete(b.objects, base+"2024-05-02T01-00Z/manifest.checksum")
	b.objects[base+"hive/dt=2024-05-01-01-00/symlink.txt"] = []byte("x")
	for _, tt := range []struct{ prefix, folder string }{
		{"reports/", base + "2024-05-01T01-00Z/"},
		{base, base + "2024-05-01T01-00Z/"},
		{base + "2024-04-30T01-00Z/", base + "2024-04-30T01-00Z/"},
	} {
		r, err := openAt(t, b, tt.prefix)
		if err != nil {
			t.Fatalf("prefix %s: %v", tt.prefix, err)
		}
		if r.Folder != "s3://inv/"+tt.folder {
			t.Errorf("prefix %s: report %s, want s3://inv/%s", tt.prefix, r.Folder, tt.folder)
		}
	}
	r, _ := openAt(t, b, "reports/")
	if want := time.Date(2024, 5, 1, 1, 0, 0, 0, time.UTC); !r.Created.Equal(want) {
		t.Errorf("Created = %s, want %s", r.Created, want)
	}
	got, err := collect(t, r, "", Options{})
	if err != nil || len(got) != 1 || got[0].Key != "s/new" {
		t.Errorf("objects = %v, %v; want s/new alone", got, err)
	}
}

func TestOpenErrors(t *testing.T) {
	good := func() *fakeBucket {
		b := &fakeBucket{objects: map[string][]byte{}}
		report(t, b.objects, base, "2024-05-01T01-00Z", fullSchema, 1714525200000, []row{obj("k", 1, "e", "STANDARD", mod)})
		return b
	}
	manifest := base + "2024-05-01T01-00Z/manifest.json"
	rewrite := func(b *fakeBucket, from, to string) {
		m := strings.Replace(string(b.objects[manifest]), from, to, 1)
		b.objects[manifest] = []byte(m)
		b.objects[strings.TrimSuffix(manifest, "json")+"checksum"] = []byte(md5hex([]byte(m)))
	}
	tests := []struct {
		name   string
		prefix string
		change func(b *fakeBucket)
		want   string
	}{
		{"nothing there", "elsewhere/", func(*fakeBucket) {},
			"source_inventory: s3://inv/elsewhere/ holds no inventory report of bucket src: no report folder (YYYY-MM-DDTHH-MMZ/) below it, nor below s3://inv/elsewhere/src/CONFIG-ID/; write the inventory configuration's destination prefix, or its src/CONFIG-ID/ folder below it"},
		{"two configurations", "reports/", func(b *fakeBucket) {
			report(t, b.objects, "reports/src/weekly/", "2024-05-01T01-00Z", fullSchema, 1, nil)
		}, `source_inventory: s3://inv/reports/ holds the reports of 2 inventory configurations of bucket src: say which one is the source listing, source_inventory = "s3://inv/reports/src/daily/" or "s3://inv/reports/src/weekly/"`},
		{"no report yet", "reports/", func(b *fakeBucket) {
			b.objects = map[string][]byte{"reports/src/daily/data/x.csv.gz": nil}
		}, "source_inventory: s3://inv/reports/src/daily/ holds no inventory report yet (no YYYY-MM-DDTHH-MMZ/ folder): S3 delivers the first report within 48 hours of the inventory's configuration"},
		{"no complete report", base, func(b *fakeBucket) { delete(b.objects, manifest) },
			"source_inventory: no complete inventory report in s3://inv/reports/src/daily/: 1 report folders, none with both manifest.json and manifest.checksum"},
		{"manifest checksum", base, func(b *fakeBucket) { b.objects[manifest] = append(b.objects[manifest], ' ') },
			"source_inventory: s3://inv/" + manifest + ": its MD5 is "},
		{"another bucket's inventory", base, func(b *fakeBucket) { rewrite(b, `"sourceBucket": "src"`, `"sourceBucket": "other"`) },
			"source_inventory: s3://inv/reports/src/daily/2024-05-01T01-00Z/manifest.json is the inventory of bucket other, not of the job's source src: point source_inventory at the reports of src"},
		{"Parquet", base, func(b *fakeBucket) { rewrite(b, `"CSV"`, `"Parquet"`) },
			`source_inventory: s3://inv/` + manifest + `: the report's format is "Parquet"; lakesync reads CSV inventories: set the inventory configuration's output format to CSV`},
		{"columns missing", base, func(b *fakeBucket) { rewrite(b, "Size, LastModifiedDate, ETag, StorageClass, ", "") },
			`source_inventory: s3://inv/` + manifest + `: fileSchema "Bucket, Key, VersionId, IsLatest, IsDeleteMarker, IsMultipartUploaded" lacks Size, LastModifiedDate, ETag, StorageClass, which a source listing needs: add them to the inventory configuration's optional fields (the next report carries them)`},
		{"creation timestamp", base, func(b *fakeBucket) {
			rewrite(b, `"creationTimestamp": "1714525200000"`, `"creationTimestamp": "2024-05-01"`)
		},
			`source_inventory: s3://inv/` + manifest + `: not an S3 Inventory manifest: json: invalid number literal, trying to unmarshal "\"2024-05-01\"" into Number`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := good()
			tt.change(b)
			_, err := openAt(t, b, tt.prefix)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error = %v\nwant   %s", err, tt.want)
			}
		})
	}
}

// TestObjectsSorted spreads random keys (unicode, shared prefixes, the
// same key in two files) over unsorted data files and reads them with
// runs small enough that the merge goes through more than maxFanIn run
// files, and with the default (in memory): both give the sort of the rows.
func TestObjectsSorted(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "b", "/", "é", "日", "z", " ", "+", "%", ","}
	var files [][]row
	var want []plan.SourceObject
	seen := map[string]bool{}
	for f := 0; f < 7; f++ {
		var rows []row
		for i := 0; i < 300; i++ {
			var k strings.Builder
			k.WriteString("s/")
			for n := rng.IntN(8) + 1; n > 0; n-- {
				k.WriteString(alphabet[rng.IntN(len(alphabet))])
			}
			key := k.String()
			if seen[key] {
				continue
			}
			seen[key] = true
			rows = append(rows, obj(key, i, fmt.Sprintf("%d%d", f, i), "STANDARD", mod))
			want = append(want, plan.SourceObject{Key: key, Size: int64(i), ETag: fmt.Sprintf(`"%d%d"`, f, i), StorageClass: "STANDARD", LastModified: modTime})
		}
		files = append(files, rows)
	}
	// One key listed in two files: the newer row wins.
	files[0] = append(files[0], obj("s/twice", 1, "older", "STANDARD", mod))
	files[6] = append(files[6], obj("s/twice", 2, "newer", "STANDARD", "2024-06-01T00:00:00.000Z"))
	want = append(want, plan.SourceObject{Key: "s/twice", Size: 2, ETag: `"newer"`, StorageClass: "STANDARD", LastModified: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)})
	slices.SortFunc(want, byKey)

	b := &fakeBucket{objects: map[string][]byte{}}
	report(t, b.objects, base, "2024-05-01T01-00Z", fullSchema, 1714525200000, files...)
	r, err := openAt(t, b, base)
	if err != nil {
		t.Fatal(err)
	}
	for _, runBytes := range []int{1 << 10, 0} {
		dir := t.TempDir()
		got, err := collect(t, r, "s/", Options{TempDir: dir, RunBytes: runBytes})
		if err != nil {
			t.Fatalf("RunBytes %d: %v", runBytes, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("RunBytes %d: objects (-want +got):\n%s", runBytes, diff)
		}
		if left, _ := filepathGlob(dir); len(left) != 0 {
			t.Errorf("RunBytes %d: temporary files left: %v", runBytes, left)
		}
	}
	if s := (&sorter{runBytes: 1 << 10}); len(want)*objectBytes(&want[0])/s.runBytes <= maxFanIn {
		t.Fatalf("the small runs make at most %d run files: the test does not reach a second merge level", maxFanIn)
	}
}

func TestObjectsDataFileErrors(t *testing.T) {
	files := [][]row{{obj("s/a", 1, "a", "STANDARD", mod)}, {obj("s/b", 2, "b", "STANDARD", mod)}}
	dataKey := base + "data/2024-05-01T01-00Z-1.csv.gz"
	tests := []struct {
		name   string
		change func(objects map[string][]byte)
		want   string
	}{
		{"checksum mismatch", func(o map[string][]byte) {
			o[dataKey] = csvGz(t, fullSchema, []row{obj("s/c", 2, "b", "STANDARD", mod)})
		},
			"inventory data file s3://inv/" + dataKey + ": "},
		{"damaged: the MD5 is reported, not the gzip error", func(o map[string][]byte) { o[dataKey][len(o[dataKey])-5] ^= 0xff },
			"inventory data file s3://inv/" + dataKey + ": "},
		{"missing", func(o map[string][]byte) { delete(o, dataKey) },
			"inventory data file s3://inv/" + dataKey + ", listed in s3://inv/reports/src/daily/2024-05-01T01-00Z/manifest.json, does not exist: the report is incomplete or its files were expired; wait for the next report, or point source_inventory at an older report folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &fakeBucket{objects: map[string][]byte{}}
			report(t, b.objects, base, "2024-05-01T01-00Z", fullSchema, 1714525200000, files...)
			r, err := openAt(t, b, base)
			if err != nil {
				t.Fatal(err)
			}
			tt.change(b.objects)
			got, err := collect(t, r, "", Options{})
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error = %v\nwant   %s", err, tt.want)
			}
			if strings.Contains(tt.name, "mismatch") || strings.Contains(tt.name, "damaged") {
				if err == nil || !strings.Contains(err.Error(), "but the manifest says") {
					t.Errorf("error = %v, want the sizes and MD5s compared", err)
				}
			}
			if len(got) != 0 {
				t.Errorf("objects yielded before the error: %v", got)
			}
		})
	}
}

func TestObjectsEmptyInventory(t *testing.T) {
	b := &fakeBucket{objects: map[string][]byte{}}
	report(t, b.objects, base, "2024-05-01T01-00Z", fullSchema, 1714525200000)
	report(t, b.objects, base, "2024-05-02T01-00Z", fullSchema, 1714611600000, nil, nil)
	for _, prefix := range []string{base + "2024-05-01T01-00Z/", base + "2024-05-02T01-00Z/"} {
		r, err := openAt(t, b, prefix)
		if err != nil {
			t.Fatal(err)
		}
		got, err := collect(t, r, "", Options{})
		if err != nil || len(got) != 0 {
			t.Errorf("%s: objects = %v, %v; want none and no error", prefix, got, err)
		}
	}
}
