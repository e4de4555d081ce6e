package copier

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/awserr"
	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/plan"
)

// written is what a successful write returns.
type written struct {
	etag      string // destination ETag
	versionID string // source version copied, when S3 says
	bytes     int64  // written by this run
	// partsResumed is how many parts of an upload a killed run left were
	// taken as they were.
	partsResumed int32
}

// object copies or adopts one object and records it.
func (r *run) object(it plan.Item) {
	srcKey, dstKey := r.sel.SourceKey(it.Rel), r.sel.DestinationKey(it.Rel)
	if r.rules.NeedsChecksums(it.Source, it.Record, it.Destination) {
		if err := r.fillChecksums(&it, srcKey, dstKey); err != nil {
			if r.goneAtSource(&ObjectDone{Job: r.job.Name, Key: srcKey, DestKey: dstKey}, err) {
				return
			}
			r.fail(&ObjectDone{Job: r.job.Name, Key: srcKey, DestKey: dstKey, Action: it.ObjectAction, Reason: it.Reason, Err: err})
			return
		}
		it.ObjectAction, it.Reason = r.rules.Decide(it.Source, nil, it.Destination)
	}
	if r.c.AdoptOnly && it.ObjectAction != plan.ObjectAdopt {
		r.count(func(s *CopySummary) { s.Skipped++ })
		return
	}
	if r.archivedFirst(&it, srcKey, dstKey) {
		return
	}
	size := it.Source.Size
	r.emit(&ObjectStarted{Job: r.job.Name, Key: srcKey, DestKey: dstKey, Size: size, Action: it.ObjectAction})
	start := time.Now()
	done := &ObjectDone{Job: r.job.Name, Key: srcKey, DestKey: dstKey, Action: it.ObjectAction, Reason: it.Reason}
	var w written
	var err error
	switch {
	case it.ObjectAction == plan.ObjectAdopt && !r.c.AdoptOnly:
		// An unrecorded copy may be one whose Object Lock settings a
		// stopped run never set.
		w, err = r.withLock(it.Source, dstKey, func(*plan.SourceObject, string) (written, error) {
			return written{etag: it.Destination.ETag}, nil
		})
	case it.ObjectAction == plan.ObjectAdopt:
		w = written{etag: it.Destination.ETag}
	case r.job.Transfer == config.TransferStream:
		w, err = r.withLock(it.Source, dstKey, r.stream)
	default:
		w, err = r.withLock(it.Source, dstKey, r.serverSide)
	}
	done.Duration = time.Since(start)
	if err != nil {
		if r.goneAtSource(done, err) {
			return
		}
		done.Err = r.archivedCopyError(it, srcKey, err)
		r.fail(done)
		return
	}
	rec := plan.StateRecord{SourceKey: srcKey, SourceETag: it.Source.ETag, Size: size, VersionID: w.versionID,
		DestKey: dstKey, DestETag: w.etag, CopiedAt: time.Now().UTC()}
	if !r.record(func() error { return r.commit.Put(rec) }) {
		return
	}
	done.Bytes, done.PartsResumed = w.bytes, w.partsResumed
	r.done(done)
}

// fail reports a failed object; an error that every other object would
// hit too (credentials, a missing bucket, the run being stopped) stops
// the run.
func (r *run) fail(d *ObjectDone) {
	if isFatalCopyError(d.Err) {
		r.fatal(d.Err)
	}
	if errors.Is(d.Err, ErrInterrupted) || r.work.Err() != nil && errors.Is(d.Err, context.Canceled) {
		return // interrupted, not failed: the next run copies it
	}
	r.done(d)
}

// isFatalCopyError reports errors after which no object can succeed.
func isFatalCopyError(err error) bool {
	var se *v4.SigningError
	if errors.As(err, &se) {
		return true // no credentials could be retrieved or refreshed
	}
	if awserr.IsUnreachable(err) {
		return true // the endpoint refuses connections, does not exist or fails TLS
	}
	return awserr.HasCode(err, "ExpiredToken", "ExpiredTokenException", "InvalidAccessKeyId", "InvalidClientTokenId",
		"InvalidToken", "TokenRefreshRequired", "SignatureDoesNotMatch", "NoSuchBucket")
}

