package plan

import (
	"fmt"

	"github.com/lakesync/lakesync/internal/config"
)

// partAlignment: part sizes chosen for large objects are whole MiB.
const partAlignment = 1 << 20

// PartSize returns the part size of a multipart copy of an object of
// objectSize bytes: the configured size (config.DefaultPartSize when 0)
// brought within 5 MiB..5 GiB, and raised, in whole MiB, when the object
// would need more than 10,000 parts. Objects over 5 TiB are refused. The
// plan's estimate and apply's copy both size parts with it.
func PartSize(objectSize, configured int64) (int64, error) {
	if objectSize < 0 {
		return 0, fmt.Errorf("object size %d is negative", objectSize)
	}
	if objectSize > config.MaxObjectLen {
		return 0, fmt.Errorf("object size %d bytes is over the S3 limit of 5 TiB", objectSize)
	}
	p := configured
	if p <= 0 {
		p = config.DefaultPartSize
	}
	p = min(max(p, config.MinPartSize), config.MaxPartSize)
	if need := (objectSize + config.MaxParts - 1) / config.MaxParts; need > p {
		p = (need + partAlignment - 1) / partAlignment * partAlignment
	}
	return p, nil
}

// Parts is the number of parts of size partSize in an object of size
// bytes (at least one: an empty object is one empty part).
func Parts(size, partSize int64) int64 {
	if size == 0 {
		return 1
	}
	return (size + partSize - 1) / partSize
}

// PartCount is the number of parts apply copies an object of size bytes
// in with the configured part size; 0 for an object S3 cannot hold.
func PartCount(size, configured int64) int64 {
	p, err := PartSize(size, configured)
	if err != nil {
		return 0
	}
	return Parts(size, p)
}

// CopiedInParts reports whether apply copies an object of size bytes of
// the job in parts, as exec's copy decides: a server-side copy is one
// CopyObject up to the multipart threshold (the default when unset;
// CopyObject takes at most 5 GiB); a stream copy holds at most one part in
// memory, so it copies in parts every object larger than a part, or than
// the threshold when that is smaller.
func CopiedInParts(job *config.Job, size int64) bool {
	threshold := job.MultipartThreshold
	if job.Transfer == config.TransferStream {
		part, _ := PartSize(size, job.PartSize) // 0 for a size S3 cannot hold: refused as a multipart copy
		if threshold <= 0 {
			threshold = part
		}
		return size > min(threshold, part)
	}
	if threshold <= 0 {
		threshold = config.DefaultMultipartThreshold
	}
	return size > min(threshold, config.MaxCopySize)
}
