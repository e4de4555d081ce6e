package copier

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"golang.org/x/sync/errgroup"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/awserr"
	"github.com/lakesync/lakesync/internal/plan"
)

// Verifier is what verify calls on each side: listing, HEAD and GET.
type Verifier interface {
	ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, optFns ...func(*s3.Options)) (*s3.ListObjectsV2Output, error)
	HeadObject(ctx context.Context, in *s3.HeadObjectInput, optFns ...func(*s3.Options)) (*s3.HeadObjectOutput, error)
	GetObject(ctx context.Context, in *s3.GetObjectInput, optFns ...func(*s3.Options)) (*s3.GetObjectOutput, error)
}

// Difference is one object whose copy does not match its source.
type Difference struct {
	Job     string `json:"job"`
	Key     string `json:"key"`             // source key ("" when only at the destination)
	DestKey string `json:"destination_key"` // destination key
	Problem string `json:"problem"`
}

// VerifyResult counts what verify compared.
type VerifyResult struct {
	Job         string       `json:"job"`
	Objects     int64        `json:"objects"`     // source objects selected
	Checksummed int64        `json:"checksummed"` // compared by full-object checksum
	Hashed      int64        `json:"hashed"`      // compared by content (--full)
	Differences []Difference `json:"differences"`
}

// Verify compares a job's source and destination object by object: each
// selected source object must exist at its destination key with the same
// size; where both sides have a full-object checksum they must match; with
// full, both objects are read and their SHA-256 compared, streaming with
// bounded memory. Destination objects under the prefix without a source
// are reported for sync jobs with delete = true. The destination is
// listed with ListObjectsV2: on a versioned destination, its current
// versions (a deleted object's delete marker hides it). A job with
// source_as_of compares the source's versions current then.
func Verify(ctx context.Context, job *config.Job, src, dst Verifier, full bool) (*VerifyResult, error) {
	content := contentNever
	if full {
		content = contentAlways
	}
	return verify(ctx, job, src, dst, content)
}

// VerifyExact is Verify comparing every object by size and full-object
// checksum, and by content (SHA-256 of both sides) where the two sides
// have no checksum to compare: what a migration checks before it deletes.
func VerifyExact(ctx context.Context, job *config.Job, src, dst Verifier) (*VerifyResult, error) {
	return verify(ctx, job, src, dst, contentWhereNoChecksum)
}

// contentCompare says when verify reads both objects to compare them.
type contentCompare int

const (
	contentNever contentCompare = iota
	contentAlways
	contentWhereNoChecksum
)