// fillChecksums reads the full-object checksums of both sides.
func (r *run) fillChecksums(it *plan.Item, srcKey, dstKey string) error {
	var sh, dh *s3.HeadObjectOutput
	err := r.pool.do(r.work, func(ctx context.Context) error {
		var err error
		sh, err = r.c.Source.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(r.job.Source.BucketName),
			Key: aws.String(srcKey), VersionId: pinned(it.Source), ChecksumMode: s3types.ChecksumModeEnabled}, r.opts.fns...)
		if err != nil {
			return r.objErr("s3:GetObject", r.job.Source, srcKey, err)
		}
		dh, err = r.c.Destination.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(r.job.Destination.BucketName),
			Key: aws.String(dstKey), ChecksumMode: s3types.ChecksumModeEnabled}, r.opts.fns...)
		return r.objErr("s3:GetObject", r.job.Destination, dstKey, err)
	})
	if err != nil {
		return err
	}
	it.Source.Checksum, it.Destination.Checksum = fullObjectChecksum(sh), fullObjectChecksum(dh)
	return nil
}

// objErr names the operation, object and account of a failed request.
func (r *run) objErr(op string, b *config.Bucket, key string, err error) error {
	if err == nil {
		return nil
	}
	return awserr.New(op, fmt.Sprintf("s3://%s/%s", b.BucketName, key), b.Account, err)
}

// serverSide copies with CopyObject, or UploadPartCopy above the
// threshold. CopySourceIfMatch pins the listed version: an object changed
// since the listing fails and is copied by the next run, so the record
// always describes the bytes written.
func (r *run) serverSide(src *plan.SourceObject, dstKey string) (written, error) {
	if plan.CopiedInParts(r.job, src.Size) { // the plan's estimate uses the same rule
		return r.multipart(src, dstKey, r.uploadPartCopy)
	}
	in := &s3.CopyObjectInput{
		Bucket:            aws.String(r.job.Destination.BucketName),
		Key:               aws.String(dstKey),
		CopySource:        aws.String(CopySourceHeader(r.job.Source.BucketName, src.Key, src.VersionID)),
		CopySourceIfMatch: aws.String(src.ETag),
		MetadataDirective: s3types.MetadataDirectiveCopy,
		TaggingDirective:  s3types.TaggingDirectiveCopy,
		StorageClass:      s3types.StorageClass(r.job.StorageClass),
	}
	r.encrypt(&in.ServerSideEncryption, &in.SSEKMSKeyId, &in.BucketKeyEnabled)
	var out *s3.CopyObjectOutput
	err := r.pool.do(r.work, func(ctx context.Context) error {
		var err error
		out, err = r.c.Destination.CopyObject(ctx, in, r.opts.fns...)
		return err
	})
	if err != nil {
		return written{}, r.objErr("s3:CopyObject", r.job.Destination, dstKey, err)
	}
	w := written{versionID: aws.ToString(out.CopySourceVersionId), bytes: src.Size}
	if out.CopyObjectResult != nil {
		w.etag = aws.ToString(out.CopyObjectResult.ETag)
	}
	return w, nil
}

// abort aborts an upload within a bounded time, even when the run is
// being stopped, and forgets it once S3 has.
func (r *run) abort(u state.Upload) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.work), 30*time.Second)
	defer cancel()
	_, err := r.c.Destination.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{
		Bucket: aws.String(r.job.Destination.BucketName), Key: aws.String(u.DestKey), UploadId: aws.String(u.UploadID)}, r.opts.fns...)
	if err == nil || awserr.HasCode(err, "NoSuchUpload") {
		return r.c.State.RemoveUpload(r.job.Name, u)
	}
	return r.objErr("s3:AbortMultipartUpload", r.job.Destination, u.DestKey, err)
}
