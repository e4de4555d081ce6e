package state

import (
	"fmt"
	"io"

	bolt "go.etcd.io/bbolt"
)

// Snapshot writes a consistent copy of the whole file to w while the store
// stays open for writing (one read transaction), and returns the id of the
// last transaction it holds: an unchanged id means nothing was written
// since the previous snapshot.
func (s *Store) Snapshot(w io.Writer) (txid int, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		txid = tx.ID()
		_, err := tx.WriteTo(w)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("state file %s: snapshot: %w", s.path, err)
	}
	return txid, nil
}