func verify(ctx context.Context, job *config.Job, src, dst Verifier, content contentCompare) (*VerifyResult, error) {
	sel, err := plan.NewSelector(job)
	if err != nil {
		return nil, err
	}
	pool, opts := newJobPool(job), newJobOpts(job, 0)
	res := &VerifyResult{Job: job.Name}
	var mu sync.Mutex
	differ := func(d Difference) {
		mu.Lock()
		res.Differences = append(res.Differences, d)
		mu.Unlock()
	}
	srcObjs := sourceObjects(listPages(ctx, pool, opts, src, job.Source.BucketName, job.SourcePrefix), nil)
	if !job.SourceAsOf.IsZero() {
		vl, ok := src.(VersionLister)
		if !ok {
			return nil, fmt.Errorf("job %q: source_as_of needs ListObjectVersions, which this source client (%T) lacks", job.Name, src)
		}
		srcObjs = versionsAsOf(listVersionPages(ctx, pool, opts, vl, job.Source.BucketName, job.SourcePrefix), job.SourceAsOf, nil)
	}
	dstObjs := destinationObjects(listPages(ctx, pool, opts, dst, job.Destination.BucketName, job.DestinationPrefix))
	rules := plan.Rules{Mode: config.ModeSync, Delete: true}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(pool.size)
	for it, err := range plan.Merge(sel, rules, srcObjs, nil, dstObjs) {
		if err != nil {
			_ = g.Wait()
			return nil, fmt.Errorf("job %q: %w", job.Name, err)
		}
		if gctx.Err() != nil {
			break
		}
		switch {
		case it.Source == nil && it.Destination != nil:
			if job.Delete {
				differ(Difference{Job: job.Name, DestKey: it.Destination.Key, Problem: "at the destination but not at the source"})
			}
			continue
		case it.Source == nil:
			continue
		}
		res.Objects++
		srcKey, dstKey, version := it.Source.Key, sel.DestinationKey(it.Rel), pinned(it.Source)
		if it.Destination == nil {
			differ(Difference{Job: job.Name, Key: srcKey, DestKey: dstKey, Problem: "missing at the destination"})
			continue
		}
		if it.Source.Size != it.Destination.Size {
			differ(Difference{Job: job.Name, Key: srcKey, DestKey: dstKey, Problem: fmt.Sprintf("size %d at the source, %d at the destination", it.Source.Size, it.Destination.Size)})
			continue
		}
		g.Go(func() error {
			d, how, err := compareObject(gctx, pool, job, src, dst, srcKey, version, dstKey, content)
			if err != nil {
				return err
			}
			mu.Lock()
			switch how {
			case "checksum":
				res.Checksummed++
			case "content":
				res.Hashed++
			}
			mu.Unlock()
			if d != "" {
				differ(Difference{Job: job.Name, Key: srcKey, DestKey: dstKey, Problem: d})
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return res, nil
}

// compareObject compares one pair by checksum, and by content as content
// says; version is the source version compared (nil: the current one).
func compareObject(ctx context.Context, pool *requestPool, job *config.Job, src, dst Verifier, srcKey string, version *string, dstKey string, content contentCompare) (problem, how string, err error) {
	var sh, dh *s3.HeadObjectOutput
	err = pool.do(ctx, func(ctx context.Context) error {
		var err error
		sh, err = src.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(job.Source.BucketName), Key: aws.String(srcKey), VersionId: version, ChecksumMode: s3types.ChecksumModeEnabled})
		return awserr.New("s3:GetObject", awserr.ObjectARN(job.Source.BucketName, srcKey), job.Source.Account, err)
	})
	if err == nil {
		err = pool.do(ctx, func(ctx context.Context) error {
			var err error
			dh, err = dst.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(job.Destination.BucketName), Key: aws.String(dstKey), ChecksumMode: s3types.ChecksumModeEnabled})
			return awserr.New("s3:GetObject", awserr.ObjectARN(job.Destination.BucketName, dstKey), job.Destination.Account, err)
		})
	}
	if err != nil {
		return "", "", err
	}
	if sc, dc := fullObjectChecksum(sh), fullObjectChecksum(dh); sc != "" && dc != "" && checksumAlg(sc) == checksumAlg(dc) {
		how = "checksum"
		if sc != dc {
			return fmt.Sprintf("checksum %s at the source, %s at the destination", sc, dc), how, nil
		}
	}
	if content == contentNever || content == contentWhereNoChecksum && how == "checksum" {
		return "", how, nil
	}
	sd, err := hashObject(ctx, pool, src, job.Source.BucketName, srcKey, version, job.Source.Account)
	if err != nil {
		return "", "", err
	}
	dd, err := hashObject(ctx, pool, dst, job.Destination.BucketName, dstKey, nil, job.Destination.Account)
	if err != nil {
		return "", "", err
	}
	if !bytes.Equal(sd, dd) {
		return "content differs (SHA-256)", "content", nil
	}
	return "", "content", nil
}

func checksumAlg(c string) string {
	alg, _, _ := strings.Cut(c, ":")
	return alg
}

// hashObject streams an object through SHA-256: memory is the copy
// buffer, whatever the object's size. version is the one read (nil: the
// current one).
func hashObject(ctx context.Context, pool *requestPool, api Verifier, bucket, key string, version *string, acct *config.Account) ([]byte, error) {
	var sum []byte
	err := pool.do(ctx, func(ctx context.Context) error {
		out, err := api.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), VersionId: version})
		if err != nil {
			return awserr.New("s3:GetObject", awserr.ObjectARN(bucket, key), acct, err)
		}
		defer out.Body.Close()
		h := sha256.New()
		if _, err := io.Copy(h, out.Body); err != nil {
			return fmt.Errorf("read s3://%s/%s: %w", bucket, key, err)
		}
		sum = h.Sum(nil)
		return nil
	})
	return sum, err
}
