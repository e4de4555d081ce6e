package copier

import (
	"bytes"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/plan"
)

// archivedWorld is a copy world whose copier clients (and the source
// account's restore client) go through one s3Wire.
type archivedWorld struct {
	*copyWorld
	wire *s3Wire
}

func newArchivedWorld(t *testing.T) *archivedWorld {
	t.Helper()
	return &archivedWorld{copyWorld: newCopyWorld(t), wire: newS3Wire()}
}

func (w *archivedWorld) putClass(t *testing.T, key string, size int, class s3types.StorageClass) {
	t.Helper()
	_, err := w.Prod.S3().PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String("prod-data"), Key: aws.String(key),
		Body: bytes.NewReader(body(len(key), size)), StorageClass: class})
	must(t, err)
}

func (w *archivedWorld) through(cl *s3.Client) *s3.Client {
	return s3.New(cl.Options(), func(o *s3.Options) { o.HTTPClient = &http.Client{Transport: w.wire} })
}

// run runs the job once, as cmd does: copier role clients, the source
// account's client for restores.
func (w *archivedWorld) run(t *testing.T, job *config.Job) (CopySummary, *eventLog, error) {
	t.Helper()
	events := &eventLog{}
	c := w.copier(t, job, events)
	if job.Transfer != config.TransferStream {
		cl := w.through(c.Source.(*s3.Client))
		c.Source, c.Destination = cl, cl
	}
	c.Restorer = w.through(w.Prod.S3())
	sum, err := c.Run(t.Context(), job)
	c.State.Close()
	return sum, events, err
}

// observe is what a plan counts for the job.
func (w *archivedWorld) observe(t *testing.T, job *config.Job) *plan.JobData {
	t.Helper()
	store, err := state.Open(w.State, state.Options{})
	must(t, err)
	defer store.Close()
	obs, err := ObserveData(t.Context(), job, w.Prod.S3(), w.Lake.S3(), store, 10, plan.Shard{})
	must(t, err)
	return obs.JobData(job, nil)
}

func (w *archivedWorld) restoreRequest(t *testing.T, job *config.Job, key string) (plan.RestoreRequest, bool) {
	t.Helper()
	store, err := state.Open(w.State, state.Options{ReadOnly: true})
	must(t, err)
	defer store.Close()
	req, found, err := store.Restore(job.Name, key)
	must(t, err)
	return req, found
}

func archivedEvents(events *eventLog) map[string]string {
	out := map[string]string{}
	events.count(func(e CopyEvent) bool {
		if d, ok := e.(*ObjectDone); ok && d.Action == plan.ObjectArchived && d.Err == nil {
			out[d.Key] = d.Reason
		}
		return false
	})
	return out
}

// TestArchivedSkip: by default archived objects are counted, not copied
// and not failures, run after run; GLACIER_IR and INTELLIGENT_TIERING
// objects outside the archive tiers are copied.
func TestArchivedSkip(t *testing.T) {
	w := newArchivedWorld(t)
	w.putClass(t, "exports/standard.csv", 100, "")
	w.putClass(t, "exports/glacier.csv", 200, s3types.StorageClassGlacier)
	w.putClass(t, "exports/deep.csv", 300, s3types.StorageClassDeepArchive)
	w.putClass(t, "exports/instant.csv", 400, s3types.StorageClassGlacierIr)
	w.putClass(t, "exports/tiering.csv", 500, s3types.StorageClassIntelligentTiering)
	job := w.Job(config.ModeSync, config.TransferServerSide)
	job.Archived = config.ArchivedSkip

	d := w.observe(t, job)
	if d.Copy.Objects != 3 || d.Archived != (plan.Count{Objects: 2, Bytes: 500}) {
		t.Errorf("plan: copy %+v, archived %+v; want 3 copies and 2 archived objects of 500 B", d.Copy, d.Archived)
	}
	for run := 1; run <= 2; run++ {
		sum, events, err := w.run(t, job)
		if err != nil {
			t.Fatalf("run %d: %v (archived objects must not fail a run)", run, err)
		}
		wantCopied := int64(3)
		if run == 2 {
			wantCopied = 0
		}
		if sum.Copied != wantCopied || sum.Failed != 0 || sum.Archived != 2 || sum.ArchivedBytes != 500 || sum.RestoresRequested != 0 {
			t.Errorf("run %d: %+v; want %d copied, 2 archived (500 B)", run, sum, wantCopied)
		}
		if got := archivedEvents(events); len(got) != 2 || !strings.Contains(got["exports/glacier.csv"], "GLACIER") {
			t.Errorf("run %d: archived events %v, want glacier.csv and deep.csv", run, got)
		}
	}
	keys := w.DestinationKeys(t)
	if want := []string{"prod/instant.csv", "prod/standard.csv", "prod/tiering.csv"}; !slices.Equal(keys, want) {
		t.Errorf("destination = %v, want %v", keys, want)
	}
	if n := w.wire.count("CopyObject", "prod/glacier.csv") + w.wire.count("CopyObject", "prod/deep.csv"); n != 0 {
		t.Errorf("%d CopyObject of archived objects, want none", n)
	}
	// Only the INTELLIGENT_TIERING object, once, before its copy.
	if n, all := w.wire.count("HeadObject", "exports/tiering.csv"), w.wire.count("HeadObject", ""); n != 1 || all != 1 {
		t.Errorf("HeadObject: %d of tiering.csv, %d in all; want 1 and 1", n, all)
	}
	if n := w.wire.count("RestoreObject", ""); n != 0 {
		t.Errorf("%d RestoreObject with archived = \"skip\"", n)
	}
}

