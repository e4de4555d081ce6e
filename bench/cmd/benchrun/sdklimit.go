package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"golang.org/x/sync/errgroup"
)

// sdkLimitMain is the "sdk-limit" tool: the bare aws-sdk-go-v2 loop that
// stands for what the backend can do. The harness runs it as a child process
// (benchrun sdk-limit ...) so that its CPU and memory are measured the same
// way as the peers'.
func sdkLimitMain(args []string) error {
	fs := flag.NewFlagSet(toolSDKLimit, flag.ContinueOnError)
	endpoint := fs.String("endpoint", "", "S3 endpoint URL")
	op := fs.String("op", "", "cp | sync | mpcopy | stream")
	src := fs.String("src", "", "source bucket")
	dst := fs.String("dst", "", "destination bucket")
	key := fs.String("key", "", "object key (mpcopy, stream)")
	kmsKey := fs.String("kms-key", "", "SSE-KMS key id for written objects")
	conc := fs.Int("concurrency", 64, "parallel requests (cp, sync)")
	partSize := fs.Int64("part-size", 64<<20, "multipart part size in bytes")
	partConc := fs.Int("part-concurrency", 8, "parallel parts (mpcopy, stream)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ak, sk := os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY")
	c := newClient(*endpoint, ak, sk, max(*conc, *partConc))
	ctx := context.Background()
	l := sdkLimit{c: c, src: *src, dst: *dst, kmsKey: *kmsKey, conc: *conc, partSize: *partSize, partConc: *partConc}
	switch *op {
	case "cp":
		return l.copyAll(ctx, false)
	case "sync":
		return l.copyAll(ctx, true)
	case "mpcopy":
		return l.multipart(ctx, *key, false)
	case "stream":
		return l.multipart(ctx, *key, true)
	}
	return fmt.Errorf("unknown op %q", *op)
}

type sdkLimit struct {
	c                *s3.Client
	src, dst, kmsKey string
	conc             int
	partSize         int64
	partConc         int
}

// copyAll copies every source object by CopyObject; with onlyChanged it first
// lists the destination and skips objects of the same size that are not
// newer in the source (the comparison aws s3 sync and s5cmd sync make).
func (l sdkLimit) copyAll(ctx context.Context, onlyChanged bool) error {
	var srcObjs, dstObjs map[string]objInfo
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { srcObjs, err = listAll(gctx, l.c, l.src); return })
	if onlyChanged {
		g.Go(func() (err error) { dstObjs, err = listAll(gctx, l.c, l.dst); return })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	g, gctx = errgroup.WithContext(ctx)
	g.SetLimit(l.conc)
	n := 0
	for k, s := range srcObjs {
		if d, ok := dstObjs[k]; ok && d.Size == s.Size && !s.LastModified.After(d.LastModified) {
			continue
		}
		n++
		g.Go(func() error {
			in := &s3.CopyObjectInput{
				Bucket:     aws.String(l.dst),
				Key:        aws.String(k),
				CopySource: aws.String(l.src + "/" + url.PathEscape(k)),
			}
			l.sse(&in.ServerSideEncryption, &in.SSEKMSKeyId)
			if _, err := l.c.CopyObject(gctx, in); err != nil {
				return fmt.Errorf("copy %s: %w", k, err)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	fmt.Printf("copied %d of %d objects\n", n, len(srcObjs))
	return nil
}

func (l sdkLimit) sse(alg *types.ServerSideEncryption, key **string) {
	if l.kmsKey != "" {
		*alg = types.ServerSideEncryptionAwsKms
		*key = aws.String(l.kmsKey)
	}
}

// multipart copies one object by a multipart upload: server-side by
// UploadPartCopy, or (stream) by ranged GetObject into a buffer and
// UploadPart, partConc parts at a time. A stream holds at most partConc
// buffers of partSize: that is the memory the report compares RSS with.
func (l sdkLimit) multipart(ctx context.Context, key string, stream bool) error {
	start := time.Now()
	h, err := l.c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(l.src), Key: aws.String(key)})
	if err != nil {
		return fmt.Errorf("head %s/%s: %w", l.src, key, err)
	}
	size := aws.ToInt64(h.ContentLength)
	in := &s3.CreateMultipartUploadInput{Bucket: aws.String(l.dst), Key: aws.String(key)}
	l.sse(&in.ServerSideEncryption, &in.SSEKMSKeyId)
	cr, err := l.c.CreateMultipartUpload(ctx, in)
	if err != nil {
		return fmt.Errorf("create upload: %w", err)
	}
	n := int((size + l.partSize - 1) / l.partSize)
	parts := make([]types.CompletedPart, n)
	bufs := make(chan []byte, l.partConc)
	if stream {
		for i := 0; i < l.partConc; i++ {
			bufs <- make([]byte, l.partSize)
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(l.partConc)
	for i := 0; i < n; i++ {
		g.Go(func() error {
			off := int64(i) * l.partSize
			end := min(off+l.partSize, size) - 1
			rng := fmt.Sprintf("bytes=%d-%d", off, end)
			pn := aws.Int32(int32(i + 1))
			if !stream {
				out, err := l.c.UploadPartCopy(gctx, &s3.UploadPartCopyInput{
					Bucket: aws.String(l.dst), Key: aws.String(key), UploadId: cr.UploadId, PartNumber: pn,
					CopySource: aws.String(l.src + "/" + url.PathEscape(key)), CopySourceRange: aws.String(rng),
				})
				if err != nil {
					return fmt.Errorf("upload part copy %d: %w", i+1, err)
				}
				parts[i] = types.CompletedPart{ETag: out.CopyPartResult.ETag, PartNumber: pn}
				return nil
			}
			buf := <-bufs
			defer func() { bufs <- buf }()
			get, err := l.c.GetObject(gctx, &s3.GetObjectInput{Bucket: aws.String(l.src), Key: aws.String(key), Range: aws.String(rng)})
			if err != nil {
				return fmt.Errorf("get part %d: %w", i+1, err)
			}
			b := buf[:end-off+1]
			_, err = io.ReadFull(get.Body, b)
			get.Body.Close()
			if err != nil {
				return fmt.Errorf("read part %d: %w", i+1, err)
			}
			out, err := l.c.UploadPart(gctx, &s3.UploadPartInput{
				Bucket: aws.String(l.dst), Key: aws.String(key), UploadId: cr.UploadId, PartNumber: pn,
				Body: bytes.NewReader(b), ContentLength: aws.Int64(int64(len(b))),
			})
			if err != nil {
				return fmt.Errorf("upload part %d: %w", i+1, err)
			}
			parts[i] = types.CompletedPart{ETag: out.ETag, PartNumber: pn}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		_, _ = l.c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String(l.dst), Key: aws.String(key), UploadId: cr.UploadId})
		return err
	}
	_, err = l.c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
		Bucket: aws.String(l.dst), Key: aws.String(key), UploadId: cr.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: parts},
	})
	if err != nil {
		return fmt.Errorf("complete upload: %w", err)
	}
	fmt.Printf("copied %d bytes in %d parts in %s\n", size, n, time.Since(start).Round(time.Millisecond))
	return nil
}
