package view

import (
	"time"

	"github.com/lakesync/lakesync/internal/plan"
)

// asOfLine says that a job copies its source as it was at source_as_of;
// "" for a job that copies the current versions.
func asOfLine(j *plan.JobPlan) string {
	if j.SourceAsOf == nil {
		return ""
	}
	return "as of " + j.SourceAsOf.UTC().Format(time.RFC3339) + ": each source key's version current then (a key deleted or not yet written then is absent)"
}
