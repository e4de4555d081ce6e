package state

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// FormatVersion is the layout of the state file this lakesync writes. A
// file with a newer version is refused, never rewritten. Version 2
// writes records in encoding 2 (encoding.go); a file of version 1 is
// migrated when it is opened for writing (migrate.go) and read as it is
// when opened read-only.
const FormatVersion = 2

// lockTimeout is how long Open waits for another run to release the file
// by default: fail fast.
const lockTimeout = 200 * time.Millisecond

// Bucket names inside the file.
var (
	metaBucket       = []byte("meta")
	formatVersionKey = []byte("format_version")
	jobPrefix        = "job:"     // one bucket per job: source key -> record
	uploadPrefix     = "uploads:" // one bucket per job: destination key -> upload id
)

// ErrLocked is wrapped by the error of Open when another process holds the
// state file.
var ErrLocked = errors.New("state file is locked by another lakesync run")

// ErrCorrupt is wrapped by every error about a damaged state file.
var ErrCorrupt = errors.New("state file is corrupt")

// Store is the state of every job in one bbolt file. It is safe for
// concurrent use; only one process can open a file for writing at a time.
type Store struct {
	db      *bolt.DB
	path    string
	changes *changeLog // nil unless Options.TrackChanges
}

// Options of Open.
type Options struct {
	// ReadOnly opens the file shared, for inspection; it must exist.
	ReadOnly bool
	// LockTimeout is how long to wait for another run to release the file
	// (default 200ms: fail fast).
	LockTimeout time.Duration
	// TrackChanges remembers what changes, for TakeChanges.
	TrackChanges bool
}

// Open opens or creates the state file at path, creating its directory
// with mode 0700 and the file with mode 0600.
func Open(path string, opts Options) (*Store, error) {
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = lockTimeout
	}
	if opts.ReadOnly {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("state file %s: %w", path, err)
		}
	} else {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			if uw := unwritable(path, err); uw != nil {
				return nil, uw
			}
			return nil, fmt.Errorf("state file %s: creating its directory: %w", path, err)
		}
	}
	if err := precheck(path); err != nil {
		return nil, err
	}
	_, statErr := os.Stat(path)
	created := !opts.ReadOnly && errors.Is(statErr, fs.ErrNotExist)
	s, err := openStore(path, opts)
	if err != nil && created && errors.Is(err, syscall.ENOSPC) {
		// A file cut short by a full disk would read as corrupt next time.
		_ = os.Remove(path)
	}
	return s, err
}

func openStore(path string, opts Options) (*Store, error) {
	db, err := openBolt(path, opts)
	if err != nil {
		return nil, err
	}
	s := &Store{db: db, path: path}
	if opts.TrackChanges {
		s.changes = &changeLog{}
	}
	if !opts.ReadOnly {
		if err := os.Chmod(path, 0o600); err != nil {
			db.Close()
			return nil, fmt.Errorf("state file %s: %w", path, err)
		}
	}
	if err := s.checkFormat(!opts.ReadOnly); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func openBolt(path string, opts Options) (db *bolt.DB, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = corrupt(path, fmt.Errorf("%v", p))
		}
	}()
	db, err = bolt.Open(path, 0o600, &bolt.Options{Timeout: opts.LockTimeout, ReadOnly: opts.ReadOnly})
	switch {
	case err == nil:
		return db, nil
	case errors.Is(err, bolterrors.ErrTimeout):
		return nil, fmt.Errorf("%w: %s is in use by another lakesync run (or a `lakesync state` command); wait for it to finish, or make sure no lakesync process uses it and try again", ErrLocked, path)
	case errors.Is(err, bolterrors.ErrInvalid), errors.Is(err, bolterrors.ErrVersionMismatch),
		errors.Is(err, bolterrors.ErrChecksum), errors.Is(err, bolterrors.ErrInvalidMapping):
		return nil, corrupt(path, err)
	case os.IsNotExist(err), opts.ReadOnly && os.IsPermission(err):
		return nil, fmt.Errorf("state file %s: %w", path, err)
	}
	if uw := unwritable(path, err); uw != nil {
		return nil, uw
	}
	// bbolt reports short files and bad pages with plain errors.
	return nil, corrupt(path, err)
}

func corrupt(path string, err error) error {
	return fmt.Errorf("%w: %s: %v; move it away and run `lakesync state rebuild`", ErrCorrupt, path, err)
}

// checkFormat writes the format version into a new file, refuses a file
// of a newer version and, when writable, migrates one of an older
// version.
func (s *Store) checkFormat(writable bool) error {
	var found string
	err := s.view(func(tx *bolt.Tx) error {
		if b := tx.Bucket(metaBucket); b != nil {
			found = string(b.Get(formatVersionKey))
		}
		return nil
	})
	if err != nil {
		return err
	}
	if found == "" {
		if !writable {
			return nil // an empty file opened read-only: nothing recorded
		}
		defer s.changes.mark(metaBucket, formatVersionKey)
		return s.update(func(tx *bolt.Tx) error {
			b, err := tx.CreateBucketIfNotExists(metaBucket)
			if err != nil {
				return err
			}
			return b.Put(formatVersionKey, []byte(strconv.Itoa(FormatVersion)))
		})
	}
	v, err := strconv.Atoi(found)
	if err != nil {
		return corrupt(s.path, fmt.Errorf("format_version %q is not a number", found))
	}
	if v > FormatVersion {
		return fmt.Errorf("state file %s has format version %d, newer than this lakesync understands (%d): upgrade lakesync, or point the state block at another file", s.path, v, FormatVersion)
	}
	if v < FormatVersion && writable {
		return s.migrate()
	}
	return nil
}

// Path is the file's path.
func (s *Store) Path() string { return s.path }

// Close releases the file.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("state file %s: %w", s.path, err)
	}
	return nil
}

// view and update run a transaction; a panic of bbolt over a damaged page
// becomes an ErrCorrupt error naming the file.
func (s *Store) view(fn func(*bolt.Tx) error) (err error) {
	defer s.recoverCorrupt(&err)
	return s.db.View(fn)
}

func (s *Store) update(fn func(*bolt.Tx) error) (err error) {
	defer s.recoverCorrupt(&err)
	if err := s.db.Update(fn); err != nil {
		if errors.Is(err, ErrCorrupt) {
			return err
		}
		if uw := unwritable(s.path, err); uw != nil {
			return uw
		}
		return fmt.Errorf("state file %s: writing: %w", s.path, err)
	}
	return nil
}

func (s *Store) recoverCorrupt(err *error) {
	if p := recover(); p != nil {
		*err = corrupt(s.path, fmt.Errorf("%v", p))
	}
}
