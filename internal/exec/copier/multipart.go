package copier

import (
	"context"
	"fmt"
	"net/url"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"golang.org/x/sync/errgroup"

	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/plan"
)

// objectMeta is what a copy that is not a CopyObject with COPY directives
// must carry over itself.
type objectMeta struct {
	contentType, contentEncoding, cacheControl, contentDisposition, contentLanguage *string
	metadata                                                                        map[string]string
	tagging                                                                         *string // URL-encoded tag set
	versionID                                                                       string
}

// sourceMeta reads the metadata and the tags of the listed version of
// src: a HeadObject and a GetObjectTagging, in parallel (one round trip
// before the upload is created, not two), each in a slot of the pool.
func (r *run) sourceMeta(src *plan.SourceObject) (objectMeta, error) {
	var m objectMeta
	var tagging *string
	g, gctx := errgroup.WithContext(r.work)
	g.Go(func() error {
		return r.pool.do(gctx, func(ctx context.Context) error {
			h, err := r.c.Source.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(r.job.Source.BucketName), Key: aws.String(src.Key),
				VersionId: pinned(src), IfMatch: aws.String(src.ETag)}, r.opts.fns...)
			if err != nil {
				return r.objErr("s3:GetObject", r.job.Source, src.Key, err)
			}
			m = objectMeta{contentType: h.ContentType, contentEncoding: h.ContentEncoding, cacheControl: h.CacheControl,
				contentDisposition: h.ContentDisposition, contentLanguage: h.ContentLanguage, metadata: h.Metadata,
				versionID: aws.ToString(h.VersionId)}
			return nil
		})
	})
	g.Go(func() error {
		return r.pool.do(gctx, func(ctx context.Context) error {
			var err error
			tagging, err = r.sourceTags(ctx, src)
			return err
		})
	})
	if err := g.Wait(); err != nil {
		return objectMeta{}, err
	}
	m.tagging = tagging
	return m, nil
}

// sourceTags returns the object's tags as a Tagging header, nil if none.
func (r *run) sourceTags(ctx context.Context, src *plan.SourceObject) (*string, error) {
	t, err := r.c.Source.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String(r.job.Source.BucketName),
		Key: aws.String(src.Key), VersionId: pinned(src)}, r.opts.fns...)
	if err != nil {
		return nil, r.objErr("s3:GetObjectTagging", r.job.Source, src.Key, err)
	}
	if len(t.TagSet) == 0 {
		return nil, nil
	}
	v := url.Values{}
	for _, tag := range t.TagSet {
		v.Add(aws.ToString(tag.Key), aws.ToString(tag.Value))
	}
	return aws.String(v.Encode()), nil
}

// partFunc writes part n (bytes start..end inclusive) of an upload.
type partFunc func(ctx context.Context, src *plan.SourceObject, dstKey, uploadID string, n int32, start, end int64) (s3types.CompletedPart, error)

// multipart copies src in parts written by part, in parallel through the
// run's request pool. The upload is recorded in the state, with what it
// is for, before the first part and aborted on any failure or
// interruption: never leaked. An upload a killed run left for dstKey is
// resumed when it fits (resume): only its missing parts are written.
func (r *run) multipart(src *plan.SourceObject, dstKey string, part partFunc) (written, error) {
	partSize, err := plan.PartSize(src.Size, r.job.PartSize)
	if err != nil {
		return written{}, fmt.Errorf("s3://%s/%s: %w", r.job.Source.BucketName, src.Key, err)
	}
	meta, err := r.sourceMeta(src)
	if err != nil {
		return written{}, err
	}
	dst := r.job.Destination.BucketName
	up, have, resumed := r.resume(src, dstKey, partSize)
	if !resumed {
		if up, err = r.createUpload(src, dstKey, partSize, meta); err != nil {
			return written{}, err
		}
	}

	parts, err := r.parts(src, dstKey, up.UploadID, partSize, part, have)
	if err != nil {
		r.abort(up)
		return written{}, err
	}
	var done *s3.CompleteMultipartUploadOutput
	err = r.pool.do(r.work, func(ctx context.Context) error {
		var err error
		done, err = r.c.Destination.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
			Bucket: aws.String(dst), Key: aws.String(dstKey), UploadId: aws.String(up.UploadID),
			MultipartUpload: &s3types.CompletedMultipartUpload{Parts: parts}}, r.opts.fns...)
		return err
	})
	if err != nil {
		r.abort(up)
		return written{}, r.objErr("s3:PutObject", r.job.Destination, dstKey, err)
	}
	r.c.State.RemoveUpload(r.job.Name, up)
	w := written{etag: aws.ToString(done.ETag), versionID: meta.versionID, bytes: src.Size}
	for _, p := range have {
		if p != nil {
			w.partsResumed++
			w.bytes -= partLen(src.Size, partSize, aws.ToInt32(p.PartNumber))
		}
	}
	return w, nil
}

