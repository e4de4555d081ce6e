package copier

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"golang.org/x/sync/errgroup"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/state"
)

// deleteRecorder records the keys of each DeleteObjects request and
// answers a per-key error for the keys in refuse (which it does not send
// to S3), as S3 does for a key it could not delete.
type deleteRecorder struct {
	CopyDestination
	refuse  map[string]bool
	mu      sync.Mutex
	batches [][]string
}

func (d *deleteRecorder) DeleteObjects(ctx context.Context, in *s3.DeleteObjectsInput, optFns ...func(*s3.Options)) (*s3.DeleteObjectsOutput, error) {
	var keys []string
	var send []s3types.ObjectIdentifier
	var refused []s3types.Error
	for _, o := range in.Delete.Objects {
		k := aws.ToString(o.Key)
		keys = append(keys, k)
		if d.refuse[k] {
			refused = append(refused, s3types.Error{Key: o.Key, Code: aws.String("AccessDenied"), Message: aws.String("Access Denied")})
			continue
		}
		send = append(send, o)
	}
	d.mu.Lock()
	d.batches = append(d.batches, keys)
	d.mu.Unlock()
	out := &s3.DeleteObjectsOutput{}
	if len(send) > 0 {
		in := *in
		in.Delete = &s3types.Delete{Objects: send, Quiet: in.Delete.Quiet}
		var err error
		if out, err = d.CopyDestination.DeleteObjects(ctx, &in, optFns...); err != nil {
			return nil, err
		}
	}
	out.Errors = append(out.Errors, refused...)
	return out, nil
}

// TestSyncDeletesMoreThanOneBatch: 1,100 destination objects gone at
// source are deleted in two DeleteObjects requests (1,000 and 100 keys),
// and every one is gone afterwards.
func TestSyncDeletesMoreThanOneBatch(t *testing.T) {
	w := newCopyWorld(t)
	const n = 1100
	g, ctx := errgroup.WithContext(t.Context())
	g.SetLimit(8)
	for i := range n {
		g.Go(func() error {
			return w.Lake.PutObject(ctx, "lake-raw", fmt.Sprintf("prod/gone/%04d", i), []byte("x"))
		})
	}
	must(t, g.Wait())
	job := w.Job(config.ModeSync, config.TransferServerSide)
	job.Delete = true
	c := w.copier(t, job, nil)
	rec := &deleteRecorder{CopyDestination: c.Destination}
	c.Destination = rec
	sum, err := c.Run(t.Context(), job)
	must(t, c.State.Close())
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	if sum.Deleted != n || sum.Failed != 0 {
		t.Errorf("deleted %d failed %d, want %d and 0", sum.Deleted, sum.Failed, n)
	}
	var sizes []int
	seen := map[string]bool{}
	for _, b := range rec.batches {
		sizes = append(sizes, len(b))
		for _, k := range b {
			if seen[k] {
				t.Errorf("%s deleted twice", k)
			}
			seen[k] = true
		}
	}
	if fmt.Sprint(sizes) != "[1000 100]" && fmt.Sprint(sizes) != "[100 1000]" {
		t.Errorf("DeleteObjects batches of %v keys, want one of 1000 and one of 100", sizes)
	}
	if keys := w.DestinationKeys(t); len(keys) != 0 {
		t.Errorf("%d objects left at the destination, first %s", len(keys), keys[0])
	}
}

// TestSyncDeleteKeyErrorsAreReportedNotRecorded: a key DeleteObjects
// refuses is a failure of the run naming the key; its state record stays,
// so the next run deletes it; the other deletes are recorded.
func TestSyncDeleteKeyErrorsAreReportedNotRecorded(t *testing.T) {
	w := newCopyWorld(t)
	for i := range 4 {
		w.Put(t, fmt.Sprintf("exports/%d", i), body(i, 64))
	}
	job := w.Job(config.ModeSync, config.TransferServerSide)
	job.Delete = true
	if _, _, err := w.run(t, job); err != nil {
		t.Fatalf("first sync: %v", err)
	}
	for i := range 4 {
		_, err := w.Prod.S3().DeleteObject(t.Context(), &s3.DeleteObjectInput{Bucket: aws.String("prod-data"), Key: aws.String(fmt.Sprintf("exports/%d", i))})
		must(t, err)
	}

	c := w.copier(t, job, nil)
	rec := &deleteRecorder{CopyDestination: c.Destination, refuse: map[string]bool{"prod/2": true}}
	c.Destination = rec
	sum, err := c.Run(t.Context(), job)
	must(t, c.State.Close())
	var failed *ObjectsFailedError
	if !errors.As(err, &failed) || failed.Count != 1 {
		t.Fatalf("err = %v, want one failed object", err)
	}
	if sum.Deleted != 3 || sum.Failed != 1 {
		t.Errorf("deleted %d failed %d, want 3 and 1", sum.Deleted, sum.Failed)
	}
	if len(sum.Failures) != 1 || sum.Failures[0].Key != "exports/2" ||
		!strings.Contains(sum.Failures[0].Err.Error(), "s3://lake-raw/prod/2") || !strings.Contains(sum.Failures[0].Err.Error(), "AccessDenied") {
		t.Errorf("failures %v, want exports/2 named with its destination and code", sum.Failures)
	}
	store, err := state.Open(w.State, state.Options{ReadOnly: true})
	must(t, err)
	var recorded []string
	for r, err := range store.Records(t.Context(), job.Name, "") {
		must(t, err)
		recorded = append(recorded, r.SourceKey)
	}
	must(t, store.Close())
	if fmt.Sprint(recorded) != "[exports/2]" {
		t.Errorf("state records %v after the run, want only the object whose delete failed", recorded)
	}

	sum, _, err = w.run(t, job)
	if err != nil || sum.Deleted != 1 {
		t.Errorf("next run: deleted %d, err %v; want the one left", sum.Deleted, err)
	}
	if keys := w.DestinationKeys(t); len(keys) != 0 {
		t.Errorf("destination still holds %v", keys)
	}
}
