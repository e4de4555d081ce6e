// Command lakesync plans and applies recurring cross-account S3 copies:
// the bucket, key and role policies both sides need, then an incremental,
// concurrent, resumable copy. See the README.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// The first Ctrl-C or SIGTERM stops cleanly (the copy commits the
	// state and aborts multipart uploads); a second one kills at once.
	go func() {
		<-ctx.Done()
		stop()
	}()
	// LAKESYNC_CPUPROFILE=FILE writes a CPU profile of the run, for
	// go tool pprof (see bench/README.md).
	if path := os.Getenv("LAKESYNC_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil {
			if pprof.StartCPUProfile(f) == nil {
				defer f.Close()
				defer pprof.StopCPUProfile()
			}
		}
	}
	code := run(ctx, os.Args[1:], newStreams(os.Stdin, os.Stdout, os.Stderr))
	stop()
	if code != 0 {
		pprof.StopCPUProfile()
		os.Exit(code)
	}
}
