package view

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/copier"
	"github.com/lakesync/lakesync/internal/plan"
)

var testInventory = &plan.SourceListing{Kind: plan.SourceListingInventory, Created: time.Date(2024, 5, 2, 1, 0, 0, 0, time.UTC),
	Location: "s3://konfir-inventory/reports/", Report: "s3://konfir-inventory/reports/konfir-prod-data/daily/2024-05-02T01-00Z/", DataFiles: 3}

// A plan whose source listing is an S3 Inventory report says which one,
// of when, in every form: the human plan and the markdown in words, the
// JSON as a typed source_listing of the job's data.
func TestPlanViewSourceInventory(t *testing.T) {
	p := &plan.Plan{FormatVersion: plan.FormatVersion, Jobs: []*plan.JobPlan{{Name: "prod_to_lake", Mode: "sync", Transfer: "server-side",
		Source: "s3://konfir-prod-data/exports/", Dest: "s3://konfir-datalake-raw/prod/", DataListing: plan.DataListed,
		Data: &plan.JobData{Copy: plan.Count{Objects: 2}, Delete: plan.Count{Objects: 1, Bytes: 10}, SourceListing: testInventory}}}}
	line := "source listing: S3 Inventory of 2024-05-02 01:00 UTC (s3://konfir-inventory/reports/konfir-prod-data/daily/2024-05-02T01-00Z/, read from s3://konfir-inventory/reports/)"
	del := "delete: each of the 1 object the report lacks is deleted only once a HEAD finds its source gone"
	for name, f := range map[string]Format{"human": Human, "markdown": Markdown} {
		var buf bytes.Buffer
		if err := NewPlan(f, &buf, PlanOptions{}).Plan(p); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{line, del} {
			if !strings.Contains(buf.String(), want) {
				t.Errorf("%s plan lacks %q:\n%s", name, want, buf.String())
			}
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
	want := `"source_listing":{"kind":"inventory","created":"2024-05-02T01:00:00Z","location":"s3://konfir-inventory/reports/","report":"s3://konfir-inventory/reports/konfir-prod-data/daily/2024-05-02T01-00Z/","data_files":3}`
	if !strings.Contains(compact.String(), want) {
		t.Errorf("JSON plan lacks %s:\n%s", want, buf.String())
	}
}

// A run that read an S3 Inventory says which, and how many of the
// objects it lists were gone by copy time.
func TestCopyViewSourceInventory(t *testing.T) {
	var buf bytes.Buffer
	v := &copyView{w: &buf}
	v.Begin(&config.Job{Name: "prod_to_lake"})
	v.OnCopyEvent(&copier.CopySummary{Job: "prod_to_lake", Copied: 2, Gone: 1, SourceListing: testInventory})
	want := "prod_to_lake: source listing: S3 Inventory of 2024-05-02 01:00 UTC (s3://konfir-inventory/reports/konfir-prod-data/daily/2024-05-02T01-00Z/); 1 object it lists gone from the source since (not failures)\n"
	if !strings.Contains(buf.String(), want) {
		t.Errorf("the summary lacks %q:\n%s", want, buf.String())
	}
}
