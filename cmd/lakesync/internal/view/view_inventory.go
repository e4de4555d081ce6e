package view

import (
	"fmt"

	"github.com/lakesync/lakesync/internal/exec/copier"
	"github.com/lakesync/lakesync/internal/plan"
)

// sourceListingLines say where a job's source listing comes from when it
// is an S3 Inventory report (none otherwise), and what that means for
// its deletes.
func sourceListingLines(j *plan.JobPlan) []string {
	d := j.Data
	if d == nil || d.SourceListing == nil {
		return nil
	}
	l := d.SourceListing
	lines := []string{fmt.Sprintf("source listing: %s (%s, read from %s)", l, l.Report, l.Location)}
	if d.Delete.Objects > 0 {
		lines = append(lines, fmt.Sprintf("delete: each of the %s the report lacks is deleted only once a HEAD finds its source gone; objects written since the report are kept", objects(d.Delete.Objects)))
	}
	return lines
}

// sourceListingRunLine says which S3 Inventory report a run read as its
// source listing and how many of its objects were gone by copy time;
// "" when the run listed the source bucket.
func sourceListingRunLine(s *copier.CopySummary) string {
	if s.SourceListing == nil {
		return ""
	}
	return fmt.Sprintf("%s: source listing: %s (%s); %s it lists gone from the source since (not failures)",
		s.Job, s.SourceListing, s.SourceListing.Report, objects(s.Gone))
}