// TestArchivedFail: archived = "fail" fails the run, naming every
// archived object, and copies the others.
func TestArchivedFail(t *testing.T) {
	w := newArchivedWorld(t)
	w.putClass(t, "exports/standard.csv", 100, "")
	w.putClass(t, "exports/glacier.csv", 200, s3types.StorageClassGlacier)
	w.putClass(t, "exports/deep.csv", 300, s3types.StorageClassDeepArchive)
	job := w.Job(config.ModeCp, config.TransferServerSide)
	job.Archived = config.ArchivedFail
	sum, _, err := w.run(t, job)
	var failed *ObjectsFailedError
	if !errors.As(err, &failed) || failed.Count != 2 || sum.Copied != 1 {
		t.Fatalf("run: %+v, %v; want 1 copied and 2 failures", sum, err)
	}
	named := map[string]bool{}
	for _, f := range failed.Failures {
		var ae *ArchivedError
		if !errors.As(f.Err, &ae) || !strings.Contains(f.Err.Error(), `archived = "restore"`) {
			t.Errorf("%s: %v; want an ArchivedError saying archived = \"restore\"", f.Key, f.Err)
		}
		named[f.Key] = true
	}
	if !named["exports/glacier.csv"] || !named["exports/deep.csv"] {
		t.Errorf("failures name %v, want glacier.csv and deep.csv", named)
	}
	if !strings.Contains(err.Error(), "s3://prod-data/exports/deep.csv is archived (DEEP_ARCHIVE)") {
		t.Errorf("error %q does not name the archived object and its class", err)
	}
}

// TestArchivedIntelligentTiering: an INTELLIGENT_TIERING object is copied
// unless its HeadObject reports an archive tier; then it is archived like
// the others, and restored without Days (S3 refuses them for these tiers).
// moto has no archive tiers: the wire adds x-amz-archive-status and
// answers the RestoreObject as S3 does.
func TestArchivedIntelligentTiering(t *testing.T) {
	w := newArchivedWorld(t)
	w.putClass(t, "exports/frequent.csv", 100, s3types.StorageClassIntelligentTiering)
	w.putClass(t, "exports/archive.csv", 200, s3types.StorageClassIntelligentTiering)
	w.wire.change = func(op, key string, resp *http.Response) {
		if op == "HeadObject" && key == "exports/archive.csv" {
			resp.Header.Set("x-amz-archive-status", "ARCHIVE_ACCESS")
		}
	}
	w.wire.answer = func(op, key string) *http.Response {
		if op == "RestoreObject" {
			return s3Answer(http.StatusAccepted, "")
		}
		return nil
	}
	job := w.Job(config.ModeSync, config.TransferServerSide)
	job.Archived = config.ArchivedSkip
	sum, _, err := w.run(t, job)
	if err != nil || sum.Copied != 1 || sum.Archived != 1 || sum.ArchivedBytes != 200 {
		t.Fatalf("skip: %+v, %v; want frequent.csv copied, archive.csv archived", sum, err)
	}
	if keys := w.DestinationKeys(t); !slices.Equal(keys, []string{"prod/frequent.csv"}) {
		t.Errorf("destination = %v", keys)
	}

	job.Archived = config.ArchivedRestore
	sum, _, err = w.run(t, job)
	if err != nil || sum.RestoresRequested != 1 || sum.Copied != 0 {
		t.Fatalf("restore: %+v, %v; want one restore requested", sum, err)
	}
	bodies := w.wire.bodies("RestoreObject")
	if len(bodies) != 1 || strings.Contains(bodies[0], "<Days>") || !strings.Contains(bodies[0], "<Tier>Bulk</Tier>") {
		t.Errorf("RestoreObject bodies %q; want one, Bulk, without Days", bodies)
	}
}

// TestArchivedRefusedCopy: when S3 refuses to copy an object the listing
// did not report archived, the error says it is archived and what to set,
// not only S3's code.
func TestArchivedRefusedCopy(t *testing.T) {
	w := newArchivedWorld(t)
	w.putClass(t, "exports/glacier.csv", 200, s3types.StorageClassGlacier)
	w.wire.change = func(op, key string, resp *http.Response) {
		if op == "ListObjectsV2" {
			replaceBody(resp, "<StorageClass>GLACIER</StorageClass>", "<StorageClass>STANDARD</StorageClass>")
		}
	}
	job := w.Job(config.ModeSync, config.TransferServerSide)
	_, _, err := w.run(t, job)
	var failed *ObjectsFailedError
	if !errors.As(err, &failed) || failed.Count != 1 {
		t.Fatalf("run: %v; want glacier.csv failed", err)
	}
	msg := failed.Failures[0].Err.Error()
	for _, want := range []string{"s3://prod-data/exports/glacier.csv is archived", `archived = "restore"`, "ObjectNotInActiveTierError"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not say %q", msg, want)
		}
	}
}
