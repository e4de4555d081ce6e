package state

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestMigrationRecords: a migration's record survives a reopen, a
// migration never started reads as not found, and the change is tracked
// for a remote state.
func TestMigrationRecords(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state")
	s, err := Open(path, Options{TrackChanges: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, found, err := s.Migration("move"); err != nil || found {
		t.Fatalf("before any step: found %v, %v", found, err)
	}
	for step := 1; step <= 3; step++ {
		if err := s.PutMigration("move", MigrationRecord{Step: step, Status: "done"}); err != nil {
			t.Fatal(err)
		}
	}
	ch, err := s.TakeChanges()
	if err != nil {
		t.Fatal(err)
	}
	var tracked []string
	for _, b := range ch.Buckets {
		for _, e := range b.Entries {
			tracked = append(tracked, string(b.Name)+"/"+string(e.Key))
		}
	}
	if diff := cmp.Diff([]string{"meta/format_version", "migrations/move"}, tracked); diff != "" {
		t.Errorf("tracked changes (-want +got):\n%s", diff)
	}
	s.Close()
	s, err = Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, found, err := s.Migration("move")
	if err != nil || !found {
		t.Fatalf("after reopen: found %v, %v", found, err)
	}
	if diff := cmp.Diff(MigrationRecord{Step: 3, Status: "done"}, got); diff != "" {
		t.Errorf("record (-want +got):\n%s", diff)
	}
}
