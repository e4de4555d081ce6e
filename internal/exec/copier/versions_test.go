package copier

import (
	"iter"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/google/go-cmp/cmp"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/plan"
)

// versionsAsOf chooses, per key, the newest version at or before the
// time, also when a key's versions go on over the next page; a delete
// marker then, or no version yet, leaves the key out.
func TestVersionsAsOf(t *testing.T) {
	at := func(m int) time.Time { return time.Date(2026, 11, 30, 0, m, 0, 0, time.UTC) }
	v := func(key, id string, m int) version {
		return version{obj: plan.SourceObject{Key: key, VersionID: id, LastModified: at(m)}}
	}
	del := func(key, id string, m int) version { x := v(key, id, m); x.deleted = true; return x }
	pages := [][]version{
		{v("a", "a3", 30), v("a", "a2", 20)},                  // a goes on over the next page
		{v("a", "a1", 5), del("b", "b2", 8), v("b", "b1", 1)}, // b deleted before as of
		{v("c", "c1", 12), del("d", "d2", 12), v("d", "d1", 3), v("e", "e1", 9)},
	}
	seq := func(yield func([]version, error) bool) {
		for _, p := range pages {
			if !yield(p, nil) {
				return
			}
		}
	}
	var got []string
	for o, err := range versionsAsOf(iter.Seq2[[]version, error](seq), at(10), nil) {
		must(t, err)
		got = append(got, o.Key+"@"+o.VersionID)
	}
	// a: a1 (a2, a3 are later); b: deleted then; c: not yet; d: d1 (the
	// marker is later); e: e1.
	if diff := cmp.Diff([]string{"a@a1", "d@d1", "e@e1"}, got); diff != "" {
		t.Errorf("as of 00:10 (-want +got):\n%s", diff)
	}
}

