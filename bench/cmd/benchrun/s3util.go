package main

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"golang.org/x/sync/errgroup"
)

const region = "us-east-1"

// newClient returns an S3 client for the local endpoint with path-style
// addressing and a connection pool sized for conc parallel requests.
func newClient(endpoint, accessKey, secretKey string, conc int) *s3.Client {
	tr := &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conc * 2,
		MaxIdleConnsPerHost: conc * 2,
		IdleConnTimeout:     90 * time.Second,
	}
	cfg := aws.Config{
		Region:      region,
		Credentials: credentials.NewStaticCredentialsProvider(accessKey, secretKey, ""),
		HTTPClient:  &http.Client{Transport: tr},
		// The SDK would otherwise add CRC32 trailers to every upload; the
		// peers do not, and MinIO does not need them.
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
	}
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.UsePathStyle = true
	})
}

// fillContent writes deterministic pseudo-random bytes for (key, gen) into b.
// A different gen gives different content of the same size.
func fillContent(b []byte, key string, gen uint64) {
	h := fnv.New64a()
	h.Write([]byte(key))
	var seed [32]byte
	binary.LittleEndian.PutUint64(seed[0:], h.Sum64())
	binary.LittleEndian.PutUint64(seed[8:], gen)
	binary.LittleEndian.PutUint64(seed[16:], 0x6c616b6573796e63) // "lakesync"
	r := rand.NewChaCha8(seed)
	_, _ = r.Read(b)
}

// objInfo is what a listing tells about one object.
type objInfo struct {
	Size         int64
	ETag         string
	LastModified time.Time
}

// listAll lists every object of bucket.
func listAll(ctx context.Context, c *s3.Client, bucket string) (map[string]objInfo, error) {
	out := map[string]objInfo{}
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), MaxKeys: aws.Int32(1000)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", bucket, err)
		}
		for _, o := range page.Contents {
			out[aws.ToString(o.Key)] = objInfo{Size: aws.ToInt64(o.Size), ETag: aws.ToString(o.ETag), LastModified: aws.ToTime(o.LastModified)}
		}
	}
	return out, nil
}

// ensureBucket creates bucket if needed; with kmsKey set it also sets default
// SSE-KMS encryption with that key on the bucket.
func ensureBucket(ctx context.Context, c *s3.Client, bucket, kmsKey string) error {
	_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)})
	if err != nil {
		var owned *types.BucketAlreadyOwnedByYou
		var exists *types.BucketAlreadyExists
		if !errors.As(err, &owned) && !errors.As(err, &exists) {
			return fmt.Errorf("create bucket %s: %w", bucket, err)
		}
	}
	if kmsKey == "" {
		return nil
	}
	_, err = c.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{
		Bucket: aws.String(bucket),
		ServerSideEncryptionConfiguration: &types.ServerSideEncryptionConfiguration{
			Rules: []types.ServerSideEncryptionRule{{
				ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{
					SSEAlgorithm:   types.ServerSideEncryptionAwsKms,
					KMSMasterKeyID: aws.String(kmsKey),
				},
			}},
		},
	})
	if err != nil {
		return fmt.Errorf("default encryption on %s: %w", bucket, err)
	}
	return nil
}

// emptyBucket deletes every object and aborts every open multipart upload.
func emptyBucket(ctx context.Context, c *s3.Client, bucket string) error {
	objs, err := listAll(ctx, c, bucket)
	if err != nil {
		return err
	}
	keys := make([]string, 0, len(objs))
	for k := range objs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for i := 0; i < len(keys); i += 1000 {
		batch := keys[i:min(i+1000, len(keys))]
		g.Go(func() error {
			ids := make([]types.ObjectIdentifier, len(batch))
			for j, k := range batch {
				ids[j] = types.ObjectIdentifier{Key: aws.String(k)}
			}
			out, err := c.DeleteObjects(gctx, &s3.DeleteObjectsInput{
				Bucket: aws.String(bucket),
				Delete: &types.Delete{Objects: ids, Quiet: aws.Bool(true)},
			})
			if err != nil {
				return fmt.Errorf("delete objects in %s: %w", bucket, err)
			}
			if len(out.Errors) > 0 {
				return fmt.Errorf("delete objects in %s: %d errors, first %s", bucket, len(out.Errors), aws.ToString(out.Errors[0].Message))
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	ups, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String(bucket)})
	if err != nil {
		return nil // not every store lists uploads; leftovers only cost disk
	}
	for _, u := range ups.Uploads {
		_, _ = c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String(bucket), Key: u.Key, UploadId: u.UploadId})
	}
	return nil
}

// putSmall uploads the given keys with size bytes each of content generation
// gen, conc at a time.
func putSmall(ctx context.Context, c *s3.Client, bucket string, keys []string, size int64, gen uint64, conc int) error {
	pool := sync.Pool{New: func() any { b := make([]byte, size); return &b }}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(conc)
	for _, k := range keys {
		g.Go(func() error {
			bp := pool.Get().(*[]byte)
			defer pool.Put(bp)
			fillContent(*bp, k, gen)
			_, err := c.PutObject(gctx, &s3.PutObjectInput{
				Bucket:        aws.String(bucket),
				Key:           aws.String(k),
				Body:          bytes.NewReader(*bp),
				ContentLength: aws.Int64(size),
			})
			if err != nil {
				return fmt.Errorf("put %s/%s: %w", bucket, k, err)
			}
			return nil
		})
	}
	return g.Wait()
}

