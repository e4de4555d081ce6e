package view

import (
	"bytes"
	"strings"
	"testing"

	"github.com/lakesync/lakesync/internal/plan"
)

// A plan that listed no data (apply --auto-approve lists it while
// copying; plan --skip-data not at all) says so, in the job and in the
// summary, instead of counting "0 objects (0 B) to copy" or "no data to
// copy".
func TestPlanViewDataNotListed(t *testing.T) {
	tests := []struct {
		name      string
		listing   plan.DataListing
		noChanges bool // the policies are in place
		want      []string
	}{
		{"apply --auto-approve", plan.DataWhileCopying, false, []string{
			"      data: listed while copying\n",
			"; 0 bucket settings; data: listed while copying.\n",
		}},
		{"apply --auto-approve, policies in place", plan.DataWhileCopying, true, []string{
			"      data: listed while copying\n",
			"No policy changes. The policies match the configuration; data: listed while copying.\n",
		}},
		{"plan --skip-data", plan.DataSkipped, false, []string{
			"      data: not listed (plan --skip-data); apply lists it while copying\n",
			"; 0 bucket settings; data: not listed (plan --skip-data); apply lists it while copying.\n",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &plan.Plan{
				FormatVersion: plan.FormatVersion,
				Documents:     []*plan.DocumentChange{{Address: plan.Ref{Kind: plan.KindBucket, Name: "lake"}, Kind: plan.BucketPolicy, Resource: "konfir-datalake-raw", Action: plan.ActionCreate}},
				Jobs: []*plan.JobPlan{{Name: "prod_to_lake", Mode: "sync", Transfer: "server-side",
					Source: "s3://konfir-prod-data/exports/", Dest: "s3://konfir-datalake-raw/prod/", DataListing: tt.listing}},
			}
			if tt.noChanges {
				p.Documents[0].Action = plan.ActionNoOp
			}
			var buf bytes.Buffer
			(&planView{w: &buf}).render(p)
			out := buf.String()
			for _, want := range tt.want {
				if !strings.Contains(out, want) {
					t.Errorf("the plan lacks %q:\n%s", want, out)
				}
			}
			for _, wrong := range []string{"0 objects (0 B) to copy", "no data to copy"} {
				if strings.Contains(out, wrong) {
					t.Errorf("the plan says %q of data it did not list:\n%s", wrong, out)
				}
			}
			buf.Reset()
			(&markdownView{w: &buf}).render(p)
			md := buf.String()
			if strings.Contains(md, "0 objects (0 B) to copy") || strings.Contains(md, "no data to copy") ||
				!strings.Contains(md, dataNotListed(tt.listing)) {
				t.Errorf("the markdown plan counts data it did not list:\n%s", md)
			}
		})
	}
}
