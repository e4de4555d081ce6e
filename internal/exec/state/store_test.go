package state

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"

	"github.com/lakesync/lakesync/internal/plan"
)

func testRecord(key string) plan.StateRecord {
	return plan.StateRecord{
		SourceKey: key, SourceETag: `"9b2cf535f27731c974343645a3985328"`, Size: 102400,
		VersionID: "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY", DestKey: "prod/" + key,
		DestETag: `"1f3870be274f6c49b3e31a0c6728957f"`, CopiedAt: time.Date(2026, 11, 22, 10, 0, 0, 123, time.UTC),
	}
}

func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sub", "state")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func TestStoreRecords(t *testing.T) {
	s, path := openTemp(t)
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode = %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	if fi, err := os.Stat(filepath.Dir(path)); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("dir mode = %v, %v; want 0700", fi.Mode().Perm(), err)
	}
	var want []plan.StateRecord
	var all []plan.StateRecord
	for i := range 2500 {
		r := testRecord(fmt.Sprintf("a/%05d", i))
		all = append(all, r)
		want = append(want, r)
	}
	all = append(all, testRecord("b/0"), testRecord("a"))
	if err := s.Put("j1", all...); err != nil {
		t.Fatal(err)
	}
	if err := s.Put("j2", testRecord("a/00001")); err != nil {
		t.Fatal(err)
	}
	var got []plan.StateRecord
	for r, err := range s.Records(context.Background(), "j1", "a/") {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Records (-want +got):\n%s", diff)
	}
	r, ok, err := s.Get("j1", "b/0")
	if err != nil || !ok || r != testRecord("b/0") {
		t.Errorf("Get = %v %v %v", r, ok, err)
	}
	if _, ok, _ := s.Get("nojob", "b/0"); ok {
		t.Error("Get of another job found a record")
	}
	jobs, _ := s.Jobs()
	if !cmp.Equal(jobs, []string{"j1", "j2"}) {
		t.Errorf("Jobs = %v", jobs)
	}
	found, _ := s.Find("a/00001")
	if len(found) != 2 {
		t.Errorf("Find = %v", found)
	}
	if err := s.Delete("j1", "b/0", "absent"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.Get("j1", "b/0"); ok {
		t.Error("deleted record still there")
	}
	if n, err := s.DeleteJob("j1"); err != nil || n != 2501 {
		t.Errorf("DeleteJob = %d, %v", n, err)
	}
	for range s.Records(context.Background(), "j1", "") {
		t.Fatal("records of a deleted job")
	}
}

func TestStoreLocked(t *testing.T) {
	_, path := openTemp(t)
	_, err := Open(path, Options{})
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), path) {
		t.Errorf("second Open = %v, want ErrLocked naming %s", err, path)
	}
	_, err = Open(path, Options{ReadOnly: true})
	if !errors.Is(err, ErrLocked) {
		t.Errorf("read-only Open while a run holds it = %v, want ErrLocked", err)
	}
}

func TestStoreCorrupt(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage")
	os.WriteFile(garbage, []byte(strings.Repeat("not a bbolt file\n", 1000)), 0o600)
	short := filepath.Join(dir, "short")
	os.WriteFile(short, []byte("x"), 0o600)

	good := filepath.Join(dir, "good")
	s, err := Open(good, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Put("j", testRecord("k"))
	s.Close()
	data, _ := os.ReadFile(good)
	truncated := filepath.Join(dir, "truncated")
	os.WriteFile(truncated, data[:len(data)/3], 0o600)
	zeroed := filepath.Join(dir, "zeroed")
	z := append([]byte(nil), data...)
	for i := 4096 * 2; i < len(z); i++ {
		z[i] = 0xff
	}
	os.WriteFile(zeroed, z, 0o600)

	for _, path := range []string{garbage, short, truncated, zeroed} {
		err := func() error {
			s, err := Open(path, Options{})
			if err != nil {
				return err
			}
			defer s.Close()
			for _, err := range s.Records(context.Background(), "j", "") {
				if err != nil {
					return err
				}
			}
			_, _, err = s.Get("j", "k")
			return err
		}()
		if err == nil {
			t.Errorf("%s: opened and read without an error", filepath.Base(path))
			continue
		}
		if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "state rebuild") {
			t.Errorf("%s: %v; want ErrCorrupt naming the file and the fix", filepath.Base(path), err)
		}
	}
}

func TestStoreNewerFormat(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error {
		b, _ := tx.CreateBucket(metaBucket)
		return b.Put(formatVersionKey, []byte("99"))
	})
	db.Close()
	_, err = Open(path, Options{})
	if err == nil || !strings.Contains(err.Error(), "format version 99") || !strings.Contains(err.Error(), path) {
		t.Errorf("Open = %v, want a format version error naming the file", err)
	}
}

