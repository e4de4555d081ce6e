package plan

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCreateBucket: a destination with create = true that does not exist
// is listed as created, with lakesync's settings, and its policy and
// settings are planned over an empty bucket; one that exists is adopted
// (no creation); a name held by another account is an error naming it.
func TestCreateBucket(t *testing.T) {
	tests := []struct {
		name     string
		lake     ObservedBucket
		want     []*BucketCreation
		settings []string // action of each setting
		err      string
	}{
		{name: "absent: created", lake: ObservedBucket{},
			want: []*BucketCreation{{Address: Ref{Kind: KindBucket, Name: "lake"}, AccountName: "lake", AccountID: "222222222222",
				Bucket: "konfir-datalake-raw", Region: "eu-west-1", KeyARN: testKeyARN, BucketKey: true,
				ObjectOwnership: OwnershipEnforced, BlockPublicAccess: true, AbortIncompleteDays: AbortIncompleteDays, Versioning: true}},
			settings: []string{ActionCreate, ActionCreate, ActionCreate}},
		{name: "exists and owned: adopted", lake: ObservedBucket{Exists: true, Region: "eu-west-1"},
			settings: []string{ActionCreate, ActionCreate, ActionCreate}},
		{name: "held by another account", lake: ObservedBucket{HeldByOther: true},
			err: "bucket.lake: the bucket name konfir-datalake-raw belongs to another account (BucketAlreadyExists)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := pushConfig(t)
			cfg.Jobs[0].Destination.Create, cfg.Jobs[0].Destination.Versioning = true, true
			obs := emptyWorld()
			lake := tt.lake
			obs.Buckets["lake"] = &lake
			p, err := Compute(cfg, obs)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, p.Creations); diff != "" {
				t.Errorf("creations (-want +got):\n%s", diff)
			}
			var got []string
			for _, s := range p.Settings {
				got = append(got, s.Action)
			}
			if diff := cmp.Diff(tt.settings, got); diff != "" {
				t.Errorf("setting actions (-want +got):\n%s", diff)
			}
			if obs.Buckets["lake"].Exists != tt.lake.Exists {
				t.Error("Compute changed the observation it was given")
			}
		})
	}
}
