package copier

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/plan"
	"github.com/lakesync/lakesync/internal/testenv/s3inventory"
)

// inventoryJob is the world's job reading its source listing from the
// reports in s3://prod-inventory/inv/.
func (w *copyWorld) inventoryJob(t *testing.T, mode config.Mode, transfer config.Transfer) *config.Job {
	t.Helper()
	must(t, w.Prod.CreateBucket(t.Context(), "prod-inventory"))
	job := w.Job(mode, transfer)
	job.SourceInventory = &config.InventoryLocation{Bucket: "prod-inventory", Prefix: "inv/"}
	return job
}

// deliverInventory writes a report created at created, in AWS's layout,
// of the source objects under exports/ now, without the keys in lacking:
// what S3 Inventory would deliver had those been written after its scan.
func (w *copyWorld) deliverInventory(t *testing.T, created time.Time, lacking ...string) {
	t.Helper()
	ctx := t.Context()
	objs, err := s3inventory.FromListing(ctx, w.Prod.S3(), "prod-data", "exports/", lacking...)
	must(t, err)
	r := s3inventory.Report{SourceBucket: "prod-data", InventoryBucket: "prod-inventory", Created: created, FileRows: 2, Objects: objs}
	must(t, r.Deliver("inv/", func(key string, body []byte) error { return w.Prod.PutObject(ctx, "prod-inventory", key, body) }))
}

var inventoryCreated = time.Date(2024, 5, 2, 1, 0, 0, 0, time.UTC)

// With source_inventory, the inventory is the source listing of the plan
// and of the run: objects in the bucket that the report lacks (written
// after its scan) are neither counted nor copied, and both say which
// report they read.
func TestInventoryIsTheSourceListing(t *testing.T) {
	w := newCopyWorld(t)
	for i := range 5 {
		w.Put(t, fmt.Sprintf("exports/o%d.csv", i), body(i, 100+i))
	}
	job := w.inventoryJob(t, config.ModeSync, config.TransferServerSide)
	w.deliverInventory(t, inventoryCreated, "exports/o1.csv", "exports/o3.csv")
	want := &plan.SourceListing{Kind: plan.SourceListingInventory, Created: inventoryCreated, Location: "s3://prod-inventory/inv/",
		Report: "s3://prod-inventory/inv/prod-data/daily/2024-05-02T01-00Z/", DataFiles: 2}

	obs, err := ObserveData(t.Context(), job, w.Prod.S3(), w.Lake.S3(), nil, 10, plan.Shard{})
	must(t, err)
	if obs.SourceListing == nil || *obs.SourceListing != *want {
		t.Errorf("plan: source listing %+v, want %+v", obs.SourceListing, want)
	}
	if got := obs.JobData(job, nil); got.Copy.Objects != 3 || got.SourceListing == nil {
		t.Errorf("plan: copy %d objects (listing %v), want the 3 the inventory lists", got.Copy.Objects, got.SourceListing)
	}

	sum, _, err := w.run(t, job)
	if err != nil || sum.Copied != 3 || sum.Failed != 0 {
		t.Fatalf("run: %+v, %v", sum, err)
	}
	if sum.SourceListing == nil || *sum.SourceListing != *want {
		t.Errorf("run: source listing %+v, want %+v", sum.SourceListing, want)
	}
	if diff := slices.Compare(w.DestinationKeys(t), []string{"prod/o0.csv", "prod/o2.csv", "prod/o4.csv"}); diff != 0 {
		t.Errorf("destination %v, want exactly the objects the inventory lists", w.DestinationKeys(t))
	}
}

