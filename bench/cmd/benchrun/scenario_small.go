package main

import (
	"fmt"
	"time"
)

// The small-cp scenario: a full server-side copy of many small objects.

// verifyFullCopy checks that dst holds n objects of size bytes each.
func (b *bench) verifyFullCopy(dst string, n int, size int64) (bool, string, error) {
	objs, err := listAll(b.ctx, b.c, dst)
	if err != nil {
		return false, "", err
	}
	bad := 0
	for _, o := range objs {
		if o.Size != size {
			bad++
		}
	}
	if len(objs) != n || bad > 0 {
		return false, fmt.Sprintf("destination has %d of %d objects, %d of wrong size", len(objs), n, bad), nil
	}
	return true, "", nil
}

// createSmallSet creates bucket and fills it with n objects smallKey(0..n-1)
// of the small size; label names the scenario in the log.
func (b *bench) createSmallSet(label, bucket string, n int) error {
	size := b.e.opts.smallSize
	logf("%s: creating %d objects of %d bytes", label, n, size)
	if err := ensureBucket(b.ctx, b.c, bucket, ""); err != nil {
		return err
	}
	keys := make([]string, n)
	for i := range keys {
		keys[i] = smallKey(i)
	}
	t0 := time.Now()
	if err := putSmall(b.ctx, b.c, bucket, keys, size, 0, 128); err != nil {
		return err
	}
	logf("%s: data set ready in %s", label, time.Since(t0).Round(time.Millisecond))
	return nil
}

func (b *bench) smallCopy() error {
	o := b.e.opts
	if err := b.createSmallSet("small-cp", smallSrc, o.objects); err != nil {
		return err
	}
	for _, t := range b.tools {
		if err := ensureBucket(b.ctx, b.c, dstBucket("cp", t), b.e.kmsKeyID); err != nil {
			return err
		}
	}
	err := b.atEachRTT("small-cp", func(key string) error {
		b.addScenario(key, &scenarioInfo{
			Title:   fmt.Sprintf("full server-side copy of %d objects of %s", o.objects, humanBytes(o.smallSize)),
			Objects: o.objects, Bytes: int64(o.objects) * o.smallSize,
		})
		for r := 0; r < o.runs; r++ {
			for _, t := range rotate(b.tools, r) {
				dst := dstBucket("cp", t)
				if err := emptyBucket(b.ctx, b.c, dst); err != nil {
					return err
				}
				j := job{Scenario: key, Run: r + 1, Mode: "cp", Src: smallSrc, Dst: dst, StateDir: b.stateDir(fmt.Sprintf("small-cp-run%d", r+1), true)}
				if err := b.measure(t, j, func() (bool, string, error) { return b.verifyFullCopy(dst, o.objects, o.smallSize) }); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, t := range b.tools {
		_ = emptyBucket(b.ctx, b.c, dstBucket("cp", t))
	}
	_ = emptyBucket(b.ctx, b.c, smallSrc) // free the disk for the large object
	return nil
}