func TestCommitter(t *testing.T) {
	s, _ := openTemp(t)
	c := s.NewCommitter("j", 3, time.Hour)
	c.Put(testRecord("a"))
	c.Put(testRecord("b"))
	if _, ok, _ := s.Get("j", "a"); ok {
		t.Error("committed before the batch was full")
	}
	c.Put(testRecord("c"))
	c.Flush()
	if _, ok, _ := s.Get("j", "c"); !ok {
		t.Error("a full batch was not committed")
	}
	c.Delete("a")
	c.Put(testRecord("d"))
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.Get("j", "a"); ok {
		t.Error("Close did not commit the delete")
	}
	if _, ok, _ := s.Get("j", "d"); !ok {
		t.Error("Close did not commit the rest")
	}

	timed := s.NewCommitter("t", 1000, 20*time.Millisecond)
	defer timed.Close()
	timed.Put(testRecord("x"))
	deadline := time.Now().Add(2 * time.Second)
	for {
		if _, ok, _ := s.Get("t", "x"); ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the interval did not commit")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestUploads(t *testing.T) {
	s, _ := openTemp(t)
	u1 := Upload{DestKey: "d/a", UploadID: "id1"}
	u2 := Upload{DestKey: "d/a", UploadID: "id2"}
	s.AddUpload("j", u1)
	s.AddUpload("j", u2)
	s.RemoveUpload("j", u1)
	got, err := s.Uploads("j")
	if err != nil || !cmp.Equal(got, []Upload{u2}) {
		t.Errorf("Uploads = %v, %v", got, err)
	}
	if err := s.Put("j", testRecord("k")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DeleteJob("j"); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Uploads("j"); err != nil || len(got) != 0 {
		t.Errorf("Uploads after DeleteJob = %v, %v; want none", got, err)
	}
}

func TestRecordEncoding(t *testing.T) {
	md5 := `"9b2cf535f27731c974343645a3985328"`
	for _, r := range []plan.StateRecord{
		testRecord("k"), {SourceKey: "k"},
		{SourceKey: "k", SourceETag: md5, DestKey: "k", DestETag: md5},
		{SourceKey: "src/k", SourceETag: `"9b2cf535f27731c974343645a3985328-7"`, DestKey: "x/src/k", DestETag: md5},
		{SourceKey: "k", SourceETag: `"9B2CF535F27731C974343645A3985328"`, DestKey: "other", DestETag: `"9b2cf535f27731c974343645a3985328-07"`},
		{SourceKey: "k", SourceETag: `"9b2cf535f27731c974343645a3985328-0"`, DestKey: "", DestETag: `9b2cf535f27731c974343645a3985328`},
		{SourceKey: "ü/k", SourceETag: `""`, DestKey: "ü/k/ü", DestETag: `"9b2cf535f27731c974343645a3985328-"`},
		{SourceKey: "k", SourceETag: `9b2cf535f27731c974343645a3985328"`, DestKey: "k", DestETag: `"9b2cf535f27731c974343645a3985328`},
	} {
		got, err := decodeRecord(r.SourceKey, encodeRecord(&r))
		if err != nil || got != r {
			t.Errorf("round trip of %v = %v, %v", r, got, err)
		}
		if got, err := decodeRecord(r.SourceKey, encodeRecordV1(&r)); err != nil || got != r {
			t.Errorf("encoding 1 of %v decodes as %v, %v", r, got, err)
		}
	}
	// A record of a copy under another prefix that kept its ETag.
	if r := scaleRecord(7); len(encodeRecord(&r)) > 40 {
		t.Errorf("a typical record takes %d bytes, want at most 40", len(encodeRecord(&r)))
	}
	enc := encodeRecord(&plan.StateRecord{SourceKey: "k", DestKey: "d"})
	for i := range enc {
		if _, err := decodeRecord("k", enc[:i]); err == nil {
			t.Errorf("truncated at %d decodes", i)
		}
	}
}

func FuzzDecodeRecord(f *testing.F) {
	r := testRecord("k")
	f.Add(encodeRecord(&r))
	f.Fuzz(func(t *testing.T, b []byte) { decodeRecord("k", b) })
}

func BenchmarkRecordEncoding(b *testing.B) {
	r := testRecord("exports/2026/11/22/part-00042.parquet")
	bin := encodeRecord(&r)
	js, _ := json.Marshal(r)
	b.Run("binary", func(b *testing.B) {
		for b.Loop() {
			decodeRecord(r.SourceKey, encodeRecord(&r))
		}
		b.ReportMetric(float64(len(bin)), "bytes/record")
	})
	b.Run("json", func(b *testing.B) {
		for b.Loop() {
			var out plan.StateRecord
			data, _ := json.Marshal(r)
			json.Unmarshal(data, &out)
		}
		b.ReportMetric(float64(len(js)), "bytes/record")
	})
}

// TestRecordsFillPages: records committed in key order, in batches, as a
// first run writes them, fill the file's pages to about 90%, not half.
func TestRecordsFillPages(t *testing.T) {
	s, _ := openTemp(t)
	for i := 0; i < 20_000; i += 500 {
		var recs []plan.StateRecord
		for j := i; j < i+500; j++ {
			recs = append(recs, scaleRecord(j))
		}
		must(t, s.Put("j", recs...))
	}
	var st bolt.BucketStats
	s.view(func(tx *bolt.Tx) error { st = tx.Bucket(jobBucket("j")).Stats(); return nil })
	if fill := float64(st.LeafInuse) / float64(st.LeafAlloc); fill < 0.8 {
		t.Errorf("leaf pages are %.0f%% full, want at least 80%%", 100*fill)
	}
}