// An object the inventory lists that is gone when the run copies it
// counts as gone: not a failure, not a copy, not recorded; server-side
// (CopyObject) and stream (GetObject) alike.
func TestInventoryObjectGoneAtCopyTime(t *testing.T) {
	for _, transfer := range []config.Transfer{config.TransferServerSide, config.TransferStream} {
		t.Run(string(transfer), func(t *testing.T) {
			w := newCopyWorld(t)
			for i := range 3 {
				w.Put(t, fmt.Sprintf("exports/o%d.csv", i), body(i, 100))
			}
			job := w.inventoryJob(t, config.ModeSync, transfer)
			w.deliverInventory(t, inventoryCreated)
			_, err := w.Prod.S3().DeleteObject(t.Context(), &s3.DeleteObjectInput{Bucket: aws.String("prod-data"), Key: aws.String("exports/o1.csv")})
			must(t, err)

			sum, events, err := w.run(t, job)
			if err != nil || sum.Copied != 2 || sum.Gone != 1 || sum.Failed != 0 {
				t.Fatalf("run: copied %d, gone %d, failed %d (%v); want 2 copied, 1 gone, none failed", sum.Copied, sum.Gone, sum.Failed, err)
			}
			gone := events.count(func(e CopyEvent) bool {
				d, ok := e.(*ObjectDone)
				return ok && d.Key == "exports/o1.csv" && d.Action == plan.ObjectGone && d.Err == nil
			})
			if gone != 1 {
				t.Errorf("%d gone ObjectDone events for exports/o1.csv, want 1", gone)
			}
			store, err := state.Open(w.State, state.Options{ReadOnly: true})
			must(t, err)
			defer store.Close()
			if _, ok, _ := store.Get(job.Name, "exports/o1.csv"); ok {
				t.Error("the object gone at copy time was recorded as copied")
			}
		})
	}
}

// With delete = true, a destination object whose source the newest
// inventory lacks is deleted only when a HEAD finds the source gone; a
// source still there (written since the report, or missed by it) keeps
// its copy, counted as skipped.
func TestInventoryDeleteOnlyWhenHeadConfirms(t *testing.T) {
	w := newCopyWorld(t)
	for i := range 3 {
		w.Put(t, fmt.Sprintf("exports/o%d.csv", i), body(i, 100))
	}
	job := w.inventoryJob(t, config.ModeSync, config.TransferServerSide)
	job.Delete = true
	w.deliverInventory(t, inventoryCreated)
	if sum, _, err := w.run(t, job); err != nil || sum.Copied != 3 {
		t.Fatalf("first run: %+v, %v", sum, err)
	}

	// o0 is deleted at source; a newer report lacks o0 and o2, though o2
	// is still there.
	_, err := w.Prod.S3().DeleteObject(t.Context(), &s3.DeleteObjectInput{Bucket: aws.String("prod-data"), Key: aws.String("exports/o0.csv")})
	must(t, err)
	w.deliverInventory(t, inventoryCreated.Add(24*time.Hour), "exports/o2.csv")
	sum, events, err := w.run(t, job)
	if err != nil || sum.Deleted != 1 || sum.Skipped != 2 || sum.Failed != 0 {
		t.Fatalf("second run: deleted %d, skipped %d, failed %d (%v); want o0's copy deleted, o1 unchanged, o2 kept", sum.Deleted, sum.Skipped, sum.Failed, err)
	}
	if got := w.DestinationKeys(t); !slices.Equal(got, []string{"prod/o1.csv", "prod/o2.csv"}) {
		t.Errorf("destination %v, want o1 and o2 (o2's source is still there)", got)
	}
	kept := events.count(func(e CopyEvent) bool {
		d, ok := e.(*ObjectDone)
		return ok && d.Key == "exports/o2.csv" && d.Action == plan.ObjectKeep && d.Err == nil
	})
	if kept != 1 {
		t.Errorf("%d keep ObjectDone events for exports/o2.csv, want 1", kept)
	}
	store, err := state.Open(w.State, state.Options{ReadOnly: true})
	must(t, err)
	defer store.Close()
	if _, ok, _ := store.Get(job.Name, "exports/o2.csv"); !ok {
		t.Error("the kept object's record was dropped")
	}
	if _, ok, _ := store.Get(job.Name, "exports/o0.csv"); ok {
		t.Error("the deleted object's record is still there")
	}
}
