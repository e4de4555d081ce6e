package copier

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/plan"
)

// oddKeys are keys the copy source header must encode.
var oddKeys = []string{"exports/with space.csv", "exports/a+b.csv", "exports/100%.csv", "exports/q?x=1.csv",
	"exports/hash#1.csv", "exports/données/é.csv"}

func TestCopySyncServerSide(t *testing.T) {
	w := newCopyWorld(t)
	ctx := t.Context()
	for i := range 20 {
		w.Put(t, fmt.Sprintf("exports/d%d/o%02d.csv", i%3, i), body(i, 1000+i))
	}
	for i, k := range oddKeys {
		w.Put(t, k, body(100+i, 50))
	}
	w.Put(t, "other/not-selected.csv", []byte("x"))
	_, err := w.Prod.S3().PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("prod-data"), Key: aws.String("exports/meta.json"),
		Body: bytes.NewReader([]byte(`{}`)), ContentType: aws.String("application/json"), CacheControl: aws.String("max-age=60"),
		Metadata: map[string]string{"origin": "prod"}, Tagging: aws.String("team=data&pii=no")})
	must(t, err)
	total := 20 + len(oddKeys) + 1
	job := w.Job(config.ModeSync, config.TransferServerSide)

	sum, events, err := w.run(t, job)
	if err != nil || sum.Copied != int64(total) || sum.Failed != 0 {
		t.Fatalf("first sync: %+v, %v", sum, err)
	}
	if n := events.count(func(e CopyEvent) bool { _, ok := e.(*ObjectDone); return ok }); n != total {
		t.Errorf("%d ObjectDone events, want %d", n, total)
	}
	for i, k := range oddKeys {
		got, out := w.Get(t, "prod/"+k[len("exports/"):])
		if !bytes.Equal(got, body(100+i, 50)) {
			t.Errorf("%s: bytes differ", k)
		}
		if out.ServerSideEncryption != s3types.ServerSideEncryptionAwsKms || aws.ToString(out.SSEKMSKeyId) != w.KeyARN || !aws.ToBool(out.BucketKeyEnabled) {
			t.Errorf("%s: encryption %s %s, want aws:kms with %s", k, out.ServerSideEncryption, aws.ToString(out.SSEKMSKeyId), w.KeyARN)
		}
	}
	_, meta := w.Get(t, "prod/meta.json")
	if aws.ToString(meta.ContentType) != "application/json" || meta.Metadata["origin"] != "prod" || aws.ToString(meta.CacheControl) != "max-age=60" {
		t.Errorf("metadata not kept: %s %v %s", aws.ToString(meta.ContentType), meta.Metadata, aws.ToString(meta.CacheControl))
	}
	if aws.ToInt32(meta.TagCount) != 2 {
		t.Errorf("tags not kept: %d", aws.ToInt32(meta.TagCount))
	}
	if slices.Contains(w.DestinationKeys(t), "prod/other/not-selected.csv") {
		t.Error("an object outside the source prefix was copied")
	}

	// A second sync copies nothing.
	sum, events, err = w.run(t, job)
	if err != nil || sum.Copied != 0 || sum.Skipped != int64(total) {
		t.Fatalf("second sync: %+v, %v", sum, err)
	}
	// ... and says so in its last Listed event: all of the listing is
	// unchanged, no work is left for a progress bar.
	var last *Listed
	events.count(func(e CopyEvent) bool {
		if l, ok := e.(*Listed); ok {
			last = l
		}
		return false
	})
	if last == nil || !last.Done || last.Unchanged != last.Objects || last.Objects != int64(total) || last.UnchangedBytes != last.Bytes {
		t.Errorf("second sync: last Listed %+v, want all %d objects unchanged", last, total)
	}

	// Same-size content change, a lost destination object, a deleted source.
	w.Put(t, "exports/d0/o00.csv", bytes.ToUpper(body(0, 1000)))
	_, err = w.Lake.S3().DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("lake-raw"), Key: aws.String("prod/d1/o01.csv")})
	must(t, err)
	_, err = w.Prod.S3().DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("prod-data"), Key: aws.String("exports/d2/o02.csv")})
	must(t, err)
	sum, events, err = w.run(t, job)
	if err != nil || sum.Copied != 2 || sum.Deleted != 0 {
		t.Fatalf("third sync (delete off): %+v, %v", sum, err)
	}
	if got, _ := w.Get(t, "prod/d0/o00.csv"); !bytes.Equal(got, bytes.ToUpper(body(0, 1000))) {
		t.Error("the same-size change was not copied")
	}
	actions := map[plan.ObjectAction]int{}
	for _, e := range events.events {
		if d, ok := e.(*ObjectDone); ok {
			actions[d.Action]++
		}
	}
	if actions[plan.ObjectChanged] != 1 || actions[plan.ObjectMissing] != 1 {
		t.Errorf("actions = %v, want one changed and one missing", actions)
	}

	job.Delete = true
	sum, events, err = w.run(t, job)
	if err != nil || sum.Deleted != 1 || sum.Copied != 0 {
		t.Fatalf("sync with delete: %+v, %v", sum, err)
	}
	// The end of the listing counts the delete as work, beside the
	// source objects: a progress view's "N of M" counts both.
	last = nil
	events.count(func(e CopyEvent) bool {
		if l, ok := e.(*Listed); ok {
			last = l
		}
		return false
	})
	if last == nil || !last.Done || last.Deletes != 1 || last.Objects != int64(total-1) {
		t.Errorf("sync with delete: last Listed %+v, want Done with %d objects and 1 delete", last, total-1)
	}
	if slices.Contains(w.DestinationKeys(t), "prod/d2/o02.csv") {
		t.Error("the object gone at source was not deleted")
	}
	store, err := state.Open(w.State, state.Options{ReadOnly: true})
	must(t, err)
	defer store.Close()
	if _, ok, _ := store.Get(job.Name, "exports/d2/o02.csv"); ok {
		t.Error("the deleted object's record is still there")
	}
}

