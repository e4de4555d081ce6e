package view

import (
	"fmt"
	"io"

	"github.com/lakesync/lakesync/internal/plan"
)

// Batch shows what the S3 Batch Operations commands do outside apply
// (plan --batch-manifest, batch status); it has only a human form.
type Batch struct{ W io.Writer }

// ManifestWritten says plan --batch-manifest wrote a job's manifest of
// lines objects to base.csv and its request to base.create-job.json.
func (v Batch) ManifestWritten(job string, lines int64, base string) {
	fmt.Fprintf(v.W, "%s: %d objects in %s.csv, the CreateJob request in %s.create-job.json\n", job, lines, base, base)
}

// BatchProgress counts the tasks of an S3 Batch Operations job.
type BatchProgress struct{ Succeeded, Total, Failed int64 }

// Status is the status of S3 Batch Operations job id, with its progress
// when S3 reports one.
func (v Batch) Status(id, status string, p *BatchProgress) {
	fmt.Fprintf(v.W, "S3 Batch Operations job %s: %s", id, status)
	if p != nil {
		fmt.Fprintf(v.W, ", %d of %d tasks succeeded, %d failed", p.Succeeded, p.Total, p.Failed)
	}
	fmt.Fprintln(v.W)
}

// Folded says what folding a completion report into the state did; it
// names the first 20 failed tasks.
func (v Batch) Folded(recorded, unknown int64, failed []plan.BatchTask) {
	fmt.Fprintf(v.W, "Recorded %d copied objects in the state; %d could not be confirmed (the next apply decides them again); %d failed.\n",
		recorded, unknown, len(failed))
	for i, t := range failed {
		if i == 20 {
			fmt.Fprintf(v.W, "  ... and %d more\n", len(failed)-i)
			break
		}
		fmt.Fprintf(v.W, "  %s: %s %s %s\n", t.Key, t.ErrorCode, t.HTTPStatus, t.Message)
	}
}
