package main

import (
	"fmt"
	"strings"
)

// The scenarios on the large data set (largeset.go): noop-sync-large and
// delta-sync-large. Their verification uses what the delay proxy saw: the
// keys each tool wrote into its destination.

func (b *bench) largeSetScenarios(noop, delta bool) error {
	ls, err := b.openLargeSet()
	if err != nil {
		return err
	}
	defer ls.close()
	if err := b.fillDestinations(ls); err != nil {
		return err
	}
	o := b.e.opts
	run := func(key string, r int, t string, want []string) error {
		dst := lsetDst(t)
		j := job{Scenario: key, Run: r, Mode: "sync", Src: lsetSrc, Dst: dst, Endpoint: ls.endpoint}
		if isLakesync(t) {
			j.StateDir = ls.stateDir(t)
		}
		return b.measure(t, j, func() (bool, string, error) {
			got, batch := b.last.writtenKeys(dst)
			note := compareSets(got, want)
			if batch {
				note = strings.TrimPrefix(note+"; deleted objects by DeleteObjects", "; ")
			}
			if len(want) > 0 {
				if bad := b.countDiffering(ls.c, lsetSrc, dst, want); bad > 0 {
					note = strings.TrimPrefix(note+fmt.Sprintf("; %d of %d changed objects differ from the source", bad, len(want)), "; ")
				}
			}
			return note == "", note, nil
		})
	}
	if noop {
		err := b.atEachRTT("noop-sync-large", func(key string) error {
			n := ls.meta.Objects
			b.addScenario(key, &scenarioInfo{
				Title:   fmt.Sprintf("sync of the large set's %d objects of %d B with nothing changed (objects/s = objects compared per second)", n, lsetObjectSize),
				Objects: n, Sync: true, KeysListed: 2 * n,
				Note: "correct = the tool wrote nothing (the delay proxy saw no PUT, copy or DELETE)",
			})
			for r := 0; r < o.runs; r++ {
				for _, t := range rotate(b.tools, r) {
					if err := run(key, r+1, t, nil); err != nil {
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
		k := deltaCount(ls.meta.N, o.deltaPercent)
		rounds := o.runs * maxVariants(b.tools)
		err := b.atEachRTT("delta-sync-large", func(key string) error {
			b.addScenario(key, &scenarioInfo{
				Title: fmt.Sprintf("sync of the large set (%d objects at first) after %d were rewritten and %d added; objects/s = source objects compared per second. "+
					"A peer and its -defaults variant share one destination and take turns, one per round", ls.meta.Objects, k, k),
				Bytes: int64(2*k) * lsetObjectSize, Sync: true,
				Note: "correct = the tool wrote exactly the rewritten and new objects (seen by the delay proxy), and their content equals the source",
			})
			for r := 0; r < rounds; r++ {
				round := ls.meta.Rounds
				want, err := b.applyDelta(ls.c, lsetSrc, ls.meta.N, k, round, lsetKey,
					func(i int) string { return fmt.Sprintf("new/r%04d-%07d", round+1, i) }, lsetObjectSize)
				if err != nil {
					return err
				}
				ls.meta.Rounds++
				ls.meta.Objects += k
				if err := ls.save(); err != nil {
					return err
				}
				b.info[key].Objects, b.info[key].KeysListed = ls.meta.Objects, 2*ls.meta.Objects-k
				for _, t := range rotate(turn(b.tools, r), r) {
					if err := run(key, r+1, t, want); err != nil {
						return err
					}
					if s := b.results[key][t]; !s[len(s)-1].OK {
						b.repairLargeSet(ls, t, want)
					}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// repairLargeSet puts a destination back in sync after tool's delta run
// went wrong, so that the next rounds measure one delta again: a peer's by
// copying the changed keys; lakesync's is marked not ready, so that the
// next bench run syncs it first (its state is its own).
func (b *bench) repairLargeSet(ls *largeSet, tool string, want []string) {
	dst := lsetDst(tool)
	if isLakesync(tool) {
		ls.meta.Ready[dst] = false
		_ = ls.save()
		return
	}
	if err := copyKeys(b, ls.c, lsetSrc, dst, want); err != nil {
		logf("large set: repairing %s: %v", dst, err)
		ls.meta.Ready[dst] = false
		_ = ls.save()
	}
}

// maxVariants is the most variants any one family of tools has (2 when a
// peer runs with its -defaults variant).
func maxVariants(tools []string) int {
	n := map[string]int{}
	m := 1
	for _, t := range tools {
		n[family(t)]++
		m = max(m, n[family(t)])
	}
	return m
}

// turn picks the tools of delta round r: one variant per family, in turn,
// since a family's variants share a destination.
func turn(tools []string, r int) []string {
	var fams []string
	variants := map[string][]string{}
	for _, t := range tools {
		f := family(t)
		if variants[f] == nil {
			fams = append(fams, f)
		}
		variants[f] = append(variants[f], t)
	}
	var out []string
	for _, f := range fams {
		v := variants[f]
		out = append(out, v[r%len(v)])
	}
	return out
}
