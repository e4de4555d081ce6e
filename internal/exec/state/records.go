package state

import (
	"bytes"
	"context"
	"fmt"
	"iter"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/lakesync/lakesync/internal/plan"
)

// chunk is how many records one read transaction yields, so that a long
// run never pins one transaction (and the file's old pages) for its life.
const chunk = 1000

func jobBucket(job string) []byte { return []byte(jobPrefix + job) }

// Get returns the record of a source key of a job.
func (s *Store) Get(job, sourceKey string) (plan.StateRecord, bool, error) {
	return getValue(s, jobBucket(job), job, sourceKey, decodeRecord)
}

// getValue reads and decodes the value of sourceKey in bucket, a bucket
// of job's: found is false when there is none.
func getValue[T any](s *Store, bucket []byte, job, sourceKey string, decode func(string, []byte) (T, error)) (v T, found bool, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucket)
		if b == nil {
			return nil
		}
		raw := b.Get([]byte(sourceKey))
		if raw == nil {
			return nil
		}
		found = true
		var err error
		v, err = decode(sourceKey, raw)
		return err
	})
	if err != nil {
		var zero T
		return zero, false, s.recordErr(job, sourceKey, err)
	}
	return v, found, nil
}

func (s *Store) recordErr(job, key string, err error) error {
	return fmt.Errorf("state file %s, job %q, key %q: %w", s.path, job, key, err)
}

// Put writes records of a job in one transaction.
func (s *Store) Put(job string, recs ...plan.StateRecord) error {
	return s.Apply(job, recs, nil)
}

// Delete removes records of a job in one transaction; absent keys are
// ignored.
func (s *Store) Delete(job string, sourceKeys ...string) error {
	return s.Apply(job, nil, sourceKeys)
}

// Apply writes recs and removes the records of deletes in one transaction.
func (s *Store) Apply(job string, recs []plan.StateRecord, deletes []string) error {
	return s.apply(job, recs, deletes, nil)
}

// apply writes restore requests, then recs, and removes the records of
// deletes, in one transaction. A record or a delete drops the restore
// request of its key.
func (s *Store) apply(job string, recs []plan.StateRecord, deletes []string, restores []plan.RestoreRequest) error {
	if len(recs) == 0 && len(deletes) == 0 && len(restores) == 0 {
		return nil
	}
	var forgotten [][]byte // restore requests dropped
	defer func() { s.markApplied(job, recs, deletes, restores, forgotten) }()
	return s.update(func(tx *bolt.Tx) error {
		if err := putRestores(tx, job, restores); err != nil {
			return err
		}
		var err error
		if forgotten, err = forgetRestores(tx, job, recs, deletes); err != nil {
			return err
		}
		if len(recs) == 0 && len(deletes) == 0 {
			return nil
		}
		b, err := tx.CreateBucketIfNotExists(jobBucket(job))
		if err != nil {
			return err
		}
		b.FillPercent = fillPercent
		for i := range recs {
			if recs[i].SourceKey == "" {
				return fmt.Errorf("job %q: a record without a source key", job)
			}
			if err := b.Put([]byte(recs[i].SourceKey), encodeRecord(&recs[i])); err != nil {
				return fmt.Errorf("job %q, key %q: %w", job, recs[i].SourceKey, err)
			}
		}
		for _, k := range deletes {
			if k == "" {
				continue
			}
			if err := b.Delete([]byte(k)); err != nil {
				return fmt.Errorf("job %q, key %q: %w", job, k, err)
			}
		}
		return nil
	})
}

// markApplied marks what apply changed.
func (s *Store) markApplied(job string, recs []plan.StateRecord, deletes []string, restores []plan.RestoreRequest, forgotten [][]byte) {
	if s.changes == nil {
		return
	}
	keys := make([][]byte, 0, len(recs)+len(deletes))
	for i := range recs {
		keys = append(keys, []byte(recs[i].SourceKey))
	}
	for _, k := range deletes {
		keys = append(keys, []byte(k))
	}
	s.changes.mark(jobBucket(job), keys...)
	keys = forgotten
	for i := range restores {
		keys = append(keys, []byte(restores[i].SourceKey))
	}
	s.changes.mark(restoreBucket(job), keys...)
}

