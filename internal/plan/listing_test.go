package plan

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A plan says whether it listed each job's data, and when not, when the
// data is listed: a job without counts is not a job with nothing to copy.
func TestComputeDataListing(t *testing.T) {
	cfg := pushConfig(t)
	tests := []struct {
		name     string
		edit     func(*Observed)
		want     DataListing
		unlisted []string
		hasData  bool
	}{
		{"listed", func(o *Observed) {
			o.Data = map[string]*JobObservation{"prod_to_lake": NewJobObservation(cfg.Job("prod_to_lake"), 1)}
		}, DataListed, nil, true},
		{"plan --skip-data", func(*Observed) {}, DataSkipped, []string{"prod_to_lake"}, false},
		{"apply without a saved plan", func(o *Observed) { o.DataNotListed = DataWhileCopying }, DataWhileCopying, []string{"prod_to_lake"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obs := emptyWorld()
			tt.edit(obs)
			p, err := Compute(cfg, obs)
			if err != nil {
				t.Fatal(err)
			}
			j := p.Jobs[0]
			if j.DataListing != tt.want || (j.Data != nil) != tt.hasData {
				t.Errorf("DataListing %q with data %v, want %q with data %v", j.DataListing, j.Data != nil, tt.want, tt.hasData)
			}
			jobs, l := p.Unlisted()
			wantL := tt.want
			if wantL == DataListed {
				wantL = ""
			}
			if diff := cmp.Diff(tt.unlisted, jobs); diff != "" || l != wantL {
				t.Errorf("Unlisted = %v %q, want %v %q", jobs, l, tt.unlisted, wantL)
			}
		})
	}
}

// A plan saved before data_listing existed has none: its data was listed
// exactly when it has data.
func TestJobPlanListingOfOlderPlans(t *testing.T) {
	if got := (&JobPlan{Data: &JobData{}}).Listing(); got != DataListed {
		t.Errorf("with data: %q, want listed", got)
	}
	if got := (&JobPlan{}).Listing(); got != DataSkipped {
		t.Errorf("without data: %q, want skipped", got)
	}
	if got := (&JobPlan{DataListing: DataWhileCopying}).Listing(); got != DataWhileCopying {
		t.Errorf("while copying: %q", got)
	}
}