// A job with source_as_of copies the versions current then and records
// them; a later source_as_of copies only the keys whose version changed
// (the same bytes written again too), deletes what was deleted since and
// adds what was written since.
func TestSourceAsOfOnMoto(t *testing.T) {
	w := newCopyWorld(t)
	ctx := t.Context()
	src := w.Prod.S3()
	_, err := src.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("prod-data"),
		VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}})
	must(t, err)
	// newest is the latest LastModified among the source's versions.
	newest := func(prefix string) time.Time {
		out, err := src.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("prod-data"), Prefix: aws.String(prefix)})
		must(t, err)
		var m time.Time
		for _, v := range out.Versions {
			if lm := aws.ToTime(v.LastModified); lm.After(m) {
				m = lm
			}
		}
		for _, d := range out.DeleteMarkers {
			if lm := aws.ToTime(d.LastModified); lm.After(m) {
				m = lm
			}
		}
		return m
	}
	w.Put(t, "exports/a", []byte("a1"))
	w.Put(t, "exports/b", []byte("b1"))
	w.Put(t, "exports/gone", []byte("g1"))
	t1 := newest("exports/")
	// moto lists whole seconds: the next writes wait for a probe written
	// outside the job's prefix to be listed after t1.
	for !newest("probe").After(t1) {
		time.Sleep(50 * time.Millisecond)
		w.Put(t, "probe", nil)
	}
	w.Put(t, "exports/a", []byte("a2"))
	w.Put(t, "exports/b", []byte("b1")) // the same bytes, a new version
	_, err = src.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("prod-data"), Key: aws.String("exports/gone")})
	must(t, err)
	w.Put(t, "exports/new", []byte("n1"))
	t2 := newest("exports/")
	if !t2.After(t1) {
		t.Fatalf("moto gave the second writes no later LastModified (%s, %s)", t1, t2)
	}

	job := w.Job(config.ModeSync, config.TransferServerSide)
	job.Delete = true
	job.SourceAsOf = t1
	// The plan lists the same versions (ObserveData, one choice with Run).
	obs, err := ObserveData(ctx, job, w.Prod.S3(), w.Lake.S3(), nil, 10, plan.Shard{})
	must(t, err)
	if c := obs.Tally.Copy(); c.Objects != 3 || c.Bytes != 6 || obs.EmptySource != nil {
		t.Errorf("plan as of t1: copy %+v, empty source %+v; want 3 objects of 6 bytes", c, obs.EmptySource)
	}
	sum, _, err := w.run(t, job)
	must(t, err)
	if sum.Copied != 3 {
		t.Errorf("as of t1: copied %d, want 3", sum.Copied)
	}
	want := map[string]string{"prod/a": "a1", "prod/b": "b1", "prod/gone": "g1"}
	got := map[string]string{}
	for _, k := range w.DestinationKeys(t) {
		b, _ := w.Get(t, k)
		got[k] = string(b)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("destination as of t1 (-want +got):\n%s", diff)
	}

	// verify compares the versions of t1, read by version.
	vs, vd := w.CopyClients(job)
	res, err := Verify(ctx, job, vs, vd, true)
	must(t, err)
	if len(res.Differences) != 0 || res.Objects != 3 || res.Hashed != 3 {
		t.Errorf("verify as of t1: %d objects, %d hashed, differences %+v; want 3, 3, none", res.Objects, res.Hashed, res.Differences)
	}

	job.SourceAsOf = t2
	sum, events, err := w.run(t, job)
	must(t, err)
	var copied []string
	for _, e := range events.events {
		if d, ok := e.(*ObjectDone); ok && d.Err == nil && d.Action.Copies() {
			copied = append(copied, d.Key)
		}
	}
	slices.Sort(copied)
	if diff := cmp.Diff([]string{"exports/a", "exports/b", "exports/new"}, copied); diff != "" {
		t.Errorf("as of t2: copied (-want +got):\n%s", diff)
	}
	if sum.Deleted != 1 {
		t.Errorf("as of t2: deleted %d, want 1 (exports/gone)", sum.Deleted)
	}
	got = map[string]string{}
	for _, k := range w.DestinationKeys(t) {
		b, _ := w.Get(t, k)
		got[k] = string(b)
	}
	if diff := cmp.Diff(map[string]string{"prod/a": "a2", "prod/b": "b1", "prod/new": "n1"}, got); diff != "" {
		t.Errorf("destination as of t2 (-want +got):\n%s", diff)
	}

	sum, _, err = w.run(t, job)
	must(t, err)
	if sum.Copied != 0 || sum.Deleted != 0 {
		t.Errorf("as of t2 again: copied %d, deleted %d, want none", sum.Copied, sum.Deleted)
	}
}

// TestSourceAsOfStreamOlderVersion: a stream copy reads the version
// source_as_of chose (its GETs carry the VersionId), not the current one.
func TestSourceAsOfStreamOlderVersion(t *testing.T) {
	w := newCopyWorld(t)
	ctx := t.Context()
	_, err := w.Prod.S3().PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("prod-data"),
		VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}})
	must(t, err)
	w.Put(t, "exports/a", []byte("a1"))
	out, err := w.Prod.S3().ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("prod-data")})
	must(t, err)
	t1 := aws.ToTime(out.Versions[0].LastModified)
	for { // moto's LastModified has whole seconds: wait for a probe's to pass t1
		w.Put(t, "probe", nil)
		h, err := w.Prod.S3().HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("prod-data"), Key: aws.String("probe")})
		must(t, err)
		if aws.ToTime(h.LastModified).After(t1) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	w.Put(t, "exports/a", []byte("a2"))
	job := w.Job(config.ModeSync, config.TransferStream)
	job.SourceAsOf = t1
	if _, _, err = w.run(t, job); err != nil {
		t.Fatalf("run as of t1: %v", err)
	}
	if b, _ := w.Get(t, "prod/a"); string(b) != "a1" {
		t.Errorf("stream copy as of t1 wrote %q, want the version current then, %q", b, "a1")
	}
}
