package copier

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/testenv/moto"
)

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
