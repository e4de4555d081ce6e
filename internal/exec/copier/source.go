package copier

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"path/filepath"
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/awserr"
	"github.com/lakesync/lakesync/internal/exec/inventory"
	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/plan"
)

// SourceReader is what reading a job's source listing calls on the source
// side: ListObjectsV2 to list the bucket, and GetObject to read the S3
// Inventory reports of a job with source_inventory (the SDK's exact
// signatures; *s3.Client implements it).
type SourceReader interface {
	Lister
	GetObject(ctx context.Context, in *s3.GetObjectInput, optFns ...func(*s3.Options)) (*s3.GetObjectOutput, error)
}

// source is a job's source listing as a sorted stream, and where it came
// from (listing nil: a listing of the source bucket).
type source struct {
	objects iter.Seq2[plan.SourceObject, error]
	listing *plan.SourceListing
}

// openSource is the one choice of a job's source listing, made alike by
// a plan (PlannedItems) and a run (Run): the newest S3 Inventory report
// under job.SourceInventory when the job has one, read by api (the
// principal that lists the source); the versions current at
// job.SourceAsOf when it is set (ListObjectVersions: api must be a
// VersionLister); else a listing of the source bucket.
// Every request takes a slot of pool and is made with opts. The inventory
// sort's run files go beside the state (store nil: the system's temporary
// directory). listed is called with each object of the stream (nil: not).
func openSource(ctx context.Context, job *config.Job, pool *requestPool, opts *requestOpts, api SourceReader, store *state.Store, listed func(plan.SourceObject)) (source, error) {
	loc := job.SourceInventory
	if !job.SourceAsOf.IsZero() {
		vl, ok := api.(VersionLister)
		if !ok {
			return source{}, fmt.Errorf("job %q: source_as_of needs ListObjectVersions, which this source client (%T) lacks", job.Name, api)
		}
		return source{objects: versionsAsOf(listVersionPages(ctx, pool, opts, vl, job.Source.BucketName, job.SourcePrefix), job.SourceAsOf, listed)}, nil
	}
	if loc == nil {
		return source{objects: sourceObjects(listPages(ctx, pool, opts, api, job.Source.BucketName, job.SourcePrefix), listed)}, nil
	}
	rep, err := inventory.Open(ctx, &pooledReader{api: api, pool: pool, opts: opts}, *loc, job.Source.BucketName)
	if err != nil {
		return source{}, fmt.Errorf("job %q: %w", job.Name, err)
	}
	var tmp string
	if store != nil {
		tmp = filepath.Dir(store.Path())
	}
	objs := rep.Objects(ctx, job.SourcePrefix, inventory.Options{TempDir: tmp})
	if listed != nil {
		objs = tap(objs, listed)
	}
	return source{objects: objs, listing: &plan.SourceListing{Kind: plan.SourceListingInventory, Created: rep.Created.UTC(),
		Location: loc.String(), Report: rep.Folder, DataFiles: len(rep.Manifest.Files)}}, nil
}

// pooledReader makes the inventory reader's requests in slots of the
// run's pool, like every other request of the run.
type pooledReader struct {
	api  SourceReader
	pool *requestPool
	opts *requestOpts
}

func (p *pooledReader) ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, optFns ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	var out *s3.ListObjectsV2Output
	err := p.pool.do(ctx, func(ctx context.Context) error {
		var err error
		out, err = p.api.ListObjectsV2(ctx, in, slices.Concat(p.opts.fns, optFns)...)
		return err
	})
	return out, err
}

// GetObject holds its slot until S3 answers; the body is read after.
func (p *pooledReader) GetObject(ctx context.Context, in *s3.GetObjectInput, optFns ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	var out *s3.GetObjectOutput
	err := p.pool.do(ctx, func(ctx context.Context) error {
		var err error
		out, err = p.api.GetObject(ctx, in, slices.Concat(p.opts.fns, optFns)...)
		return err
	})
	return out, err
}

// sourceGone reports whether err, from copying the source object srcKey,
// says that object does not exist (404): NoSuchKey from CopyObject,
// UploadPartCopy or GetObject, NotFound from a HeadObject of the source.
func (r *run) sourceGone(err error, srcKey string) bool {
	if awserr.HasCode(err, "NoSuchKey") {
		return true
	}
	var ae *awserr.Error
	return awserr.HasCode(err, "NotFound") && errors.As(err, &ae) && ae.Resource == r.sourceURL(srcKey)
}