func TestCopyCp(t *testing.T) {
	w := newCopyWorld(t)
	for i := range 5 {
		w.Put(t, fmt.Sprintf("exports/o%d", i), body(i, 100))
	}
	job := w.Job(config.ModeCp, config.TransferServerSide)
	for round := range 2 {
		sum, _, err := w.run(t, job)
		if err != nil || sum.Copied != 5 {
			t.Fatalf("cp round %d: %+v, %v", round, sum, err)
		}
	}
}

func TestCopyMultipartAndStream(t *testing.T) {
	w := newCopyWorld(t)
	ctx := t.Context()
	big := body(7, 12<<20)
	_, err := w.Prod.S3().PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("prod-data"), Key: aws.String("exports/big.bin"),
		Body: bytes.NewReader(big), ContentType: aws.String("application/x-parquet"),
		Metadata: map[string]string{"rows": "42"}, Tagging: aws.String("tier=gold")})
	must(t, err)
	for i := range 5 {
		w.Put(t, fmt.Sprintf("exports/small%d", i), body(i, 2000))
	}
	for _, transfer := range []config.Transfer{config.TransferServerSide, config.TransferStream} {
		t.Run(string(transfer), func(t *testing.T) {
			job := w.Job(config.ModeCp, transfer)
			job.MultipartThreshold, job.PartSize = 5<<20, 5<<20
			sum, events, err := w.run(t, job)
			if err != nil || sum.Copied != 6 || sum.Bytes != int64(len(big))+5*2000 {
				t.Fatalf("%+v, %v", sum, err)
			}
			if n := events.count(func(e CopyEvent) bool { _, ok := e.(*PartDone); return ok }); n != 3 {
				t.Errorf("%d parts, want 3", n)
			}
			got, out := w.Get(t, "prod/big.bin")
			if !bytes.Equal(got, big) {
				t.Error("multipart copy: bytes differ")
			}
			// moto does not keep BucketKeyEnabled of multipart uploads; the
			// request sets it (see encrypt).
			if out.ServerSideEncryption != s3types.ServerSideEncryptionAwsKms || aws.ToString(out.SSEKMSKeyId) != w.KeyARN {
				t.Errorf("multipart copy: encryption %s %s bucket key %v", out.ServerSideEncryption, aws.ToString(out.SSEKMSKeyId), aws.ToBool(out.BucketKeyEnabled))
			}
			if aws.ToString(out.ContentType) != "application/x-parquet" || out.Metadata["rows"] != "42" || aws.ToInt32(out.TagCount) != 1 {
				t.Errorf("multipart copy: metadata %s %v tags %d", aws.ToString(out.ContentType), out.Metadata, aws.ToInt32(out.TagCount))
			}
			ups, err := w.Lake.S3().ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("lake-raw")})
			must(t, err)
			if len(ups.Uploads) != 0 {
				t.Errorf("%d multipart uploads left behind", len(ups.Uploads))
			}
		})
	}
}

