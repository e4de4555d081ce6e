package state

import (
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/lakesync/lakesync/internal/plan"
)

// restorePrefix names the bucket of a job's restore requests: source key
// -> the RestoreObject lakesync sent for it. A file written before
// lakesync restored anything has no such bucket and reads as "no
// requests": no migration, and the format version stays.
const restorePrefix = "restores:"

func restoreBucket(job string) []byte { return []byte(restorePrefix + job) }

// A restore request is stored under its source key as:
//
//	byte     encoding version (1)
//	uvarint  days
//	varint   requested-at, Unix nanoseconds (0: unknown)
//	2 x      uvarint length + bytes: source ETag, tier
const restoreEncoding = 1

func encodeRestore(r *plan.RestoreRequest) []byte {
	b := make([]byte, 0, 1+2*binary.MaxVarintLen64+2*binary.MaxVarintLen32+len(r.SourceETag)+len(r.Tier))
	b = append(b, restoreEncoding)
	b = binary.AppendUvarint(b, uint64(max(r.Days, 0)))
	var at int64
	if !r.RequestedAt.IsZero() {
		at = r.RequestedAt.UnixNano()
	}
	b = binary.AppendVarint(b, at)
	for _, s := range [...]string{r.SourceETag, r.Tier} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	return b
}

func decodeRestore(key string, b []byte) (plan.RestoreRequest, error) {
	r := plan.RestoreRequest{SourceKey: key}
	if len(b) == 0 || b[0] != restoreEncoding {
		return r, fmt.Errorf("%w: restore request encoding %v unknown", ErrCorrupt, b[:min(len(b), 1)])
	}
	b = b[1:]
	days, n := binary.Uvarint(b)
	if n <= 0 || days > 1<<31 {
		return r, fmt.Errorf("%w: restore days: %w", ErrCorrupt, errShortRecord)
	}
	r.Days = int(days)
	b = b[n:]
	at, n := binary.Varint(b)
	if n <= 0 {
		return r, fmt.Errorf("%w: requested-at: %w", ErrCorrupt, errShortRecord)
	}
	if at != 0 {
		r.RequestedAt = time.Unix(0, at).UTC()
	}
	b = b[n:]
	if err := readStrings(b, "restore request", &r.SourceETag, &r.Tier); err != nil {
		return r, err
	}
	return r, nil
}

// Restore returns the restore request remembered for a source key of a
// job.
func (s *Store) Restore(job, sourceKey string) (plan.RestoreRequest, bool, error) {
	return getValue(s, restoreBucket(job), job, sourceKey, decodeRestore)
}

// PutRestores remembers restore requests of a job in one transaction.
func (s *Store) PutRestores(job string, reqs ...plan.RestoreRequest) error {
	return s.apply(job, nil, nil, reqs)
}

// putRestores writes reqs into tx.
func putRestores(tx *bolt.Tx, job string, reqs []plan.RestoreRequest) error {
	if len(reqs) == 0 {
		return nil
	}
	b, err := tx.CreateBucketIfNotExists(restoreBucket(job))
	if err != nil {
		return err
	}
	b.FillPercent = fillPercent
	for i := range reqs {
		if reqs[i].SourceKey == "" {
			return fmt.Errorf("job %q: a restore request without a source key", job)
		}
		if err := b.Put([]byte(reqs[i].SourceKey), encodeRestore(&reqs[i])); err != nil {
			return fmt.Errorf("job %q, key %q: %w", job, reqs[i].SourceKey, err)
		}
	}
	return nil
}

// forgetRestores removes the restore requests of source keys that were
// just recorded as copied or forgotten (a restore request is remembered
// only until its object is copied), and returns the keys it removed.
func forgetRestores(tx *bolt.Tx, job string, recs []plan.StateRecord, deletes []string) ([][]byte, error) {
	b := tx.Bucket(restoreBucket(job))
	if b == nil {
		return nil, nil
	}
	var removed [][]byte
	forget := func(k []byte) error {
		if len(k) == 0 || b.Get(k) == nil {
			return nil
		}
		removed = append(removed, k)
		return b.Delete(k)
	}
	for i := range recs {
		if err := forget([]byte(recs[i].SourceKey)); err != nil {
			return nil, err
		}
	}
	for _, k := range deletes {
		if err := forget([]byte(k)); err != nil {
			return nil, err
		}
	}
	return removed, nil
}
