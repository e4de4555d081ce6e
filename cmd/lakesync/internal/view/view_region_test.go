package view

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/lakesync/lakesync/internal/plan"
)

// crossRegionPlan is a plan with one server-side job from eu-west-1 to
// us-east-1 copying 2 GiB.
func crossRegionPlan() *plan.Plan {
	return &plan.Plan{FormatVersion: plan.FormatVersion, Jobs: []*plan.JobPlan{{
		Name: "prod_to_lake", Mode: "sync", Transfer: "server-side", Topology: "push",
		Source: "s3://konfir-prod-data/exports/", Dest: "s3://konfir-datalake-us/prod/",
		CrossRegion: true, SourceRegion: "eu-west-1", DestinationRegion: "us-east-1",
		Data: &plan.JobData{Copy: plan.Count{Objects: 2, Bytes: 2 << 30}, New: plan.Count{Objects: 2, Bytes: 2 << 30},
			Estimate: plan.Estimate{ListRequests: 2, PutRequests: 2, InterRegionBytes: 2 << 30, CostUSD: 0.04, CostNoBucketKeyUSD: 0.04}},
	}}}
}

// TestViewsSayCrossRegion checks that the human plan, the pull-request
// markdown and the JSON plan say a job copies between regions, and show
// the bytes S3 bills as inter-region transfer.
func TestViewsSayCrossRegion(t *testing.T) {
	var human, md bytes.Buffer
	(&planView{w: &human}).render(crossRegionPlan())
	(&markdownView{w: &md, planFile: "plan.json"}).render(crossRegionPlan())
	data, err := json.Marshal(crossRegionPlan())
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		view, out string
		want      []string
	}{
		{"human", human.String(), []string{
			`sync "prod_to_lake" (sync, server-side, push, cross-region eu-west-1 -> us-east-1)`,
			"(0 without bucket key), 2.0 GiB cross-region transfer: $0.0400",
		}},
		{"markdown", md.String(), []string{"push, cross-region eu-west-1 → us-east-1", "2.0 GiB cross-region transfer: $0.0400"}},
		{"json", string(data), []string{`"cross_region":true`, `"source_region":"eu-west-1"`, `"destination_region":"us-east-1"`, `"inter_region_transfer_bytes":2147483648`}},
	} {
		for _, w := range tt.want {
			if !strings.Contains(tt.out, w) {
				t.Errorf("%s view lacks %q:\n%s", tt.view, w, tt.out)
			}
		}
	}
}