// failingDestination fails CopyObject of some keys with an error code.
type failingDestination struct {
	*s3.Client
	code string
	keys map[string]bool
}

func (f *failingDestination) CopyObject(ctx context.Context, in *s3.CopyObjectInput, optFns ...func(*s3.Options)) (*s3.CopyObjectOutput, error) {
	if f.keys == nil || f.keys[aws.ToString(in.Key)] {
		return nil, &fakeAPIError{code: f.code}
	}
	return f.Client.CopyObject(ctx, in, optFns...)
}

type fakeAPIError struct{ code string }

func (e *fakeAPIError) Error() string                 { return "api error " + e.code }
func (e *fakeAPIError) ErrorCode() string             { return e.code }
func (e *fakeAPIError) ErrorMessage() string          { return e.code }
func (e *fakeAPIError) ErrorFault() smithy.ErrorFault { return smithy.FaultUnknown }

func TestCopyObjectFailureAndFatal(t *testing.T) {
	w := newCopyWorld(t)
	for i := range 6 {
		w.Put(t, fmt.Sprintf("exports/o%d", i), body(i, 100))
	}
	job := w.Job(config.ModeSync, config.TransferServerSide)
	c := w.copier(t, job, nil)
	c.Destination = &failingDestination{Client: c.Destination.(*s3.Client), code: "AccessDenied", keys: map[string]bool{"prod/o3": true}}
	sum, err := c.Run(t.Context(), job)
	var failed *ObjectsFailedError
	if !errors.As(err, &failed) || sum.Failed != 1 || sum.Copied != 5 || failed.Failures[0].Key != "exports/o3" {
		t.Fatalf("one object denied: %+v, %v", sum, err)
	}
	c.State.Close()

	w.Put(t, "exports/o9", body(9, 10))
	c = w.copier(t, job, nil)
	c.Destination = &failingDestination{Client: c.Destination.(*s3.Client), code: "ExpiredToken"}
	sum, err = c.Run(t.Context(), job)
	if err == nil || errors.As(err, &failed) || sum.Copied != 0 {
		t.Fatalf("expired credentials: %+v, %v; want a fatal error", sum, err)
	}
}

func TestCopyInterruptedResumes(t *testing.T) {
	w := newCopyWorld(t)
	const n = 40
	for i := range n {
		w.Put(t, fmt.Sprintf("exports/o%02d", i), body(i, 100))
	}
	job := w.Job(config.ModeSync, config.TransferServerSide)
	job.Concurrency = 2
	ctx, cancel := context.WithCancel(t.Context())
	events := &eventLog{}
	var done int
	events.hook = func(e CopyEvent) {
		if _, ok := e.(*ObjectDone); ok {
			if done++; done == 10 {
				cancel()
			}
		}
	}
	c := w.copier(t, job, events)
	sum, err := c.Run(ctx, job)
	c.State.Close()
	if !errors.Is(err, ErrInterrupted) || sum.Copied < 10 || sum.Copied >= n || sum.Failed != 0 {
		t.Fatalf("interrupted run: %+v, %v", sum, err)
	}
	first := sum.Copied
	sum, _, err = w.run(t, job)
	if err != nil || sum.Copied != n-first {
		t.Fatalf("resumed run: %+v, %v; want %d copied", sum, err, n-first)
	}
}