// putLarge uploads one object of size bytes by multipart upload with parts
// of partSize, conc parts at a time.
func putLarge(ctx context.Context, c *s3.Client, bucket, key string, size, partSize int64, conc int) error {
	cr, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return fmt.Errorf("create upload %s/%s: %w", bucket, key, err)
	}
	n := int((size + partSize - 1) / partSize)
	parts := make([]types.CompletedPart, n)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(conc)
	for i := 0; i < n; i++ {
		g.Go(func() error {
			off := int64(i) * partSize
			l := min(partSize, size-off)
			b := make([]byte, l)
			fillContent(b, fmt.Sprintf("%s#%d", key, i), 0)
			out, err := c.UploadPart(gctx, &s3.UploadPartInput{
				Bucket: aws.String(bucket), Key: aws.String(key), UploadId: cr.UploadId,
				PartNumber: aws.Int32(int32(i + 1)), Body: bytes.NewReader(b), ContentLength: aws.Int64(l),
			})
			if err != nil {
				return fmt.Errorf("upload part %d: %w", i+1, err)
			}
			parts[i] = types.CompletedPart{ETag: out.ETag, PartNumber: aws.Int32(int32(i + 1))}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		_, _ = c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(key), UploadId: cr.UploadId})
		return err
	}
	_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
		Bucket: aws.String(bucket), Key: aws.String(key), UploadId: cr.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: parts},
	})
	if err != nil {
		return fmt.Errorf("complete upload %s/%s: %w", bucket, key, err)
	}
	return nil
}

// getMD5 returns the MD5 of an object's content (or of a byte range of it
// when rng is not empty, in "bytes=A-B" form) and the bytes read.
func getMD5(ctx context.Context, c *s3.Client, bucket, key, rng string) ([16]byte, int64, error) {
	in := &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}
	if rng != "" {
		in.Range = aws.String(rng)
	}
	out, err := c.GetObject(ctx, in)
	if err != nil {
		return [16]byte{}, 0, fmt.Errorf("get %s/%s: %w", bucket, key, err)
	}
	defer out.Body.Close()
	h := md5.New()
	n, err := io.Copy(h, out.Body)
	if err != nil {
		return [16]byte{}, n, fmt.Errorf("read %s/%s: %w", bucket, key, err)
	}
	var sum [16]byte
	copy(sum[:], h.Sum(nil))
	return sum, n, nil
}

// sameContent compares the full content of key in two buckets.
func sameContent(ctx context.Context, c *s3.Client, srcBucket, dstBucket, key string) (bool, error) {
	a, _, err := getMD5(ctx, c, srcBucket, key, "")
	if err != nil {
		return false, err
	}
	b, _, err := getMD5(ctx, c, dstBucket, key, "")
	if err != nil {
		return false, err
	}
	return a == b, nil
}

// sameSampledContent compares size and three 1 MiB ranges (start, middle,
// end) of a large object in two buckets: enough to catch a wrong or
// truncated copy without reading gigabytes twice per run.
func sameSampledContent(ctx context.Context, c *s3.Client, srcBucket, dstBucket, key string, size int64) (bool, string, error) {
	h, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(dstBucket), Key: aws.String(key)})
	if err != nil {
		return false, "destination object missing", nil
	}
	if got := aws.ToInt64(h.ContentLength); got != size {
		return false, fmt.Sprintf("size %d, want %d", got, size), nil
	}
	const w = 1 << 20
	for _, off := range []int64{0, size/2 - w/2, size - w} {
		if off < 0 {
			off = 0
		}
		rng := fmt.Sprintf("bytes=%d-%d", off, min(off+w, size)-1)
		a, _, err := getMD5(ctx, c, srcBucket, key, rng)
		if err != nil {
			return false, "", err
		}
		b, _, err := getMD5(ctx, c, dstBucket, key, rng)
		if err != nil {
			return false, "", err
		}
		if a != b {
			return false, "content differs at offset " + fmt.Sprint(off), nil
		}
	}
	return true, "", nil
}

// changedKeys compares two listings of the same bucket and returns the keys
// written in between (new, or a different ETag or LastModified).
func changedKeys(before, after map[string]objInfo) []string {
	var out []string
	for k, a := range after {
		b, ok := before[k]
		if !ok || b.ETag != a.ETag || !b.LastModified.Equal(a.LastModified) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// compareSets describes how got differs from want ("" when equal).
func compareSets(got, want []string) string {
	g := map[string]bool{}
	for _, k := range got {
		g[k] = true
	}
	missed, extra := 0, 0
	for _, k := range want {
		if !g[k] {
			missed++
		}
		delete(g, k)
	}
	extra = len(g)
	if missed == 0 && extra == 0 {
		return ""
	}
	var parts []string
	if missed > 0 {
		parts = append(parts, fmt.Sprintf("missed %d of %d changed", missed, len(want)))
	}
	if extra > 0 {
		parts = append(parts, fmt.Sprintf("rewrote %d unchanged", extra))
	}
	return strings.Join(parts, ", ")
}
