package s3inventory

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Lister lists a bucket (*s3.Client).
type Lister interface {
	ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, optFns ...func(*s3.Options)) (*s3.ListObjectsV2Output, error)
}

// FromListing is the rows a report of bucket would hold now for the
// objects under prefix, without the keys in lacking (objects written after
// the report's scan).
func FromListing(ctx context.Context, api Lister, bucket, prefix string, lacking ...string) ([]Object, error) {
	var out []Object
	in := &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(prefix)}
	for page := s3.NewListObjectsV2Paginator(api, in); page.HasMorePages(); {
		p, err := page.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, o := range p.Contents {
			if !slices.Contains(lacking, aws.ToString(o.Key)) {
				out = append(out, Object{Key: aws.ToString(o.Key), Size: aws.ToInt64(o.Size), ETag: aws.ToString(o.ETag),
					StorageClass: string(o.StorageClass), LastModified: aws.ToTime(o.LastModified)})
			}
		}
	}
	return out, nil
}

// Deliver writes the report's files under prefix with put, as S3
// Inventory delivers them: the data files first, manifest.checksum last.
func (r Report) Deliver(prefix string, put func(key string, body []byte) error) error {
	files, err := r.Files(prefix)
	if err != nil {
		return err
	}
	last := []string{r.Folder(prefix) + "manifest.json", r.Folder(prefix) + "manifest.checksum"}
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range files {
			if !slices.Contains(last, k) && !yield(k) {
				return
			}
		}
	}) {
		if err := put(k, files[k]); err != nil {
			return err
		}
	}
	for _, k := range last {
		if err := put(k, files[k]); err != nil {
			return err
		}
	}
	return nil
}
