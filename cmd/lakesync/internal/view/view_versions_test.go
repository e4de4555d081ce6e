package view

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/lakesync/lakesync/internal/plan"
)

// A job with source_as_of says "as of ..." in every form, listed or not
// (plan --skip-data); the JSON carries it as source_as_of.
func TestPlanViewSourceAsOf(t *testing.T) {
	asOf := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	line := "as of 2026-11-30T00:00:00Z: each source key's version current then (a key deleted or not yet written then is absent)"
	for _, listing := range []plan.DataListing{plan.DataListed, plan.DataSkipped} {
		j := &plan.JobPlan{Name: "prod_to_lake", Mode: "sync", Transfer: "server-side",
			Source: "s3://konfir-prod-data/exports/", Dest: "s3://konfir-datalake-raw/prod/", DataListing: listing, SourceAsOf: &asOf}
		if listing == plan.DataListed {
			j.Data = &plan.JobData{Copy: plan.Count{Objects: 2}}
		}
		p := &plan.Plan{FormatVersion: plan.FormatVersion, Jobs: []*plan.JobPlan{j}}
		for name, f := range map[string]Format{"human": Human, "markdown": Markdown} {
			var buf bytes.Buffer
			if err := NewPlan(f, &buf, PlanOptions{}).Plan(p); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(buf.String(), line) {
				t.Errorf("%s plan (%s) lacks %q:\n%s", name, listing, line, buf.String())
			}
		}
		var buf bytes.Buffer
		if err := NewPlan(JSON, &buf, PlanOptions{}).Plan(p); err != nil {
			t.Fatal(err)
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, buf.Bytes()); err != nil {
			t.Fatal(err)
		}
		if want := `"source_as_of":"2026-11-30T00:00:00Z"`; !strings.Contains(compact.String(), want) {
			t.Errorf("JSON plan lacks %s:\n%s", want, buf.String())
		}
	}
}
