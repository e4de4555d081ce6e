package state

import (
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"

	"github.com/lakesync/lakesync/internal/plan"
)

// encodeRecordV1 is the encoder of record encoding 1, which lakesync
// wrote in files of format version 1; kept to write such files.
func encodeRecordV1(r *plan.StateRecord) []byte {
	b := []byte{1}
	b = binary.AppendUvarint(b, uint64(max(r.Size, 0)))
	var at int64
	if !r.CopiedAt.IsZero() {
		at = r.CopiedAt.UnixNano()
	}
	b = binary.AppendVarint(b, at)
	for _, s := range [...]string{r.SourceETag, r.VersionID, r.DestKey, r.DestETag} {
		b = appendString(b, s)
	}
	return b
}

// writeV1File writes a state file as lakesync wrote format version 1:
// recs in job, one restore request and one upload.
func writeV1File(t *testing.T, path, job string, recs []plan.StateRecord) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	restore := testRestore("r")
	err = db.Update(func(tx *bolt.Tx) error {
		meta, _ := tx.CreateBucket(metaBucket)
		meta.Put(formatVersionKey, []byte("1"))
		jobs, _ := tx.CreateBucket(jobBucket(job))
		for i := range recs {
			jobs.Put([]byte(recs[i].SourceKey), encodeRecordV1(&recs[i]))
		}
		restores, _ := tx.CreateBucket(restoreBucket(job))
		restores.Put([]byte("r"), encodeRestore(&restore))
		uploads, _ := tx.CreateBucket(uploadBucket(job))
		u := Upload{DestKey: "d/big", UploadID: "up1"}
		return uploads.Put(uploadKey(u), []byte(u.UploadID))
	})
	if err != nil {
		t.Fatal(err)
	}
}

func v1Records() []plan.StateRecord {
	recs := []plan.StateRecord{
		testRecord("a/1"),
		{SourceKey: "a/2", SourceETag: `"0123456789abcdef0123456789abcdef-12"`, Size: 1 << 40, DestKey: "a/2", DestETag: `"fedcba9876543210fedcba9876543210-3"`},
		{SourceKey: "a/3", SourceETag: "W/odd", DestKey: "elsewhere", DestETag: "W/odd"},
		{SourceKey: "a/4"},
	}
	for i := range 3000 { // more than a page, several migration chunks of a small test
		recs = append(recs, scaleRecord(i))
	}
	return recs
}

func readAll(t *testing.T, s *Store) []plan.StateRecord {
	t.Helper()
	var got []plan.StateRecord
	for rec, err := range s.Records(context.Background(), "j", "") {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, rec)
	}
	return got
}

func formatOf(t *testing.T, path string) string {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v string
	db.View(func(tx *bolt.Tx) error {
		v = string(tx.Bucket(metaBucket).Get(formatVersionKey))
		tx.Bucket(jobBucket("j")).ForEach(func(k, val []byte) error {
			if val[0] != byte(recordEncoding) {
				v += "+old records"
				return errStop
			}
			return nil
		})
		return nil
	})
	return v
}

var errStop = os.ErrClosed

// TestMigrateFormat1: a file of format version 1 reads as it is when
// opened read-only, and is migrated to format 2 when opened for writing,
// nothing lost: records, restore requests, uploads.
func TestMigrateFormat1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state")
	recs := v1Records()
	writeV1File(t, path, "j", recs)
	want := append([]plan.StateRecord(nil), recs...)
	slices.SortFunc(want, func(a, b plan.StateRecord) int { return strings.Compare(a.SourceKey, b.SourceKey) })

	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only open of a format 1 file: %v", err)
	}
	if diff := cmp.Diff(want, readAll(t, ro)); diff != "" {
		t.Errorf("records read from the format 1 file (-want +got):\n%s", diff)
	}
	ro.Close()
	if got := formatOf(t, path); got != "1+old records" {
		t.Fatalf("a read-only open changed the file: format %q", got)
	}

	s, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("open for writing of a format 1 file: %v", err)
	}
	if diff := cmp.Diff(want, readAll(t, s)); diff != "" {
		t.Errorf("records after the migration (-want +got):\n%s", diff)
	}
	if r, ok, err := s.Restore("j", "r"); err != nil || !ok || r != testRestore("r") {
		t.Errorf("restore request after the migration = %+v, %v, %v", r, ok, err)
	}
	if u, err := s.Uploads("j"); err != nil || !cmp.Equal(u, []Upload{{DestKey: "d/big", UploadID: "up1"}}) {
		t.Errorf("uploads after the migration = %v, %v", u, err)
	}
	if err := s.Put("j", testRecord("z")); err != nil {
		t.Fatalf("write after the migration: %v", err)
	}
	s.Close()
	if got := formatOf(t, path); got != "2" {
		t.Errorf("after an open for writing: format %q, want 2 with every record re-encoded", got)
	}
	if _, err := os.Stat(path + ".migrate"); !os.IsNotExist(err) {
		t.Errorf("the migration left %s.migrate: %v", path, err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("migrated file: %v, %v; want mode 0600", fi, err)
	}
}
