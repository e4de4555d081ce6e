package state

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// fillPercent is how full bbolt fills a page before it splits one. Its
// default (0.5) suits random inserts; lakesync writes records mostly in
// key order (the listing's), where half-empty pages double the file.
// 0.9 keeps a little room for the records a later run rewrites in place.
const fillPercent = 0.9

// migrateChunk is how many entries one transaction of a migration copies.
const migrateChunk = 10_000

// migrate rewrites a file of format 1 as format 2, in a new file that
// replaces it atomically: every record re-encoded (encoding 2), every
// other entry copied as is, pages filled to fillPercent. The new file is
// opened (and so locked) before it takes the old one's name, so no other
// run slips in between; until the rename, the old file is untouched, and
// a failure leaves it as it was.
func (s *Store) migrate() error {
	tmp := s.path + ".migrate"
	_ = os.Remove(tmp) // left by a migration that was killed
	ndb, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: lockTimeout})
	if err != nil {
		return s.migrateErr(err)
	}
	fail := func(err error) error {
		ndb.Close()
		os.Remove(tmp)
		return s.migrateErr(err)
	}
	if err := s.view(func(tx *bolt.Tx) error { return copyBuckets(tx, ndb) }); err != nil {
		return fail(err)
	}
	if err := ndb.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(metaBucket)
		if err != nil {
			return err
		}
		return b.Put(formatVersionKey, []byte(fmt.Sprint(FormatVersion)))
	}); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmp, s.path); err != nil {
		return fail(err)
	}
	if d, err := os.Open(filepath.Dir(s.path)); err == nil {
		_ = d.Sync()
		d.Close()
	}
	old := s.db
	s.db = ndb
	s.changes.all()
	return old.Close()
}

func (s *Store) migrateErr(err error) error {
	if errors.Is(err, ErrCorrupt) {
		return err
	}
	if uw := unwritable(s.path, err); uw != nil {
		return uw
	}
	return fmt.Errorf("state file %s: migrating it to format version %d: %w", s.path, FormatVersion, err)
}

// copyBuckets copies every bucket of tx into ndb, re-encoding records,
// migrateChunk entries per transaction.
func copyBuckets(tx *bolt.Tx, ndb *bolt.DB) error {
	return tx.ForEach(func(name []byte, src *bolt.Bucket) error {
		records := bytes.HasPrefix(name, []byte(jobPrefix))
		c := src.Cursor()
		k, v := c.First()
		for {
			err := ndb.Update(func(ntx *bolt.Tx) error {
				dst, err := ntx.CreateBucketIfNotExists(name)
				if err != nil {
					return err
				}
				dst.FillPercent = fillPercent
				for i := 0; k != nil && i < migrateChunk; i++ {
					if v == nil {
						return fmt.Errorf("%w: bucket %q holds a bucket %q", ErrCorrupt, name, k)
					}
					if records {
						rec, err := decodeRecord(string(k), v)
						if err != nil {
							return fmt.Errorf("bucket %q, key %q: %w", name, k, err)
						}
						v = encodeRecord(&rec)
					}
					if err := dst.Put(k, v); err != nil {
						return err
					}
					k, v = c.Next()
				}
				return nil
			})
			if err != nil || k == nil {
				return err
			}
		}
	})
}
