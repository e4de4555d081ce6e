package inventory

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakesync/lakesync/internal/exec/awserr"
)

// BucketReader is what the reader calls on the bucket the reports are
// delivered to: listing the report folders and reading their files.
type BucketReader interface {
	ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, optFns ...func(*s3.Options)) (*s3.ListObjectsV2Output, error)
	GetObject(ctx context.Context, in *s3.GetObjectInput, optFns ...func(*s3.Options)) (*s3.GetObjectOutput, error)
}

// maxManifestSize bounds what is read of manifest.json and
// manifest.checksum: a manifest lists file names and sizes, a few hundred
// bytes per data file.
const maxManifestSize = 64 << 20

// errNoSuchKey is returned (wrapped) by getSmall for an object that does
// not exist.
var errNoSuchKey = errors.New("no such object")

// getSmall reads a small object whole.
func getSmall(ctx context.Context, api BucketReader, bucket, key string) ([]byte, error) {
	body, err := open(ctx, api, bucket, key)
	if err != nil {
		return nil, err
	}
	defer body.Close()
	b, err := io.ReadAll(io.LimitReader(body, maxManifestSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading s3://%s/%s: %w", bucket, key, err)
	}
	if len(b) > maxManifestSize {
		return nil, fmt.Errorf("s3://%s/%s is larger than %d MiB: not an inventory manifest", bucket, key, maxManifestSize>>20)
	}
	return b, nil
}

// open starts reading an object; a missing object is errNoSuchKey.
func open(ctx context.Context, api BucketReader, bucket, key string) (io.ReadCloser, error) {
	out, err := api.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		var nsk *s3types.NoSuchKey
		if errors.As(err, &nsk) || awserr.Code(err) == "NoSuchKey" {
			return nil, fmt.Errorf("s3://%s/%s: %w", bucket, key, errNoSuchKey)
		}
		return nil, awserr.New("s3:GetObject", awserr.ObjectARN(bucket, key), nil, err)
	}
	return out.Body, nil
}

// folders lists the common prefixes ("folders") right below prefix, in
// S3's (key) order, across all pages.
func folders(ctx context.Context, api BucketReader, bucket, prefix string) ([]string, error) {
	in := &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(prefix), Delimiter: aws.String("/")}
	var out []string
	for page := s3.NewListObjectsV2Paginator(api, in); page.HasMorePages(); {
		p, err := page.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing s3://%s/%s: %w", bucket, prefix, awserr.New("s3:ListObjectsV2", "arn:aws:s3:::"+bucket, nil, err))
		}
		for _, cp := range p.CommonPrefixes {
			out = append(out, aws.ToString(cp.Prefix))
		}
	}
	return out, nil
}
