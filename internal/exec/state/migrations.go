package state

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// migrationsBucket holds one entry per migration (lakesync migrate NAME):
// name -> MigrationRecord as JSON. A file written before lakesync moved a
// bucket has no such bucket and reads as "no migration started": no
// format change.
var migrationsBucket = []byte("migrations")

// MigrationRecord is how far a migration got: Step is the last step whose
// Status is recorded ("done": the step completed; a migration resumes at
// Step+1).
type MigrationRecord struct {
	Step   int    `json:"step"`
	Status string `json:"status"`
}

// Migration returns the record of the migration named name; found is
// false when it never recorded a step.
func (s *Store) Migration(name string) (rec MigrationRecord, found bool, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(migrationsBucket)
		if b == nil {
			return nil
		}
		raw := b.Get([]byte(name))
		if raw == nil {
			return nil
		}
		found = true
		if err := json.Unmarshal(raw, &rec); err != nil {
			return fmt.Errorf("%w: migration record: %w", ErrCorrupt, err)
		}
		return nil
	})
	if err != nil {
		return MigrationRecord{}, false, fmt.Errorf("state file %s, migration %q: %w", s.path, name, err)
	}
	return rec, found, nil
}

// PutMigration records rec for the migration named name, committed when
// it returns.
func (s *Store) PutMigration(name string, rec MigrationRecord) error {
	raw, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	err = s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(migrationsBucket)
		if err != nil {
			return err
		}
		return b.Put([]byte(name), raw)
	})
	if err != nil {
		return fmt.Errorf("state file %s, migration %q: %w", s.path, name, err)
	}
	s.changes.mark(migrationsBucket, []byte(name))
	return nil
}
