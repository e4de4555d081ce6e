package main

import (
	"fmt"

	"github.com/lakesync/lakesync/internal/config"
)

const bandwidthFlagUsage = `cap the bytes per second that stream jobs move through this machine for this run, like 200MiB or 1GB/s (overrides each job's bandwidth)`

// useBandwidth parses apply --bandwidth into bytes per second (0: each
// job's own bandwidth). It is refused when no job streams: a server-side
// copy's bytes never pass through this machine.
func (opts *applyOptions) useBandwidth(cfg *config.Config) error {
	if opts.Bandwidth == "" {
		return nil
	}
	n, err := config.ParseBandwidth(opts.Bandwidth)
	if err != nil {
		return fmt.Errorf("--bandwidth: %w", err)
	}
	for _, j := range cfg.Jobs {
		if j.Transfer == config.TransferStream {
			opts.bandwidth = n
			return nil
		}
	}
	return fmt.Errorf("--bandwidth caps the bytes stream jobs move through this machine, and no job of %s has transfer = \"stream\": a server-side copy's bytes stay inside S3. Remove --bandwidth", opts.ConfigPath)
}
