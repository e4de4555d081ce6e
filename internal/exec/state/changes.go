package state

import (
	"encoding/binary"
	"fmt"
	"slices"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// changeLog remembers, for a store opened with Options.TrackChanges,
// which entries changed since the last TakeChanges, so that a remote
// state uploads what changed rather than the whole file. Entries are
// marked after their transaction commits, and TakeChanges swaps the log
// before it reads their values: a write that races a take is read by it
// or marked for the next one, never lost. A nil log tracks nothing.
type changeLog struct {
	mu      sync.Mutex
	whole   bool // a change that cannot be listed (a migration)
	buckets map[string]*bucketLog
}

type bucketLog struct {
	dropped bool // the bucket was deleted; keys are those changed since
	keys    map[string]struct{}
}

func (l *changeLog) bucket(name []byte) *bucketLog {
	if l.buckets == nil {
		l.buckets = map[string]*bucketLog{}
	}
	b := l.buckets[string(name)]
	if b == nil {
		b = &bucketLog{keys: map[string]struct{}{}}
		l.buckets[string(name)] = b
	}
	return b
}

// mark records that keys of bucket changed.
func (l *changeLog) mark(bucket []byte, keys ...[]byte) {
	if l == nil || len(keys) == 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucket(bucket)
	for _, k := range keys {
		b.keys[string(k)] = struct{}{}
	}
}

// drop records that bucket was deleted.
func (l *changeLog) drop(bucket []byte) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucket(bucket)
	b.dropped, b.keys = true, map[string]struct{}{}
}

// all records a change of the whole store.
func (l *changeLog) all() {
	if l == nil {
		return
	}
	l.mu.Lock()
	l.whole = true
	l.mu.Unlock()
}

// Changes is what changed in a store since the last TakeChanges: per
// bucket, whether it was deleted and whether it exists now, and the
// current value of each changed key. Whole says the changes could not be
// listed (the file was migrated): the whole store must be copied.
type Changes struct {
	Whole   bool
	Buckets []BucketChanges
}

// BucketChanges are the changes of one bucket: replaying them deletes
// the bucket if Dropped, creates it if Exists, then writes Entries.
type BucketChanges struct {
	Name            []byte
	Dropped, Exists bool
	Entries         []Entry
}

// Entry is a key and its value; a nil Value deletes the key.
type Entry struct{ Key, Value []byte }

// Empty reports whether nothing changed.
func (c *Changes) Empty() bool { return !c.Whole && len(c.Buckets) == 0 }

// TakeChanges returns what changed since the last call (or the open) and
// starts a new log. A caller that fails to keep them gives them back
// with ReturnChanges. A store opened without TrackChanges returns none.
func (s *Store) TakeChanges() (*Changes, error) {
	l := s.changes
	if l == nil {
		return &Changes{}, nil
	}
	l.mu.Lock()
	whole, taken := l.whole, l.buckets
	l.whole, l.buckets = false, nil
	l.mu.Unlock()
	c := &Changes{Whole: whole}
	names := make([]string, 0, len(taken))
	for n := range taken {
		names = append(names, n)
	}
	slices.Sort(names)
	err := s.view(func(tx *bolt.Tx) error {
		for _, n := range names {
			bl := taken[n]
			bc := BucketChanges{Name: []byte(n), Dropped: bl.dropped}
			b := tx.Bucket(bc.Name)
			bc.Exists = b != nil
			keys := make([]string, 0, len(bl.keys))
			for k := range bl.keys {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				if b == nil {
					break // the bucket is gone, and its keys with it
				}
				e := Entry{Key: []byte(k)}
				if v := b.Get(e.Key); v != nil {
					e.Value = slices.Clone(v)
				}
				bc.Entries = append(bc.Entries, e)
			}
			c.Buckets = append(c.Buckets, bc)
		}
		return nil
	})
	if err != nil {
		s.ReturnChanges(c)
		return nil, err
	}
	return c, nil
}

// ReturnChanges gives back changes taken by TakeChanges that could not
// be kept, so that the next take includes them (with their values then).
func (s *Store) ReturnChanges(c *Changes) {
	l := s.changes
	if l == nil || c == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.whole = l.whole || c.Whole
	for _, bc := range c.Buckets {
		b := l.bucket(bc.Name)
		b.dropped = b.dropped || bc.Dropped
		for _, e := range bc.Entries {
			b.keys[string(e.Key)] = struct{}{}
		}
	}
}

// ApplyChanges replays changes taken from another copy of the store in
// one transaction. It is not itself recorded as a change.
func (s *Store) ApplyChanges(c *Changes) error {
	return s.update(func(tx *bolt.Tx) error {
		for _, bc := range c.Buckets {
			if (bc.Dropped || !bc.Exists) && tx.Bucket(bc.Name) != nil {
				if err := tx.DeleteBucket(bc.Name); err != nil {
					return err
				}
			}
			if !bc.Exists {
				continue
			}
			b, err := tx.CreateBucketIfNotExists(bc.Name)
			if err != nil {
				return fmt.Errorf("bucket %q: %w", bc.Name, err)
			}
			b.FillPercent = fillPercent
			for _, e := range bc.Entries {
				if e.Value == nil {
					err = b.Delete(e.Key)
				} else {
					err = b.Put(e.Key, e.Value)
				}
				if err != nil {
					return fmt.Errorf("bucket %q, key %q: %w", bc.Name, e.Key, err)
				}
			}
		}
		return nil
	})
}

// AppendBinary appends the encoding of the buckets' changes (not Whole):
//
//	uvarint  buckets, then each: string name, byte flags (1 dropped,
//	         2 exists), uvarint entries, then each: string key, byte
//	         1 and a string value, or byte 0 (deleted)
func (c *Changes) AppendBinary(b []byte) ([]byte, error) {
	b = binary.AppendUvarint(b, uint64(len(c.Buckets)))
	for _, bc := range c.Buckets {
		b = appendString(b, string(bc.Name))
		var flags byte
		if bc.Dropped {
			flags |= 1
		}
		if bc.Exists {
			flags |= 2
		}
		b = append(b, flags)
		b = binary.AppendUvarint(b, uint64(len(bc.Entries)))
		for _, e := range bc.Entries {
			b = appendString(b, string(e.Key))
			if e.Value == nil {
				b = append(b, 0)
				continue
			}
			b = appendString(append(b, 1), string(e.Value))
		}
	}
	return b, nil
}

// DecodeChanges decodes what AppendBinary wrote; b must hold exactly
// that. A damaged encoding gives an error wrapping ErrCorrupt.
func DecodeChanges(b []byte) (*Changes, error) {
	d := decoder{b: b}
	c := &Changes{}
	nb := d.uvarint("buckets", uint64(len(b)))
	for range nb {
		bc := BucketChanges{Name: []byte(d.string())}
		flags := d.bytes("flags", 1)
		if d.err != nil || flags[0] > 3 {
			d.fail("flags")
			break
		}
		bc.Dropped, bc.Exists = flags[0]&1 != 0, flags[0]&2 != 0
		ne := d.uvarint("entries", uint64(len(d.b)))
		for range ne {
			e := Entry{Key: []byte(d.string())}
			present := d.bytes("value", 1)
			if d.err != nil {
				break
			}
			if present[0] > 1 {
				d.fail("value")
				break
			}
			if present[0] == 1 {
				e.Value = []byte(d.string())
			}
			bc.Entries = append(bc.Entries, e)
		}
		c.Buckets = append(c.Buckets, bc)
	}
	if err := d.end("changes"); err != nil {
		return nil, err
	}
	return c, nil
}
