// Command soak syncs tens of thousands of objects from one moto account
// to another through the fault-injecting proxy, with random faults of
// every kind, then verifies every destination object and reports what
// happened: objects, faults injected per kind, retries, objects lost
// (must be 0), state records and time. It is the slow counterpart of
// TestCopyUnderFaults and is not part of go test; run it with
// bench/soak/run.
//
// It relies on internal/testenv/moto (moto_server on PATH) for the two
// accounts, internal/testenv/faultproxy for the faults and copier.Copier,
// copier.Verify and the state store for the work under test.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/copier"
	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/testenv/faultproxy"
	"github.com/lakesync/lakesync/internal/testenv/moto"
)

// options are the command's flags.
type options struct {
	Objects     int
	Multipart   int
	Seed        uint64
	FaultRate   float64
	Concurrency int
	Transfer    string
	Sample      int
	Full        bool
	Out         string
}

func main() {
	var o options
	flag.IntVar(&o.Objects, "objects", 20000, "small objects to sync")
	flag.IntVar(&o.Multipart, "multipart", 3, "multipart objects (6 MiB and up, 5 MiB parts) to sync besides")
	flag.Uint64Var(&o.Seed, "seed", 1, "seed of the fault proxy's random rules and of the byte sample")
	flag.Float64Var(&o.FaultRate, "fault-rate", 1, "multiplies every rule's probability (see faultRules)")
	flag.IntVar(&o.Concurrency, "concurrency", 32, "the job's concurrency")
	flag.StringVar(&o.Transfer, "transfer", string(config.TransferServerSide), "server-side or stream")
	flag.IntVar(&o.Sample, "sample", 500, "small objects compared byte for byte (every multipart object is)")
	flag.BoolVar(&o.Full, "full", false, "verify every object by content (SHA-256 of both sides) instead of size and checksum")
	flag.StringVar(&o.Out, "out", "bench/results/soak.md", "the Markdown report to write (empty: none)")
	flag.Parse()
	if o.Transfer != string(config.TransferServerSide) && o.Transfer != string(config.TransferStream) {
		fmt.Fprintf(os.Stderr, "soak: --transfer %q: want server-side or stream\n", o.Transfer)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	r, err := soak(ctx, o)
	if r != nil {
		r.print(os.Stdout)
		if o.Out != "" {
			if werr := r.writeMarkdown(o.Out); werr != nil {
				fmt.Fprintf(os.Stderr, "soak: %v\n", werr)
				os.Exit(1)
			}
			fmt.Printf("\nwrote %s\n", o.Out)
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "soak: %v\n", err)
		os.Exit(1)
	}
	if !r.passed() {
		fmt.Fprintln(os.Stderr, "soak: FAILED: objects were lost, failed, or the state does not hold exactly the objects")
		os.Exit(1)
	}
}

// soak runs the whole benchmark. The report is returned, partly filled,
// even when a step fails after the copy.
func soak(ctx context.Context, o options) (*report, error) {
	srv, err := moto.Start(ctx)
	if err != nil {
		return nil, err
	}
	defer srv.Stop()
	dir, err := os.MkdirTemp("", "lakesync-soak-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)

	r := &report{opts: o}
	start := time.Now()
	w, err := newWorld(ctx, srv, dir, config.Transfer(o.Transfer), o.Concurrency)
	if err != nil {
		return nil, err
	}
	if r.Objects, r.Bytes, err = w.putObjects(ctx, o.Objects, o.Multipart); err != nil {
		return nil, err
	}
	r.PutTime = time.Since(start)

	proxy, err := faultproxy.New(srv.URL, faultproxy.Config{Seed: o.Seed, Rules: faultRules(o.FaultRate)})
	if err != nil {
		return nil, err
	}
	defer proxy.Close()
	store, err := state.Open(w.statePath, state.Options{})
	if err != nil {
		return nil, err
	}
	c := &copier.Copier{State: store, KMSKeyID: w.keyARN}
	c.Source, c.Destination = w.copierClients(proxy.URL)
	start = time.Now()
	sum, err := c.Run(ctx, w.job)
	r.CopyTime = time.Since(start)
	if cerr := store.Close(); err == nil {
		err = cerr
	}
	r.Summary, r.Proxy = sum, proxy.Counts()
	if err != nil {
		return r, fmt.Errorf("copy: %w", err)
	}

	start = time.Now()
	err = w.verify(ctx, r, o)
	r.VerifyTime = time.Since(start)
	return r, err
}
