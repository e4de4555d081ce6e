package main

import (
	"os"
	"runtime/debug"

	"github.com/lakesync/lakesync/internal/config"
)

// gcPercent is the garbage collector's GOGC for a run of cfg. A
// server-side copy keeps a small heap (tens of MiB) and allocates hard:
// the SDK makes about 600 allocations per request. At the default 100 the
// collector runs every few MiB and took a quarter of lakesync's CPU per
// object (BenchmarkCopierPerObject: 290k cpu-ns/object at 100, 220k at
// 400); 400 grows a small heap by a few tens of MiB. A stream copy holds
// part size x concurrency in buffers, so there it stays at 100: the heap
// may grow by GOGC percent of the buffers, and the bound on memory the
// README promises is part size x concurrency + 64 MiB.
func gcPercent(cfg *config.Config) int {
	for _, j := range cfg.Jobs {
		if j.Transfer == config.TransferStream {
			return 100
		}
	}
	return 400
}

// tuneGC sets the collector for a run of cfg, unless GOGC says otherwise.
func tuneGC(cfg *config.Config) {
	if _, set := os.LookupEnv("GOGC"); set {
		return
	}
	debug.SetGCPercent(gcPercent(cfg))
}
