package plan_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/plan"
)

// A job's source_as_of and the destination's versioning and Object Lock
// show in the plan; source_as_of on a source that never had versioning,
// and delete = true on an Object Lock destination, are plan errors that
// name the bucket.
func TestVersionSettings(t *testing.T) {
	asOf := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		asOf       bool
		delete     bool
		lock       config.ObjectLock
		src, dst   plan.ObservedBucket
		wantErr    string // a part of the error
		wantNotes  []string
		wantLock   string
		wantAsOfOK bool
	}{
		{name: "as of, unversioned source", asOf: true, delete: true,
			wantErr: `sync "events": source_as_of = "2026-11-30T00:00:00Z" needs the source's versions, but bucket s3://konfir-prod-data (bucket.prod, account prod 111111111111) has never had versioning enabled`},
		{name: "as of, versioned source", asOf: true, delete: true, src: plan.ObservedBucket{Versioning: "Enabled"}, wantAsOfOK: true},
		{name: "as of, suspended versioning", asOf: true, delete: true, src: plan.ObservedBucket{Versioning: "Suspended"}, wantAsOfOK: true},
		{name: "versioned destination, delete", delete: true, dst: plan.ObservedBucket{Versioning: "Enabled"},
			wantNotes: []string{"destination s3://konfir-datalake-raw is versioned (Enabled): delete = true creates delete markers, not deletions; the deleted versions stay, and are billed, until a lifecycle rule expires noncurrent versions"}},
		{name: "versioned destination, no delete", dst: plan.ObservedBucket{Versioning: "Enabled"}},
		{name: "object lock destination, delete", delete: true, dst: plan.ObservedBucket{Versioning: "Enabled", ObjectLock: &plan.BucketObjectLock{}},
			wantErr: `sync "events": delete = true, but destination bucket s3://konfir-datalake-raw (bucket.lake, account lake 222222222222) has Object Lock`},
		{name: "object lock destination, copy", lock: config.ObjectLockCopy, dst: plan.ObservedBucket{Versioning: "Enabled", ObjectLock: &plan.BucketObjectLock{Mode: "GOVERNANCE", Days: 30}},
			wantLock:  "copy",
			wantNotes: []string{`destination s3://konfir-datalake-raw has Object Lock (default retention GOVERNANCE 30 day(s)); every write carries a checksum; object_lock = "copy": each copy carries its source object's retention mode, retain-until date and legal hold`}},
		{name: "object lock destination, bucket default", lock: config.ObjectLockBucketDefault, dst: plan.ObservedBucket{Versioning: "Enabled", ObjectLock: &plan.BucketObjectLock{}},
			wantLock:  "bucket-default",
			wantNotes: []string{`destination s3://konfir-datalake-raw has Object Lock (no default retention); every write carries a checksum; object_lock = "bucket-default": copies get the bucket's default retention, not the source's`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, diags := config.NewLoader(os.ReadFile, os.LookupEnv).LoadFile("../../examples/inventory/lakesync.hcl")
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			j := cfg.Job("events")
			j.SourceInventory, j.Delete, j.ObjectLock = nil, tt.delete, tt.lock
			if tt.asOf {
				j.SourceAsOf = asOf
			}
			obs, _ := syntheticWorld(cfg)
			for name, b := range map[string]plan.ObservedBucket{j.Source.Name: tt.src, j.Destination.Name: tt.dst} {
				obs.Buckets[name].Versioning, obs.Buckets[name].ObjectLock = b.Versioning, b.ObjectLock
			}
			p, err := plan.Compute(cfg, obs)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			jp := p.Jobs[0]
			var notes []string
			for _, n := range jp.Notes {
				if strings.Contains(n, "konfir-datalake-raw") {
					notes = append(notes, n)
				}
			}
			if diff := cmp.Diff(tt.wantNotes, notes); diff != "" {
				t.Errorf("notes (-want +got):\n%s", diff)
			}
			if jp.ObjectLock != tt.wantLock {
				t.Errorf("ObjectLock = %q, want %q", jp.ObjectLock, tt.wantLock)
			}
			if got := jp.SourceAsOf != nil && jp.SourceAsOf.Equal(asOf); got != tt.wantAsOfOK {
				t.Errorf("SourceAsOf = %v, want %v: %v", jp.SourceAsOf, asOf, tt.wantAsOfOK)
			}
		})
	}
}

// With source_as_of the listing carries the version chosen: a record of
// another version is a change, even of the same bytes (ETag).
func TestDecideVersion(t *testing.T) {
	rules := plan.Rules{Mode: config.ModeSync}
	rec := &plan.StateRecord{SourceKey: "k", SourceETag: `"e"`, Size: 1, VersionID: "v1", DestETag: `"d"`}
	dst := &plan.DestinationObject{Key: "k", Size: 1, ETag: `"d"`}
	tests := []struct {
		version string
		want    plan.ObjectAction
	}{
		{"v1", plan.ObjectUnchanged},
		{"v2", plan.ObjectChanged},
		{"", plan.ObjectUnchanged}, // a listing of current versions carries none
	}
	for _, tt := range tests {
		src := &plan.SourceObject{Key: "k", Size: 1, ETag: `"e"`, VersionID: tt.version}
		if got, why := rules.Decide(src, rec, dst); got != tt.want {
			t.Errorf("version %q: Decide = %s (%s), want %s", tt.version, got, why, tt.want)
		}
	}
}
