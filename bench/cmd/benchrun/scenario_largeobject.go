package main

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// The one-large-object scenarios: large-copy and stream-large, and the
// disk space MinIO needs for them.

func (b *bench) largeScenarios(copyS, streamS bool) error {
	o := b.e.opts
	logf("large: creating one object of %s", humanBytes(o.largeSize))
	if err := ensureBucket(b.ctx, b.c, largeSrc, ""); err != nil {
		return err
	}
	t0 := time.Now()
	if err := putLarge(b.ctx, b.c, largeSrc, largeKey, o.largeSize, 64<<20, 4); err != nil {
		return err
	}
	logf("large: data set ready in %s", time.Since(t0).Round(time.Millisecond))
	for _, t := range b.tools {
		if err := ensureBucket(b.ctx, b.c, dstBucket("large", t), b.e.kmsKeyID); err != nil {
			return err
		}
	}
	// runAll registers scenario at each --rtt and runs it there.
	runAll := func(scenario, mode string, info scenarioInfo) error {
		return b.atEachRTT(scenario, func(key string) error {
			inf := info
			b.addScenario(key, &inf)
			for r := 0; r < o.runs; r++ {
				for _, t := range rotate(b.tools, r) {
					dst := dstBucket("large", t)
					if err := emptyBucket(b.ctx, b.c, dst); err != nil {
						return err
					}
					b.waitForDisk(o.largeSize)
					j := job{Scenario: key, Run: r + 1, Mode: mode, Src: largeSrc, Dst: dst, Key: largeKey, Size: o.largeSize,
						StateDir: b.stateDir(fmt.Sprintf("%s-run%d", scenario, r+1), true)}
					err := b.measure(t, j, func() (bool, string, error) {
						return sameSampledContent(b.ctx, b.c, largeSrc, dst, largeKey, o.largeSize)
					})
					if err != nil {
						return err
					}
					if err := emptyBucket(b.ctx, b.c, dst); err != nil {
						return err
					}
				}
			}
			return nil
		})
	}
	part := fmt.Sprintf("part size %s, %d parts in parallel", humanBytes(o.partSize), o.partConc)
	if copyS {
		err := runAll("large-copy", "mpcopy", scenarioInfo{
			Title:   fmt.Sprintf("server-side copy of one %s object (multipart copy, %s)", humanBytes(o.largeSize), part),
			Objects: 1, Bytes: o.largeSize,
		})
		if err != nil {
			return err
		}
	}
	if streamS {
		err := runAll("stream-large", "stream", scenarioInfo{
			Title:   fmt.Sprintf("stream copy (download and upload through the client) of one %s object, %s", humanBytes(o.largeSize), part),
			Objects: 1, Bytes: o.largeSize, Buffer: o.partSize * int64(o.partConc),
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// waitForDisk waits (up to two minutes) until MinIO's drive has room for
// need more bytes while keeping 15% of it free: MinIO answers
// XMinioStorageFull when its drive runs low, and it reclaims deleted objects
// in the background, so right after emptying a bucket the space may not be
// back yet.
func (b *bench) waitForDisk(need int64) {
	dir := filepath.Join(b.e.workDir, minioDataDir)
	deadline := time.Now().Add(2 * time.Minute)
	warned := false
	for {
		var st syscall.Statfs_t
		if err := syscall.Statfs(dir, &st); err != nil {
			return
		}
		free, total := int64(st.Bavail)*st.Bsize, int64(st.Blocks)*st.Bsize
		if free-need > total*15/100 {
			return
		}
		if time.Now().After(deadline) {
			logf("warning: only %s free on MinIO's drive (%s total); runs may fail with XMinioStorageFull", humanBytes(free), humanBytes(total))
			return
		}
		if !warned {
			logf("waiting for MinIO to reclaim deleted data (%s free, %s needed above a 15%% reserve)", humanBytes(free), humanBytes(need))
			warned = true
			// MinIO moves deleted objects to .minio.sys/tmp/.trash and
			// empties it slowly: on the 2-core machine 27 GiB were still
			// there after five large-copy runs, two minutes of waiting per
			// run. Those objects are deleted already; remove them now.
			if n := emptyTrash(dir); n > 0 {
				logf("removed %s from MinIO's trash of deleted objects", humanBytes(n))
			}
		}
		select {
		case <-b.ctx.Done():
			return
		case <-time.After(2 * time.Second):
		}
	}
}

// emptyTrash removes what MinIO's data directory dir holds in its trash of
// deleted objects, and returns how many bytes that was.
func emptyTrash(dir string) int64 {
	trash := filepath.Join(dir, ".minio.sys", "tmp", ".trash")
	entries, err := os.ReadDir(trash)
	if err != nil {
		return 0
	}
	var n int64
	for _, e := range entries {
		p := filepath.Join(trash, e.Name())
		n += dirBytes(p)
		_ = os.RemoveAll(p)
	}
	return n
}
