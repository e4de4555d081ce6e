package main

import (
	"context"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec"
	"github.com/lakesync/lakesync/internal/plan"
)

// observeData lists every job's source and destination and reads its state
// records, counting what a run would do.
func observeData(ctx context.Context, cfg *config.Config, acc *exec.Accounts, obs *plan.Observed) (map[string]*plan.JobObservation, error) {
	return nil, nil
}
