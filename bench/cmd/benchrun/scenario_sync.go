package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
)

// The sync scenarios: a first sync, then noop-sync and delta-sync over it.

func (b *bench) syncScenarios(noop, delta bool) error {
	o := b.e.opts
	n := o.noopObjects
	if err := b.createSmallSet("sync", syncSrc, n); err != nil {
		return err
	}

	// Every tool first syncs the whole source into its own destination (with
	// its own state, for lakesync); that run is reported once as full-sync.
	b.addScenario("full-sync", &scenarioInfo{
		Title:   fmt.Sprintf("first sync of %d objects into an empty bucket (set-up of the sync scenarios, 1 run)", n),
		Objects: n, Bytes: int64(n) * o.smallSize,
	})
	for _, t := range b.tools {
		dst := dstBucket("sync", t)
		if err := ensureBucket(b.ctx, b.c, dst, b.e.kmsKeyID); err != nil {
			return err
		}
		if err := emptyBucket(b.ctx, b.c, dst); err != nil {
			return err
		}
		j := job{Scenario: "full-sync", Run: 1, Mode: "sync", Src: syncSrc, Dst: dst, StateDir: b.stateDir("sync-"+t, true)}
		if err := b.measure(t, j, func() (bool, string, error) { return b.verifyFullCopy(dst, n, o.smallSize) }); err != nil {
			return err
		}
	}

	syncRun := func(scenario string, r int, t string, want []string, checkContent bool) error {
		dst := dstBucket("sync", t)
		before, err := listAll(b.ctx, b.c, dst)
		if err != nil {
			return err
		}
		j := job{Scenario: scenario, Run: r, Mode: "sync", Src: syncSrc, Dst: dst, StateDir: b.stateDir("sync-"+t, false)}
		return b.measure(t, j, func() (bool, string, error) {
			after, err := listAll(b.ctx, b.c, dst)
			if err != nil {
				return false, "", err
			}
			note := compareSets(changedKeys(before, after), want)
			if checkContent {
				if bad := b.countDiffering(dst, want); bad > 0 {
					if note != "" {
						note += "; "
					}
					note += fmt.Sprintf("%d of %d changed objects differ from the source", bad, len(want))
				}
			}
			return note == "", note, nil
		})
	}

	if noop {
		b.addScenario("noop-sync", &scenarioInfo{
			Title:   fmt.Sprintf("sync of %d objects with nothing changed (objects/s = objects compared per second)", n),
			Objects: n, Sync: true,
		})
		for r := 0; r < o.runs; r++ {
			for _, t := range rotate(b.tools, r) {
				if err := syncRun("noop-sync", r+1, t, nil, false); err != nil {
					return err
				}
			}
		}
	}
	if delta {
		k := max(1, int(math.Round(float64(n)*o.deltaPercent/100)))
		b.addScenario("delta-sync", &scenarioInfo{
			Title: fmt.Sprintf("sync of %d objects after %d were rewritten (same size, new content) and %d added; objects/s = source objects compared per second, MB/s = changed bytes per second",
				n, k, k),
			Objects: n + k, Bytes: int64(2*k) * o.smallSize, Sync: true,
			Note: "correct = the tool wrote exactly the rewritten and new objects, and their content equals the source",
		})
		total := n
		for r := 0; r < o.runs; r++ {
			rng := rand.New(rand.NewPCG(uint64(r), 42))
			perm := rng.Perm(n)[:k]
			var rewritten, added []string
			for _, i := range perm {
				rewritten = append(rewritten, smallKey(i))
			}
			for i := 0; i < k; i++ {
				added = append(added, fmt.Sprintf("obj/new-r%02d-%06d", r+1, i))
			}
			// LastModified has one-second resolution in some listings: keep
			// the rewrite clearly later than the previous sync.
			time.Sleep(1100 * time.Millisecond)
			if err := putSmall(b.ctx, b.c, syncSrc, rewritten, o.smallSize, uint64(r+1), 64); err != nil {
				return err
			}
			if err := putSmall(b.ctx, b.c, syncSrc, added, o.smallSize, 0, 64); err != nil {
				return err
			}
			total += k
			b.info["delta-sync"].Objects = total
			want := append(append([]string(nil), rewritten...), added...)
			slices.Sort(want)
			time.Sleep(1100 * time.Millisecond)
			for _, t := range rotate(b.tools, r) {
				if err := syncRun("delta-sync", r+1, t, want, true); err != nil {
					return err
				}
			}
		}
	}
	// Free the disk for the large object (MinIO refuses writes when its
	// drive runs low, and reclaims deleted data in the background).
	for _, t := range b.tools {
		_ = emptyBucket(b.ctx, b.c, dstBucket("sync", t))
	}
	return emptyBucket(b.ctx, b.c, syncSrc)
}

// countDiffering counts keys whose content in dst differs from the source
// or cannot be read there (missing in the destination).
func (b *bench) countDiffering(dst string, keys []string) int {
	var g errgroup.Group
	g.SetLimit(16)
	var bad atomic.Int64
	for _, k := range keys {
		g.Go(func() error {
			if same, err := sameContent(b.ctx, b.c, syncSrc, dst, k); err != nil || !same {
				bad.Add(1)
			}
			return nil
		})
	}
	_ = g.Wait() // no goroutine returns an error
	return int(bad.Load())
}
