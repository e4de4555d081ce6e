package copier

import (
	"context"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakesync/lakesync/internal/exec/awserr"
	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/plan"
)

// Why a multipart upload an earlier run left is aborted rather than
// resumed (LeftoverUpload.Reason); the views print them after "because".
const (
	ReasonSourceChanged   = "the source changed"    // its ETag is not the one the parts were pinned to
	ReasonPartSizeChanged = "the part size changed" // another part_size
	ReasonPartsDiffer     = "a part it holds does not fit the part plan"
	ReasonTransferChanged = "the transfer changed"        // server-side parts and stream parts do not mix
	ReasonNoSuchUpload    = "S3 no longer knows it"       // NoSuchUpload: aborted or expired meanwhile
	ReasonNotCopied       = "this run did not copy it"    // the object is gone, or unchanged, or adopted
	ReasonListParts       = "its parts could not be read" // ListParts failed (Err says why)
)

// leftovers are the uploads earlier runs left that this run may resume,
// one per destination key; what is still there when the run has gone
// through is aborted.
type leftovers struct {
	mu sync.Mutex
	by map[string]state.Upload
}

// take removes and returns the leftover upload of dstKey.
func (l *leftovers) take(dstKey string) (state.Upload, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	u, ok := l.by[dstKey]
	delete(l.by, dstKey)
	return u, ok
}

// leftoverUploads sorts the multipart uploads earlier runs of the job
// started and never finished (a kill -9): those recorded with what they
// were for are kept to be resumed when their object comes; the others
// (recorded by an older lakesync, or a second upload of one key) are
// aborted now, and the run says so for each.
func (r *run) leftoverUploads() {
	ups, err := r.c.State.Uploads(r.job.Name)
	if err != nil {
		return
	}
	r.left.by = map[string]state.Upload{}
	for _, u := range ups {
		if _, dup := r.left.by[u.DestKey]; u.Resumable() && !dup {
			r.left.by[u.DestKey] = u
			continue
		}
		r.abortLeftover(u, "")
	}
}

// abortUnclaimed aborts the leftover uploads whose objects the run did
// not copy; a run that was stopped keeps them for the next.
func (r *run) abortUnclaimed() {
	if r.halted() {
		return
	}
	r.left.mu.Lock()
	ups := make([]state.Upload, 0, len(r.left.by))
	for _, u := range r.left.by {
		ups = append(ups, u)
	}
	clear(r.left.by)
	r.left.mu.Unlock()
	for _, u := range ups {
		r.abortLeftover(u, ReasonNotCopied)
	}
}

// abortLeftover aborts an upload an earlier run left and says so.
func (r *run) abortLeftover(u state.Upload, reason string) {
	e := &LeftoverUpload{Job: r.job.Name, DestKey: u.DestKey, UploadID: u.UploadID, Action: "aborted", Reason: reason}
	if e.Err = r.abort(u); e.Err != nil {
		e.Action = "kept"
	}
	r.emit(e)
}

// resume takes the upload an earlier run left for dstKey and checks it
// against this copy of src: the same source ETag, part size and
// transfer, and every part S3 lists of the size the part plan gives its
// number. It returns the upload and its parts by number (index n-1, nil
// where missing), or ok false after aborting an upload that does not fit
// (the run says why): the object then starts again.
func (r *run) resume(src *plan.SourceObject, dstKey string, partSize int64) (up state.Upload, have []*s3types.CompletedPart, ok bool) {
	up, found := r.left.take(dstKey)
	if !found {
		return up, nil, false
	}
	reason := ""
	var listErr error
	switch {
	case up.SourceETag != src.ETag:
		reason = ReasonSourceChanged
	case up.PartSize != partSize:
		reason = ReasonPartSizeChanged
	case up.Transfer != string(r.job.Transfer):
		reason = ReasonTransferChanged
	default:
		have, listErr = r.listParts(up, src.Size, partSize)
		switch {
		case awserr.HasCode(listErr, "NoSuchUpload"):
			reason = ReasonNoSuchUpload
		case listErr != nil:
			reason = ReasonListParts
		case have == nil:
			reason = ReasonPartsDiffer
		}
	}
	if reason != "" {
		e := &LeftoverUpload{Job: r.job.Name, DestKey: up.DestKey, UploadID: up.UploadID, Action: "aborted", Reason: reason, Err: listErr}
		if err := r.abort(up); err != nil {
			e.Action, e.Err = "kept", err
		}
		r.emit(e)
		return up, nil, false
	}
	n := int32(0)
	for _, p := range have {
		if p != nil {
			n++
		}
	}
	r.emit(&LeftoverUpload{Job: r.job.Name, DestKey: up.DestKey, UploadID: up.UploadID, Action: "resumed", PartsResumed: n})
	return up, have, true
}

// listParts reads, page by page, the parts S3 holds of up and checks each
// against the part plan of an object of size bytes: nil (and no error)
// when a part's number or size does not fit, or the parts do not carry
// the same checksums (a stream part's checksum, when one was sent, goes
// into CompleteMultipartUpload, where S3 checks it against the part).
func (r *run) listParts(up state.Upload, size, partSize int64) ([]*s3types.CompletedPart, error) {
	n := plan.Parts(size, partSize)
	have := make([]*s3types.CompletedPart, n)
	in := &s3.ListPartsInput{Bucket: aws.String(r.job.Destination.BucketName), Key: aws.String(up.DestKey), UploadId: aws.String(up.UploadID)}
	kind := -1
	for {
		var out *s3.ListPartsOutput
		if err := r.pool.do(r.work, func(ctx context.Context) error {
			var err error
			out, err = r.c.Destination.ListParts(ctx, in, r.opts.fns...)
			return err
		}); err != nil {
			return nil, r.objErr("s3:ListMultipartUploadParts", r.job.Destination, up.DestKey, err)
		}
		for _, p := range out.Parts {
			num := aws.ToInt32(p.PartNumber)
			if num < 1 || int64(num) > n {
				return nil, nil
			}
			if aws.ToInt64(p.Size) != partLen(size, partSize, num) {
				return nil, nil
			}
			c := &s3types.CompletedPart{PartNumber: p.PartNumber, ETag: p.ETag, ChecksumCRC32: p.ChecksumCRC32,
				ChecksumCRC32C: p.ChecksumCRC32C, ChecksumCRC64NVME: p.ChecksumCRC64NVME, ChecksumSHA1: p.ChecksumSHA1, ChecksumSHA256: p.ChecksumSHA256}
			if k := checksumKind(c); kind == -1 {
				kind = k
			} else if k != kind {
				return nil, nil
			}
			have[num-1] = c
		}
		if !aws.ToBool(out.IsTruncated) || aws.ToString(out.NextPartNumberMarker) == "" {
			return have, nil
		}
		in.PartNumberMarker = out.NextPartNumberMarker
	}
}

// checksumKind says which checksums a part carries, as a bit set.
func checksumKind(p *s3types.CompletedPart) int {
	k := 0
	for i, c := range []*string{p.ChecksumCRC32, p.ChecksumCRC32C, p.ChecksumCRC64NVME, p.ChecksumSHA1, p.ChecksumSHA256} {
		if c != nil && *c != "" {
			k |= 1 << i
		}
	}
	return k
}

// partLen is the size of part num (from 1) of an object of size bytes.
func partLen(size, partSize int64, num int32) int64 {
	start := int64(num-1) * partSize
	return min(start+partSize, size) - start
}
