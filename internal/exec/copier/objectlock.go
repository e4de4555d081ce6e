package copier

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/plan"
)

// LockWriter is what object_lock = "copy" calls on the destination once
// an object is written: PutObjectRetention and PutObjectLegalHold (the
// SDK's signatures; *s3.Client implements it).
//
// The settings are set after the write, not as x-amz-object-lock-*
// headers of the write, so that every transfer (CopyObject, a multipart
// upload, a stream PutObject) sets them alike, and because moto refuses a
// CopyObject with those headers unless it carries
// x-amz-sdk-checksum-algorithm, which the SDK sends only with a body. Both
// calls carry a checksum (S3 requires one; the SDK adds it). The object
// is recorded only once they succeed; a run stopped between the write and
// them leaves it unrecorded, and the next run copies it again or, adopting
// it, sets them then.
type LockWriter interface {
	PutObjectRetention(ctx context.Context, in *s3.PutObjectRetentionInput, optFns ...func(*s3.Options)) (*s3.PutObjectRetentionOutput, error)
	PutObjectLegalHold(ctx context.Context, in *s3.PutObjectLegalHoldInput, optFns ...func(*s3.Options)) (*s3.PutObjectLegalHoldOutput, error)
}

var _ LockWriter = (*s3.Client)(nil)

// objectLock is a source object's Object Lock settings: its retention
// (mode and retain-until date; mode empty: none) and legal hold.
type objectLock struct {
	mode      s3types.ObjectLockMode
	until     *time.Time
	legalHold s3types.ObjectLockLegalHoldStatus
}

func (l objectLock) none() bool {
	return l.mode == "" && l.legalHold != s3types.ObjectLockLegalHoldStatusOn
}

// sourceLock reads the Object Lock settings of the listed version of src
// (a HEAD, which carries them to a principal with s3:GetObjectRetention
// and s3:GetObjectLegalHold), when the job copies them (object_lock =
// "copy"); the zero objectLock otherwise.
func (r *run) sourceLock(src *plan.SourceObject) (objectLock, error) {
	if r.job.ObjectLock != config.ObjectLockCopy {
		return objectLock{}, nil
	}
	var h *s3.HeadObjectOutput
	err := r.pool.do(r.work, func(ctx context.Context) error {
		var err error
		h, err = r.c.Source.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(r.job.Source.BucketName), Key: aws.String(src.Key),
			VersionId: pinned(src), IfMatch: aws.String(src.ETag)}, r.opts.fns...)
		return err
	})
	if err != nil {
		return objectLock{}, r.objErr("s3:GetObject", r.job.Source, src.Key, err)
	}
	return objectLock{mode: h.ObjectLockMode, until: h.ObjectLockRetainUntilDate, legalHold: h.ObjectLockLegalHoldStatus}, nil
}

// applyLock sets l on the destination object dstKey once written:
// PutObjectRetention, then PutObjectLegalHold.
func (r *run) applyLock(l objectLock, dstKey string) error {
	if l.none() {
		return nil
	}
	lw, ok := r.c.Destination.(LockWriter)
	if !ok {
		return fmt.Errorf("s3://%s/%s: object_lock = \"copy\" needs PutObjectRetention and PutObjectLegalHold, which this destination client (%T) lacks", r.job.Destination.BucketName, dstKey, r.c.Destination)
	}
	bucket, key := aws.String(r.job.Destination.BucketName), aws.String(dstKey)
	return r.pool.do(r.work, func(ctx context.Context) error {
		if l.mode != "" {
			_, err := lw.PutObjectRetention(ctx, &s3.PutObjectRetentionInput{Bucket: bucket, Key: key,
				Retention: &s3types.ObjectLockRetention{Mode: s3types.ObjectLockRetentionMode(l.mode), RetainUntilDate: l.until}}, r.opts.fns...)
			if err != nil {
				return r.objErr("s3:PutObjectRetention", r.job.Destination, dstKey, err)
			}
		}
		if l.legalHold == s3types.ObjectLockLegalHoldStatusOn {
			_, err := lw.PutObjectLegalHold(ctx, &s3.PutObjectLegalHoldInput{Bucket: bucket, Key: key,
				LegalHold: &s3types.ObjectLockLegalHold{Status: l.legalHold}}, r.opts.fns...)
			if err != nil {
				return r.objErr("s3:PutObjectLegalHold", r.job.Destination, dstKey, err)
			}
		}
		return nil
	})
}

// withLock runs write between reading the source's Object Lock settings
// and setting them on the copy (object_lock = "copy"; write alone
// otherwise).
func (r *run) withLock(src *plan.SourceObject, dstKey string, write func(*plan.SourceObject, string) (written, error)) (written, error) {
	lock, err := r.sourceLock(src)
	if err != nil {
		return written{}, err
	}
	w, err := write(src, dstKey)
	if err != nil {
		return w, err
	}
	return w, r.applyLock(lock, dstKey)
}
