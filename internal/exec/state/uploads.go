package state

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Upload is a multipart upload a run started and has not yet completed or
// aborted. It is recorded (committed at once) before the first part, so a
// run killed with -9 leaves a trace the next run resumes or aborts:
// uploads are never leaked.
type Upload struct {
	DestKey  string
	UploadID string
	// What the upload was started for, which a later run checks before
	// it resumes the upload: the source's ETag the parts were pinned to,
	// the part size and the transfer ("server-side" or "stream"). Empty
	// for an upload recorded by a lakesync that did not resume uploads:
	// the next run aborts it.
	SourceETag string
	PartSize   int64
	Transfer   string
}

// Resumable reports whether the upload's plan was recorded.
func (u Upload) Resumable() bool { return u.SourceETag != "" && u.PartSize > 0 }

func uploadBucket(job string) []byte { return []byte(uploadPrefix + job) }

// uploadPlanPrefix names the bucket of what each upload of a job was
// started for (source ETag, part size, transfer), keyed as the uploads
// bucket. It is apart so that the uploads bucket keeps the value an
// older lakesync of format 2 reads (the upload id): a file without it
// reads as "no plan recorded", no migration, the format version stays.
const uploadPlanPrefix = "upload-plans:"

func uploadPlanBucket(job string) []byte { return []byte(uploadPlanPrefix + job) }

// An upload's plan is stored as:
//
//	byte     encoding version (1)
//	uvarint  part size
//	2 x      uvarint length + bytes: source ETag, transfer
const uploadPlanEncoding = 1

func encodeUploadPlan(u Upload) []byte {
	b := []byte{uploadPlanEncoding}
	b = binary.AppendUvarint(b, uint64(max(u.PartSize, 0)))
	return appendString(appendString(b, u.SourceETag), u.Transfer)
}

func decodeUploadPlan(u *Upload, b []byte) error {
	if len(b) == 0 || b[0] != uploadPlanEncoding {
		return fmt.Errorf("%w: upload plan encoding %v unknown", ErrCorrupt, b[:min(len(b), 1)])
	}
	d := decoder{b: b[1:]}
	u.PartSize = int64(d.uvarint("part size", 1<<62))
	u.SourceETag, u.Transfer = d.string(), d.string()
	return d.end("upload plan")
}

// uploadKey keys an upload by destination key and upload id, so two
// uploads of one key (a retried object) are both remembered.
func uploadKey(u Upload) []byte { return []byte(u.DestKey + "\x00" + u.UploadID) }

// AddUpload records a multipart upload, and what it is for, before it
// is used.
func (s *Store) AddUpload(job string, u Upload) error {
	defer s.changes.mark(uploadBucket(job), uploadKey(u))
	defer s.changes.mark(uploadPlanBucket(job), uploadKey(u))
	return s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(uploadBucket(job))
		if err != nil {
			return err
		}
		if err := b.Put(uploadKey(u), []byte(u.UploadID)); err != nil {
			return err
		}
		if !u.Resumable() {
			return nil
		}
		p, err := tx.CreateBucketIfNotExists(uploadPlanBucket(job))
		if err != nil {
			return err
		}
		return p.Put(uploadKey(u), encodeUploadPlan(u))
	})
}

// RemoveUpload forgets a completed or aborted multipart upload.
func (s *Store) RemoveUpload(job string, u Upload) error {
	defer s.changes.mark(uploadBucket(job), uploadKey(u))
	defer s.changes.mark(uploadPlanBucket(job), uploadKey(u))
	return s.update(func(tx *bolt.Tx) error {
		if p := tx.Bucket(uploadPlanBucket(job)); p != nil {
			if err := p.Delete(uploadKey(u)); err != nil {
				return err
			}
		}
		b := tx.Bucket(uploadBucket(job))
		if b == nil {
			return nil
		}
		return b.Delete(uploadKey(u))
	})
}

// Uploads lists the multipart uploads of a job left by earlier runs, with
// their plans where recorded.
func (s *Store) Uploads(job string) ([]Upload, error) {
	var out []Upload
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(uploadBucket(job))
		if b == nil {
			return nil
		}
		plans := tx.Bucket(uploadPlanBucket(job))
		return b.ForEach(func(k, v []byte) error {
			id := string(v)
			key := string(k)
			if len(key) < len(id)+1 || key[len(key)-len(id)-1:] != "\x00"+id {
				return fmt.Errorf("%w: upload entry %q", ErrCorrupt, k)
			}
			u := Upload{DestKey: key[:len(key)-len(id)-1], UploadID: id}
			if plans != nil {
				if p := plans.Get(k); p != nil {
					if err := decodeUploadPlan(&u, p); err != nil {
						return fmt.Errorf("upload entry %q: %w", k, err)
					}
				}
			}
			out = append(out, u)
			return nil
		})
	})
	return out, err
}
