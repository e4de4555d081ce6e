package inventory

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/plan"
	"github.com/lakesync/lakesync/internal/testenv/moto"
)

// TestMotoReadsTheNewestInventory delivers two reports in AWS's layout
// into a bucket of the source account, and a third still being delivered
// (data and manifest.json, no manifest.checksum yet), and reads the
// newest complete one through S3.
func TestMotoReadsTheNewestInventory(t *testing.T) {
	s := moto.Require(t, motoSrv)
	ctx := t.Context()
	if err := s.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	prod, err := s.NewAccount(ctx, "111111111111")
	if err != nil {
		t.Fatal(err)
	}
	if err := prod.CreateBucket(ctx, "inv"); err != nil {
		t.Fatal(err)
	}
	objects := map[string][]byte{}
	report(t, objects, base, "2024-05-01T01-00Z", fullSchema, 1714525200000,
		[]row{obj("s/old", 1, "o", "STANDARD", mod)})
	var files [][]row
	var want []plan.SourceObject
	for f := 0; f < 3; f++ {
		var rows []row
		for i := 9; i >= 0; i-- { // each file in reverse, the files interleaved
			key := fmt.Sprintf("s/dé jà+%d/%d", i, f)
			rows = append(rows, obj(key, i, fmt.Sprintf("e%d%d", f, i), "STANDARD_IA", mod))
			want = append(want, plan.SourceObject{Key: key, Size: int64(i), ETag: fmt.Sprintf(`"e%d%d"`, f, i), StorageClass: "STANDARD_IA", LastModified: modTime})
		}
		files = append(files, rows)
	}
	files[1] = append(files[1], row{"Bucket": "src", "Key": "s/gone", "IsLatest": "true", "IsDeleteMarker": "true", "LastModifiedDate": mod})
	files[2] = append(files[2], obj("outside/x", 1, "x", "STANDARD", mod))
	slices.SortFunc(want, byKey)
	report(t, objects, base, "2024-05-02T01-00Z", fullSchema, 1714611600000, files...)
	partial := map[string][]byte{}
	report(t, partial, base, "2024-05-03T01-00Z", fullSchema, 1714698000000, []row{obj("s/partial", 1, "p", "STANDARD", mod)})
	for k, v := range partial {
		if !strings.HasSuffix(k, "/manifest.checksum") {
			objects[k] = v
		}
	}
	for k, v := range objects {
		if err := prod.PutObject(ctx, "inv", k, v); err != nil {
			t.Fatal(err)
		}
	}

	r, err := Open(ctx, prod.S3(), config.InventoryLocation{Bucket: "inv", Prefix: "reports/"}, "src")
	if err != nil {
		t.Fatal(err)
	}
	if r.Folder != "s3://inv/"+base+"2024-05-02T01-00Z/" || !r.Created.Equal(time.UnixMilli(1714611600000)) {
		t.Errorf("report %s of %s, want the one of 2024-05-02T01-00Z", r.Folder, r.Created)
	}
	got, err := collect(t, r, "s/", Options{RunBytes: 1 << 10})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("objects (-want +got):\n%s", diff)
	}
}
