package copier

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakesync/lakesync/internal/plan"
)

// stream copies src by reading it with the source account's client and
// writing it with the destination's: one GET and one PutObject up to a
// part, ranged GETs and UploadParts above. Each part holds one pool slot
// and one buffer of at most the part size while it moves, so memory is
// bounded by part size x concurrency, never by the object's size.
func (r *run) stream(src *plan.SourceObject, dstKey string) (written, error) {
	if _, err := plan.PartSize(src.Size, r.job.PartSize); err != nil {
		return written{}, fmt.Errorf("s3://%s/%s: %w", r.job.Source.BucketName, src.Key, err)
	}
	// One rule with the plan's estimate: above the part size (or the
	// threshold, if lower) the object moves in parts.
	if plan.CopiedInParts(r.job, src.Size) {
		return r.multipart(src, dstKey, r.streamPart)
	}
	var w written
	err := r.pool.do(r.work, func(ctx context.Context) error {
		var err error
		w, err = r.streamSmall(ctx, src, dstKey)
		return err
	})
	return w, err
}

func (r *run) streamSmall(ctx context.Context, src *plan.SourceObject, dstKey string) (written, error) {
	buf := r.buffers.get(src.Size)
	defer r.buffers.put(buf)
	get, err := r.getInto(ctx, &s3.GetObjectInput{Bucket: aws.String(r.job.Source.BucketName),
		Key: aws.String(src.Key), VersionId: pinned(src), IfMatch: aws.String(src.ETag)}, buf, true)
	if err != nil {
		return written{}, r.objErr("s3:GetObject", r.job.Source, src.Key, err)
	}
	var tagging *string
	if aws.ToInt32(get.TagCount) > 0 {
		if tagging, err = r.sourceTags(ctx, src); err != nil {
			return written{}, err
		}
	}
	in := &s3.PutObjectInput{Bucket: aws.String(r.job.Destination.BucketName), Key: aws.String(dstKey),
		Body: bytes.NewReader(buf), ContentLength: aws.Int64(src.Size),
		ContentType: get.ContentType, ContentEncoding: get.ContentEncoding, CacheControl: get.CacheControl,
		ContentDisposition: get.ContentDisposition, ContentLanguage: get.ContentLanguage,
		Metadata: get.Metadata, Tagging: tagging, StorageClass: s3types.StorageClass(r.job.StorageClass)}
	r.encrypt(&in.ServerSideEncryption, &in.SSEKMSKeyId, &in.BucketKeyEnabled)
	put, err := r.c.Destination.PutObject(ctx, in, r.opts.fns...)
	if err != nil {
		return written{}, r.objErr("s3:PutObject", r.job.Destination, dstKey, err)
	}
	return written{etag: aws.ToString(put.ETag), versionID: aws.ToString(get.VersionId), bytes: src.Size}, nil
}

// bodyAttempts is how many times a GET whose body breaks off (a reset
// connection, a timeout mid-body) is made again. The SDK retries failed
// requests, but a GetObject returns before its body is read, so a body
// that breaks is the caller's to retry.
const bodyAttempts = 5

// getInto reads the object (or range) of in into buf exactly; whole says
// buf must be the entire object. A body that breaks off is read again
// from the start, counted as a retry.
func (r *run) getInto(ctx context.Context, in *s3.GetObjectInput, buf []byte, whole bool) (*s3.GetObjectOutput, error) {
	for attempt := 1; ; attempt++ {
		get, err := r.c.Source.GetObject(ctx, in, r.opts.fns...)
		if err != nil {
			return nil, err
		}
		// The bandwidth cap holds on the bytes as they arrive, whatever
		// the part size: the buffer fills through it.
		_, err = io.ReadFull(r.opts.capped(ctx, get.Body), buf)
		if err == nil && whole {
			var one [1]byte
			if n, _ := get.Body.Read(one[:]); n > 0 {
				get.Body.Close()
				return nil, fmt.Errorf("the object is larger than listed (%d bytes)", len(buf))
			}
		}
		get.Body.Close()
		if err == nil {
			return get, nil
		}
		if ctx.Err() != nil || attempt == bodyAttempts {
			return nil, fmt.Errorf("reading the body (attempt %d): %w", attempt, err)
		}
		r.opts.retries.Add(1)
		// Back off with jitter, as the SDK does between requests.
		wait := time.Duration(attempt)*100*time.Millisecond + time.Duration(rand.Int64N(int64(100*time.Millisecond)))
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
	}
}

// streamPart moves one part: a ranged GET of the listed version into a
// pooled buffer, then UploadPart from it.
func (r *run) streamPart(ctx context.Context, src *plan.SourceObject, dstKey, uploadID string, n int32, start, end int64) (s3types.CompletedPart, error) {
	size := end - start + 1
	buf := r.buffers.get(size)
	defer r.buffers.put(buf)
	_, err := r.getInto(ctx, &s3.GetObjectInput{Bucket: aws.String(r.job.Source.BucketName),
		Key: aws.String(src.Key), VersionId: pinned(src), IfMatch: aws.String(src.ETag), Range: aws.String(fmt.Sprintf("bytes=%d-%d", start, end))}, buf, false)
	if err != nil {
		return s3types.CompletedPart{}, r.objErr("s3:GetObject", r.job.Source, fmt.Sprintf("%s (bytes %d-%d)", src.Key, start, end), err)
	}
	out, err := r.c.Destination.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(r.job.Destination.BucketName),
		Key: aws.String(dstKey), UploadId: aws.String(uploadID), PartNumber: aws.Int32(n),
		Body: bytes.NewReader(buf), ContentLength: aws.Int64(size)}, r.opts.fns...)
	if err != nil {
		return s3types.CompletedPart{}, r.objErr("s3:PutObject", r.job.Destination, fmt.Sprintf("%s (part %d)", dstKey, n), err)
	}
	return s3types.CompletedPart{PartNumber: aws.Int32(n), ETag: out.ETag, ChecksumCRC32: out.ChecksumCRC32,
		ChecksumCRC32C: out.ChecksumCRC32C, ChecksumCRC64NVME: out.ChecksumCRC64NVME,
		ChecksumSHA1: out.ChecksumSHA1, ChecksumSHA256: out.ChecksumSHA256}, nil
}
