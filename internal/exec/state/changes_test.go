package state

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"
)

// dump is every bucket of a store with its entries.
func dump(t *testing.T, s *Store) map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]string{}
	err := s.view(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			m := map[string]string{}
			out[string(name)] = m
			return b.ForEach(func(k, v []byte) error { m[string(k)] = string(v); return nil })
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestChangesReplay: the changes taken from a store, encoded, decoded and
// replayed on a copy of it as it was at the previous take, make the copy
// equal to it: records, deletes, restore requests, uploads, a job
// deleted, a job deleted and written again.
func TestChangesReplay(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(filepath.Join(dir, "state"), Options{TrackChanges: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	must(t, s.Put("j", testRecord("a"), testRecord("b"), testRecord("c")))
	must(t, s.Put("gone", testRecord("x")))
	must(t, s.Put("again", testRecord("y")))
	must(t, s.PutRestores("j", testRestore("r1"), testRestore("r2")))
	must(t, s.AddUpload("j", Upload{DestKey: "d", UploadID: "u1"}))
	if _, err := s.TakeChanges(); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, "copy"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Snapshot(f); err != nil {
		t.Fatal(err)
	}
	f.Close()

	must(t, s.Put("j", testRecord("d"), testRecord("r1")))
	must(t, s.Delete("j", "a", "missing"))
	must(t, s.AddUpload("j", Upload{DestKey: "d", UploadID: "u2"}))
	must(t, s.RemoveUpload("j", Upload{DestKey: "d", UploadID: "u1"}))
	if _, err := s.DeleteJob("gone"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DeleteJob("again"); err != nil {
		t.Fatal(err)
	}
	must(t, s.Put("again", testRecord("z")))
	first, err := s.TakeChanges()
	if err != nil {
		t.Fatal(err)
	}
	s.ReturnChanges(first) // as after a failed upload
	must(t, s.Put("j", testRecord("e")))
	c, err := s.TakeChanges()
	if err != nil {
		t.Fatal(err)
	}
	enc, err := c.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeChanges(enc)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(c, got); diff != "" {
		t.Fatalf("decoded changes (-want +got):\n%s", diff)
	}
	cp, err := Open(filepath.Join(dir, "copy"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	must(t, cp.ApplyChanges(got))
	if diff := cmp.Diff(dump(t, s), dump(t, cp)); diff != "" {
		t.Errorf("the copy after the replay (-store +copy):\n%s", diff)
	}
	if again, err := s.TakeChanges(); err != nil || !again.Empty() {
		t.Errorf("a second take = %+v, %v; want nothing", again, err)
	}
	for i := range enc {
		if _, err := DecodeChanges(enc[:i]); err == nil {
			t.Errorf("changes truncated at %d bytes decode", i)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
