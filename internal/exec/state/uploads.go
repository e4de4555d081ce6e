package state

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Upload is a multipart upload a run started and has not yet completed or
// aborted. It is recorded (committed at once) before the first part, so a
// run killed with -9 leaves a trace the next run aborts: uploads are never
// leaked.
type Upload struct {
	DestKey  string
	UploadID string
}

func uploadBucket(job string) []byte { return []byte(uploadPrefix + job) }

// uploadKey keys an upload by destination key and upload id, so two
// uploads of one key (a retried object) are both remembered.
func uploadKey(u Upload) []byte { return []byte(u.DestKey + "\x00" + u.UploadID) }

// AddUpload records a multipart upload before it is used.
func (s *Store) AddUpload(job string, u Upload) error {
	defer s.changes.mark(uploadBucket(job), uploadKey(u))
	return s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(uploadBucket(job))
		if err != nil {
			return err
		}
		return b.Put(uploadKey(u), []byte(u.UploadID))
	})
}

// RemoveUpload forgets a completed or aborted multipart upload.
func (s *Store) RemoveUpload(job string, u Upload) error {
	defer s.changes.mark(uploadBucket(job), uploadKey(u))
	return s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(uploadBucket(job))
		if b == nil {
			return nil
		}
		return b.Delete(uploadKey(u))
	})
}

// Uploads lists the multipart uploads of a job left by earlier runs.
func (s *Store) Uploads(job string) ([]Upload, error) {
	var out []Upload
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(uploadBucket(job))
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			id := string(v)
			key := string(k)
			if len(key) < len(id)+1 || key[len(key)-len(id)-1:] != "\x00"+id {
				return fmt.Errorf("%w: upload entry %q", ErrCorrupt, k)
			}
			out = append(out, Upload{DestKey: key[:len(key)-len(id)-1], UploadID: id})
			return nil
		})
	})
	return out, err
}
