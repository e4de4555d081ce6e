package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"
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
	// its own state, for lakesync); that run is reported once as full-sync,
	// at the first --rtt.
	b.setRTT(o.rtts[0])
	fullKey := rttKey("full-sync", o.rtts[0])
	b.addScenario(fullKey, &scenarioInfo{
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
		j := job{Scenario: fullKey, Run: 1, Mode: "sync", Src: syncSrc, Dst: dst, StateDir: b.stateDir("sync-"+t, true)}
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
				if bad := b.countDiffering(b.c, syncSrc, dst, want); bad > 0 {
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
		err := b.atEachRTT("noop-sync", func(key string) error {
			b.addScenario(key, &scenarioInfo{
				Title:   fmt.Sprintf("sync of %d objects with nothing changed (objects/s = objects compared per second)", n),
				Objects: n, Sync: true, KeysListed: 2 * n,
			})
			for r := 0; r < o.runs; r++ {
				for _, t := range rotate(b.tools, r) {
					if err := syncRun(key, r+1, t, nil, false); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if delta {
		k := deltaCount(n, o.deltaPercent)
		total, round := n, 0
		err := b.atEachRTT("delta-sync", func(key string) error {
			b.addScenario(key, &scenarioInfo{
				Title: fmt.Sprintf("sync of %d objects after %d were rewritten (same size, new content) and %d added; objects/s = source objects compared per second, MB/s = changed bytes per second",
					n, k, k),
				Objects: n + k, Bytes: int64(2*k) * o.smallSize, Sync: true,
				Note: "correct = the tool wrote exactly the rewritten and new objects, and their content equals the source",
			})
			for r := 0; r < o.runs; r++ {
				want, err := b.applyDelta(b.c, syncSrc, n, k, round, smallKey,
					func(i int) string { return fmt.Sprintf("obj/new-r%02d-%06d", round+1, i) }, o.smallSize)
				if err != nil {
					return err
				}
				round++
				total += k
				b.info[key].Objects, b.info[key].KeysListed = total, 2*total-k
				for _, t := range rotate(b.tools, r) {
					if err := syncRun(key, r+1, t, want, true); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	// Free the disk for the large object (MinIO refuses writes when its
	// drive runs low, and reclaims deleted data in the background).
	for _, t := range b.tools {
		_ = emptyBucket(b.ctx, b.c, dstBucket("sync", t))
	}
	return emptyBucket(b.ctx, b.c, syncSrc)
}

// deltaCount is the objects rewritten, and the objects added, per delta
// round: percent of n, at least 1.
func deltaCount(n int, percent float64) int {
	return max(1, int(math.Round(float64(n)*percent/100)))
}

// applyDelta is one delta round on bucket: k of its keys keyOf(0..n-1),
// chosen by round, are rewritten at the same size with new content, and k
// keys newKey(0..k-1) are added. It returns the changed keys, sorted.
func (b *bench) applyDelta(c *s3.Client, bucket string, n, k, round int, keyOf, newKey func(int) string, size int64) ([]string, error) {
	rng := rand.New(rand.NewPCG(uint64(round), 42))
	var rewritten, added []string
	for _, i := range rng.Perm(n)[:k] {
		rewritten = append(rewritten, keyOf(i))
	}
	for i := 0; i < k; i++ {
		added = append(added, newKey(i))
	}
	// LastModified has one-second resolution in some listings: keep the
	// rewrite clearly later than the previous sync.
	time.Sleep(1100 * time.Millisecond)
	if err := putSmall(b.ctx, c, bucket, rewritten, size, uint64(round+1), 64); err != nil {
		return nil, err
	}
	if err := putSmall(b.ctx, c, bucket, added, size, 0, 64); err != nil {
		return nil, err
	}
	want := append(rewritten, added...)
	slices.Sort(want)
	time.Sleep(1100 * time.Millisecond)
	return want, nil
}

// countDiffering counts keys whose content in dst differs from src or
// cannot be read there (missing in the destination).
func (b *bench) countDiffering(c *s3.Client, src, dst string, keys []string) int {
	var g errgroup.Group
	g.SetLimit(16)
	var bad atomic.Int64
	for _, k := range keys {
		g.Go(func() error {
			if same, err := sameContent(b.ctx, c, src, dst, k); err != nil || !same {
				bad.Add(1)
			}
			return nil
		})
	}
	_ = g.Wait() // no goroutine returns an error
	return int(bad.Load())
}
