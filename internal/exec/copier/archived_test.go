package copier

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/plan"
	"github.com/lakesync/lakesync/internal/testenv/moto"
)

// s3Wire records the S3 requests of a client on the wire (path style)
// and lets a test answer or change some of them, to show what moto does
// not model: the archive tiers of INTELLIGENT_TIERING, a restore already
// in progress, a listing that does not report a class.
type s3Wire struct {
	base http.RoundTripper

	mu   sync.Mutex
	reqs []wireRequest
	// answer, when it returns a response, answers the request without
	// sending it; change edits a response from moto.
	answer func(op, key string) *http.Response
	change func(op, key string, resp *http.Response)
}

type wireRequest struct {
	Op, Key string // Op: "RestoreObject", "HeadObject", "CopyObject", "ListObjectsV2", "GetObject", ...
	Body    string // RestoreObject only
}

func newS3Wire() *s3Wire { return &s3Wire{base: http.DefaultTransport} }

// operation names a path-style S3 request.
func operation(r *http.Request) (op, key string) {
	path := strings.TrimPrefix(r.URL.Path, "/")
	if i := strings.IndexByte(path, '/'); i >= 0 {
		key = path[i+1:]
	}
	q := r.URL.Query()
	switch {
	case r.Method == http.MethodPost && q.Has("restore"):
		return "RestoreObject", key
	case r.Method == http.MethodHead:
		return "HeadObject", key
	case r.Method == http.MethodPut && r.Header.Get("x-amz-copy-source") != "":
		return "CopyObject", key
	case r.Method == http.MethodGet && q.Get("list-type") == "2":
		return "ListObjectsV2", key
	}
	return r.Method, key
}

func (s *s3Wire) RoundTrip(r *http.Request) (*http.Response, error) {
	op, key := operation(r)
	rec := wireRequest{Op: op, Key: key}
	if op == "RestoreObject" && r.Body != nil {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(b))
		rec.Body = string(b)
	}
	s.mu.Lock()
	s.reqs = append(s.reqs, rec)
	answer, change := s.answer, s.change
	s.mu.Unlock()
	if answer != nil {
		if resp := answer(op, key); resp != nil {
			resp.Request = r
			return resp, nil
		}
	}
	resp, err := s.base.RoundTrip(r)
	if err == nil && change != nil {
		change(op, key, resp)
	}
	return resp, err
}

// count is how many requests of op were sent for key ("" any key).
func (s *s3Wire) count(op, key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.reqs {
		if r.Op == op && (key == "" || r.Key == key) {
			n++
		}
	}
	return n
}

func (s *s3Wire) bodies(op string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, r := range s.reqs {
		if r.Op == op {
			out = append(out, r.Body)
		}
	}
	return out
}

// s3Answer is a response S3 could have sent.
func s3Answer(status int, body string) *http.Response {
	return &http.Response{StatusCode: status, Status: fmt.Sprintf("%d %s", status, http.StatusText(status)), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header{"Content-Type": {"application/xml"}, "Content-Length": {strconv.Itoa(len(body))}},
		Body:          io.NopCloser(strings.NewReader(body)),
		ContentLength: int64(len(body))}
}

// replaceBody swaps old for new in a response's body.
func replaceBody(resp *http.Response, old, new string) {
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	b = bytes.ReplaceAll(b, []byte(old), []byte(new))
	resp.Body = io.NopCloser(bytes.NewReader(b))
	resp.ContentLength = int64(len(b))
	resp.Header.Set("Content-Length", strconv.Itoa(len(b)))
}

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

