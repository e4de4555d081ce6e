package copier

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/plan"
)

// countingLister counts the objects its listings return, whatever the
// job's selection then keeps.
type countingLister struct {
	SourceReader
	objects atomic.Int64
}

func (l *countingLister) ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, optFns ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	out, err := l.SourceReader.ListObjectsV2(ctx, in, optFns...)
	if err == nil {
		l.objects.Add(int64(len(out.Contents)))
	}
	return out, err
}

// observeEmptySource is called when the listing of job's source prefix
// found no object. It lists the level above the prefix once, with
// delimiter "/", so the plan can suggest the prefix meant ("exports/" for
// "exprots/") or say the bucket is empty. A job that copies the whole
// bucket needs no listing: the bucket is empty.
func observeEmptySource(ctx context.Context, api Lister, job *config.Job) (*plan.EmptySource, error) {
	es := &plan.EmptySource{Parent: plan.ParentPrefix(job.SourcePrefix)}
	if job.SourcePrefix == "" {
		return es, nil
	}
	bucket := job.Source.BucketName
	in := &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Delimiter: aws.String("/"), MaxKeys: aws.Int32(1000)}
	if es.Parent != "" {
		in.Prefix = aws.String(es.Parent)
	}
	out, err := api.ListObjectsV2(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("job %q: source_prefix %q matches no object; listing s3://%s/%s with delimiter \"/\" to find the prefixes next to it: %w",
			job.Name, job.SourcePrefix, bucket, es.Parent, err)
	}
	for _, p := range out.CommonPrefixes {
		es.Prefixes = append(es.Prefixes, aws.ToString(p.Prefix))
	}
	es.Objects = len(out.Contents)
	return es, nil
}