// DeleteJob removes every record of a job and returns how many there were.
func (s *Store) DeleteJob(job string) (int, error) {
	n := 0
	defer func() {
		for _, b := range [][]byte{jobBucket(job), restoreBucket(job), uploadBucket(job), uploadPlanBucket(job)} {
			s.changes.drop(b)
		}
	}()
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(jobBucket(job))
		if b == nil {
			return nil
		}
		n = b.Stats().KeyN
		if err := tx.DeleteBucket(jobBucket(job)); err != nil {
			return err
		}
		if tx.Bucket(restoreBucket(job)) != nil {
			if err := tx.DeleteBucket(restoreBucket(job)); err != nil {
				return err
			}
		}
		if tx.Bucket(uploadPlanBucket(job)) != nil {
			if err := tx.DeleteBucket(uploadPlanBucket(job)); err != nil {
				return err
			}
		}
		if tx.Bucket(uploadBucket(job)) != nil {
			return tx.DeleteBucket(uploadBucket(job))
		}
		return nil
	})
	return n, err
}

// Jobs lists the jobs that have records, sorted.
func (s *Store) Jobs() ([]string, error) {
	var jobs []string
	err := s.view(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
			if j, ok := strings.CutPrefix(string(name), jobPrefix); ok {
				jobs = append(jobs, j)
			}
			return nil
		})
	})
	return jobs, err
}

// JobRecord is a record and the job it belongs to.
type JobRecord struct {
	Job    string
	Record plan.StateRecord
}

// Find returns the records of a source key in every job (state show KEY).
func (s *Store) Find(sourceKey string) ([]JobRecord, error) {
	jobs, err := s.Jobs()
	if err != nil {
		return nil, err
	}
	var out []JobRecord
	for _, j := range jobs {
		rec, ok, err := s.Get(j, sourceKey)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, JobRecord{Job: j, Record: rec})
		}
	}
	return out, nil
}

// Records yields the records of a job whose source key starts with prefix,
// in key order: a sorted stream for plan.Merge. It reads in chunks, one
// short read transaction each, and stops when ctx is done.
func (s *Store) Records(ctx context.Context, job, prefix string) iter.Seq2[plan.StateRecord, error] {
	return s.RecordsFrom(ctx, job, prefix, prefix)
}

// RecordsFrom is Records starting at the first source key at or after
// seek (a key range's plan.KeyRange.Seek): the scan of one key range,
// which its consumer ends at the range's end (plan.Bound), so that a
// range reads at most one chunk past itself.
func (s *Store) RecordsFrom(ctx context.Context, job, prefix, seek string) iter.Seq2[plan.StateRecord, error] {
	seek = max(seek, prefix)
	return func(yield func(plan.StateRecord, error) bool) {
		after := []byte(nil) // the last key yielded
		batch := make([]plan.StateRecord, 0, chunk)
		for {
			if err := ctx.Err(); err != nil {
				yield(plan.StateRecord{}, err)
				return
			}
			batch = batch[:0]
			err := s.view(func(tx *bolt.Tx) error {
				b := tx.Bucket(jobBucket(job))
				if b == nil {
					return nil
				}
				c := b.Cursor()
				var k, v []byte
				if after == nil {
					k, v = c.Seek([]byte(seek))
				} else {
					k, v = c.Seek(after)
					if bytes.Equal(k, after) {
						k, v = c.Next()
					}
				}
				for ; k != nil && len(batch) < chunk; k, v = c.Next() {
					if !bytes.HasPrefix(k, []byte(prefix)) {
						break
					}
					rec, err := decodeRecord(string(k), v)
					if err != nil {
						return fmt.Errorf("job %q, key %q: %w", job, k, err)
					}
					batch = append(batch, rec)
				}
				return nil
			})
			if err != nil {
				yield(plan.StateRecord{}, err)
				return
			}
			for _, rec := range batch {
				if !yield(rec, nil) {
					return
				}
			}
			if len(batch) < chunk {
				return
			}
			after = []byte(batch[len(batch)-1].SourceKey)
		}
	}
}