// TestArchivedRestore: archived = "restore" sends one RestoreObject per
// object with the tier and days, remembers it, waits while the restore
// is in progress and copies each object once restored, across runs.
func TestArchivedRestore(t *testing.T) {
	w := newArchivedWorld(t)
	ctx := t.Context()
	// The first HeadObject after a restore says it is in progress, the
	// next one that it has completed.
	must(t, w.Srv.SetManualTransition(ctx, moto.RestoreModel, 1))
	t.Cleanup(func() { _ = w.Srv.UnsetTransition(context.WithoutCancel(ctx), moto.RestoreModel) })
	w.putClass(t, "exports/standard.csv", 100, "")
	w.putClass(t, "exports/glacier.csv", 200, s3types.StorageClassGlacier)
	w.putClass(t, "exports/deep.csv", 300, s3types.StorageClassDeepArchive)
	job := w.Job(config.ModeSync, config.TransferServerSide)
	job.Archived, job.RestoreTier, job.RestoreDays = config.ArchivedRestore, config.RestoreTierStandard, 2

	d := w.observe(t, job)
	if d.Restore == nil || d.Restore.Requests.Objects != 2 || d.Restore.Requested.Objects != 0 {
		t.Fatalf("first plan: restore %+v, want 2 requests", d.Restore)
	}

	// Run 1: the STANDARD object is copied, the two others restored.
	sum, _, err := w.run(t, job)
	if err != nil || sum.Copied != 1 || sum.RestoresRequested != 2 || sum.Archived != 2 || sum.Restoring != 0 {
		t.Fatalf("run 1: %+v, %v; want 1 copied, 2 restores requested", sum, err)
	}
	for _, b := range w.wire.bodies("RestoreObject") {
		if !strings.Contains(b, "<Days>2</Days>") || !strings.Contains(b, "<Tier>Standard</Tier>") {
			t.Errorf("RestoreObject body %s, want Days 2 and Tier Standard", b)
		}
	}
	if req, found := w.restoreRequest(t, job, "exports/deep.csv"); !found || req.Tier != "Standard" || req.Days != 2 || req.SourceETag == "" {
		t.Errorf("state: restore of deep.csv = %+v, %v; want it remembered", req, found)
	}
	d = w.observe(t, job)
	if d.Restore.Requests.Objects != 0 || d.Restore.Requested.Objects != 2 || d.Restore.CostUSD != 0 {
		t.Errorf("second plan: restore %+v; want 2 requested earlier, none to send", d.Restore)
	}

	// Run 2: both restores are in progress: nothing sent, nothing copied.
	sum, events, err := w.run(t, job)
	if err != nil || sum.Copied != 0 || sum.RestoresRequested != 0 || sum.Restoring != 2 || sum.Archived != 2 {
		t.Fatalf("run 2: %+v, %v; want 2 restores in progress", sum, err)
	}
	if got := archivedEvents(events); !strings.Contains(got["exports/glacier.csv"], "restore in progress") {
		t.Errorf("run 2: archived events %v", got)
	}

	// Run 3: restored, copied, and the restore requests forgotten.
	sum, _, err = w.run(t, job)
	if err != nil || sum.Copied != 2 || sum.Archived != 0 || sum.RestoresRequested != 0 {
		t.Fatalf("run 3: %+v, %v; want the 2 restored objects copied", sum, err)
	}
	for _, k := range []string{"glacier.csv", "deep.csv"} {
		if got, _ := w.Get(t, "prod/"+k); len(got) == 0 {
			t.Errorf("%s not copied", k)
		}
		if n := w.wire.count("RestoreObject", "exports/"+k); n != 1 {
			t.Errorf("%d RestoreObject of %s over three runs, want 1", n, k)
		}
		if _, found := w.restoreRequest(t, job, "exports/"+k); found {
			t.Errorf("the restore request of %s outlived its copy", k)
		}
	}

	// Run 4: nothing left to do.
	sum, _, err = w.run(t, job)
	if err != nil || sum.Copied != 0 || sum.Archived != 0 || sum.Skipped != 3 {
		t.Fatalf("run 4: %+v, %v; want everything unchanged", sum, err)
	}
	if n := w.wire.count("RestoreObject", ""); n != 2 {
		t.Errorf("%d RestoreObject in all, want 2", n)
	}
}

// TestArchivedRestoreAlreadyInProgress: S3's RestoreAlreadyInProgress
// (someone else asked, or a run lost its record) is no error.
func TestArchivedRestoreAlreadyInProgress(t *testing.T) {
	w := newArchivedWorld(t)
	w.putClass(t, "exports/glacier.csv", 200, s3types.StorageClassGlacier)
	w.wire.answer = func(op, key string) *http.Response {
		if op == "RestoreObject" {
			return s3Answer(http.StatusConflict, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>RestoreAlreadyInProgress</Code><Message>Object restore is already in progress</Message></Error>`)
		}
		return nil
	}
	job := w.Job(config.ModeSync, config.TransferServerSide)
	job.Archived = config.ArchivedRestore
	sum, _, err := w.run(t, job)
	if err != nil || sum.Failed != 0 || sum.Restoring != 1 || sum.RestoresRequested != 0 {
		t.Fatalf("run: %+v, %v; want 1 restore in progress, no failure", sum, err)
	}
	if _, found := w.restoreRequest(t, job, "exports/glacier.csv"); !found {
		t.Error("the restore in progress is not remembered")
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

// TestArchivedExpeditedDeepArchive: S3 has no Expedited retrieval from
// DEEP_ARCHIVE: the object fails with the tiers to use, and no request is
// sent for it.
func TestArchivedExpeditedDeepArchive(t *testing.T) {
	w := newArchivedWorld(t)
	w.putClass(t, "exports/glacier.csv", 200, s3types.StorageClassGlacier)
	w.putClass(t, "exports/deep.csv", 300, s3types.StorageClassDeepArchive)
	job := w.Job(config.ModeSync, config.TransferServerSide)
	job.Archived, job.RestoreTier = config.ArchivedRestore, config.RestoreTierExpedited
	sum, _, err := w.run(t, job)
	var failed *ObjectsFailedError
	if !errors.As(err, &failed) || failed.Count != 1 || sum.RestoresRequested != 1 {
		t.Fatalf("run: %+v, %v; want glacier.csv restored and deep.csv failed", sum, err)
	}
	if f := failed.Failures[0]; f.Key != "exports/deep.csv" || !strings.Contains(f.Err.Error(), `restore_tier = "Standard" or "Bulk"`) {
		t.Errorf("failure %s: %v", f.Key, f.Err)
	}
	if n := w.wire.count("RestoreObject", "exports/deep.csv"); n != 0 {
		t.Errorf("%d RestoreObject of deep.csv with Expedited", n)
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
