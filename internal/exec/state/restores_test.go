package state

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"

	"github.com/lakesync/lakesync/internal/plan"
)

func testRestore(key string) plan.RestoreRequest {
	return plan.RestoreRequest{SourceKey: key, SourceETag: `"9b2cf535f27731c974343645a3985328"`, Tier: "Bulk", Days: 3,
		RequestedAt: time.Date(2026, 11, 22, 10, 0, 0, 123, time.UTC)}
}

// TestRestoresOnAnOldFile: a state file written before lakesync
// remembered restores (meta and job buckets only) opens, reads as no
// restore requests, and takes them without a migration.
func TestRestoresOnAnOldFile(t *testing.T) {
	s, path := openTemp(t)
	if err := s.Put("j", testRecord("a")); err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	var buckets []string
	db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, _ *bolt.Bucket) error { buckets = append(buckets, string(name)); return nil })
	})
	db.Close()
	if diff := cmp.Diff([]string{"job:j", "meta"}, buckets); diff != "" {
		t.Fatalf("the old layout (-want +got):\n%s", diff)
	}

	s, err = Open(path, Options{})
	if err != nil {
		t.Fatalf("an old state file does not open: %v", err)
	}
	defer s.Close()
	if _, found, err := s.Restore("j", "b"); found || err != nil {
		t.Fatalf("Restore on an old file = %v, %v; want none", found, err)
	}
	want := testRestore("b")
	if err := s.PutRestores("j", want); err != nil {
		t.Fatal(err)
	}
	got, found, err := s.Restore("j", "b")
	if err != nil || !found {
		t.Fatalf("Restore = %v, %v", found, err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("restore request (-want +got):\n%s", diff)
	}
	if rec, found, err := s.Get("j", "a"); err != nil || !found || rec != testRecord("a") {
		t.Errorf("the old record = %+v, %v, %v", rec, found, err)
	}
	if jobs, err := s.Jobs(); err != nil || len(jobs) != 1 {
		t.Errorf("Jobs = %v, %v; want [j]: restore buckets are not jobs", jobs, err)
	}
}

// TestRestoreForgottenOnceCopied: the record of a copy (or a forget)
// drops the key's restore request in the same transaction; DeleteJob
// drops them all.
func TestRestoreForgottenOnceCopied(t *testing.T) {
	s, _ := openTemp(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	c := s.NewCommitter("j", 2, time.Hour)
	must(c.PutRestore(testRestore("a")))
	must(c.PutRestore(testRestore("b")))
	must(c.PutRestore(testRestore("c")))
	must(c.Flush())
	for _, k := range []string{"a", "b", "c"} {
		if _, found, err := s.Restore("j", k); !found || err != nil {
			t.Fatalf("restore of %s not committed: %v, %v", k, found, err)
		}
	}
	must(c.Put(testRecord("a")))
	must(c.Delete("b"))
	must(c.Close())
	for k, want := range map[string]bool{"a": false, "b": false, "c": true} {
		if _, found, err := s.Restore("j", k); found != want || err != nil {
			t.Errorf("restore of %s remembered = %v (%v), want %v", k, found, err, want)
		}
	}
	if n, err := s.DeleteJob("j"); err != nil || n != 1 {
		t.Fatalf("DeleteJob = %d, %v", n, err)
	}
	if _, found, _ := s.Restore("j", "c"); found {
		t.Error("DeleteJob left a restore request")
	}
}

func TestRestoreEncodingRoundTrip(t *testing.T) {
	for _, r := range []plan.RestoreRequest{testRestore("k"), {SourceKey: "k"}, {SourceKey: "k", Tier: "Expedited", Days: 1 << 30}} {
		got, err := decodeRestore("k", encodeRestore(&r))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(r, got); diff != "" {
			t.Errorf("round trip (-want +got):\n%s", diff)
		}
	}
	b := encodeRestore(&plan.RestoreRequest{SourceKey: "k", SourceETag: `"x"`, Tier: "Bulk"})
	for i := range len(b) {
		if _, err := decodeRestore("k", b[:i]); err == nil {
			t.Errorf("a restore request cut to %d bytes decodes", i)
		}
	}
}