// createUpload starts the multipart upload of src and records it, with
// what it is for, in the state.
func (r *run) createUpload(src *plan.SourceObject, dstKey string, partSize int64, meta objectMeta) (state.Upload, error) {
	dst := r.job.Destination.BucketName
	in := &s3.CreateMultipartUploadInput{Bucket: aws.String(dst), Key: aws.String(dstKey),
		ContentType: meta.contentType, ContentEncoding: meta.contentEncoding, CacheControl: meta.cacheControl,
		ContentDisposition: meta.contentDisposition, ContentLanguage: meta.contentLanguage,
		Metadata: meta.metadata, Tagging: meta.tagging, StorageClass: s3types.StorageClass(r.job.StorageClass)}
	r.encrypt(&in.ServerSideEncryption, &in.SSEKMSKeyId, &in.BucketKeyEnabled)
	var created *s3.CreateMultipartUploadOutput
	if err := r.pool.do(r.work, func(ctx context.Context) error {
		var err error
		created, err = r.c.Destination.CreateMultipartUpload(ctx, in, r.opts.fns...)
		return err
	}); err != nil {
		return state.Upload{}, r.objErr("s3:PutObject", r.job.Destination, dstKey, err)
	}
	up := state.Upload{DestKey: dstKey, UploadID: aws.ToString(created.UploadId),
		SourceETag: src.ETag, PartSize: partSize, Transfer: string(r.job.Transfer)}
	if err := r.c.State.AddUpload(r.job.Name, up); err != nil {
		r.abort(up)
		r.fatal(err)
		return state.Upload{}, err
	}
	return up, nil
}

// parts writes every part, each one request of the pool, fanned out by
// an errgroup as wide as the pool. The first part that fails cancels the
// group: the parts in flight end at once and no more are started (each is
// scheduled only while the group lives, and do runs nothing once it is
// cancelled), so the caller aborts the upload without waiting for
// siblings that can no longer matter. A stopped run starts no more parts
// and lets those in flight finish. Part i+1 lands in out[i], so the parts
// are in the order CompleteMultipartUpload wants; a part in have[i] (a
// resumed upload's) is taken as it is, not written again.
func (r *run) parts(src *plan.SourceObject, dstKey, uploadID string, partSize int64, part partFunc, have []*s3types.CompletedPart) ([]s3types.CompletedPart, error) {
	n := int32(plan.Parts(src.Size, partSize))
	out := make([]s3types.CompletedPart, n)
	g, ctx := errgroup.WithContext(r.work)
	g.SetLimit(r.pool.size)
	var stopped error
	for i := range n {
		if int(i) < len(have) && have[i] != nil {
			out[i] = *have[i]
			continue
		}
		if r.stopped.Err() != nil {
			stopped = fmt.Errorf("s3://%s/%s: multipart copy aborted: %w", r.job.Destination.BucketName, dstKey, ErrInterrupted)
			break
		}
		if err := ctx.Err(); err != nil {
			stopped = err // a part failed (g.Wait says which), or the run is cancelled
			break
		}
		start := int64(i) * partSize
		end := min(start+partSize, src.Size) - 1
		g.Go(func() error {
			return r.pool.do(ctx, func(ctx context.Context) error {
				p, err := part(ctx, src, dstKey, uploadID, i+1, start, end)
				if err != nil {
					return err
				}
				out[i] = p
				r.emit(&PartDone{Job: r.job.Name, Key: src.Key, Part: i + 1, Bytes: end - start + 1})
				return nil
			})
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if stopped != nil {
		return nil, stopped
	}
	return out, nil
}

// uploadPartCopy is the server-side part: S3 copies the byte range.
func (r *run) uploadPartCopy(ctx context.Context, src *plan.SourceObject, dstKey, uploadID string, n int32, start, end int64) (s3types.CompletedPart, error) {
	out, err := r.c.Destination.UploadPartCopy(ctx, &s3.UploadPartCopyInput{
		Bucket: aws.String(r.job.Destination.BucketName), Key: aws.String(dstKey), UploadId: aws.String(uploadID),
		PartNumber:        aws.Int32(n),
		CopySource:        aws.String(CopySourceHeader(r.job.Source.BucketName, src.Key, src.VersionID)),
		CopySourceIfMatch: aws.String(src.ETag),
		CopySourceRange:   aws.String(fmt.Sprintf("bytes=%d-%d", start, end)),
	}, r.opts.fns...)
	if err != nil {
		return s3types.CompletedPart{}, r.objErr("s3:PutObject", r.job.Destination, fmt.Sprintf("%s (part %d)", dstKey, n), err)
	}
	if out.CopyPartResult == nil {
		return s3types.CompletedPart{}, fmt.Errorf("s3://%s/%s part %d: UploadPartCopy returned no ETag", r.job.Destination.BucketName, dstKey, n)
	}
	return s3types.CompletedPart{PartNumber: aws.Int32(n), ETag: out.CopyPartResult.ETag}, nil
}

// encrypt sets SSE-KMS with the destination CMK and the bucket key.
func (r *run) encrypt(sse *s3types.ServerSideEncryption, keyID **string, bucketKey **bool) {
	if r.kmsKeyID == "" {
		return
	}
	*sse = s3types.ServerSideEncryptionAwsKms
	*keyID = aws.String(r.kmsKeyID)
	*bucketKey = aws.Bool(true)
}
