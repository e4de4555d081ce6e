package main

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"golang.org/x/sync/errgroup"
)

const (
	smallSrc = "bench-small-src"
	syncSrc  = "bench-sync-src"
	largeSrc = "bench-large-src"
	largeKey = "large.bin"
)

// job is one tool run: what to copy where.
type job struct {
	Scenario string
	Run      int
	Mode     string // cp | sync | mpcopy | stream
	Src, Dst string
	Key      string // mpcopy, stream
	Size     int64  // mpcopy, stream
	StateDir string // lakesync's state directory
}

// scenarioInfo describes a scenario for the report.
type scenarioInfo struct {
	Title   string
	Objects int   // objects handled per run (copied, or compared for syncs)
	Bytes   int64 // bytes that had to be copied per run
	Buffer  int64 // part size x parallel parts (stream-large)
	Sync    bool  // a sync scenario: the tool decides what to copy
	Note    string
}

type bench struct {
	e       *env
	ctx     context.Context
	c       *s3.Client
	tools   []string
	skipped map[string]string
	results map[string]map[string][]sample
	info    map[string]*scenarioInfo
	order   []string
	meta    struct {
		minio      string
		versions   []string
		kmsNote    string
		elapsed    time.Duration
		rssFloor   int64    // launcher's peak RSS in KiB, the floor of every process's RSS
		loadavg    []string // /proc/loadavg at start and end: other load on the machine skews times
		incomplete string   // why the run stopped early, if it did
	}
}

func dstBucket(kind, tool string) string { return "bench-" + kind + "-" + tool }

func smallKey(i int) string { return fmt.Sprintf("obj/%06d", i) }

// probeKMS finds which SSE-KMS key id form MinIO accepts for the built-in
// key, and checks that default bucket encryption with it works.
func (b *bench) probeKMS() error {
	e := b.e
	if err := ensureBucket(b.ctx, b.c, "bench-probe", ""); err != nil {
		return err
	}
	arn := "arn:aws:kms:" + region + ":000000000000:key/" + e.kmsKeyName
	var accepted, rejected []string
	for _, id := range []string{e.kmsKeyName, arn, "arn:aws:kms:" + e.kmsKeyName} {
		_, err := b.c.PutObject(b.ctx, &s3.PutObjectInput{
			Bucket: aws.String("bench-probe"), Key: aws.String("probe"),
			Body: nil, ServerSideEncryption: types.ServerSideEncryptionAwsKms, SSEKMSKeyId: aws.String(id),
		})
		if err != nil {
			rejected = append(rejected, fmt.Sprintf("`%s` rejected (%s)", id, shortErr(err)))
			continue
		}
		accepted = append(accepted, fmt.Sprintf("`%s`", id))
		if e.kmsKeyID == "" {
			e.kmsKeyID = id
		}
	}
	b.meta.kmsNote = fmt.Sprintf("MinIO SSE-KMS key id: accepted %v; %v.", accepted, rejected)
	logf("%s", b.meta.kmsNote)
	if e.kmsKeyID == "" {
		return fmt.Errorf("MinIO accepts no SSE-KMS key id form: %s", b.meta.kmsNote)
	}
	return ensureBucket(b.ctx, b.c, "bench-probe-enc", e.kmsKeyID)
}

func shortErr(err error) string {
	s := err.Error()
	if i := strings.Index(s, "api error "); i >= 0 {
		s = s[i+len("api error "):]
	}
	if len(s) > 160 {
		s = s[len(s)-160:]
	}
	return s
}

func (b *bench) runScenarios() error {
	o := b.e.opts
	has := func(s string) bool { return slices.Contains(o.scenarios, s) }
	if len(b.tools) == 0 {
		return fmt.Errorf("no tool can run")
	}
	if has("small-cp") {
		if err := b.smallCopy(); err != nil {
			return err
		}
	}
	if has("noop-sync") || has("delta-sync") {
		if err := b.syncScenarios(has("noop-sync"), has("delta-sync")); err != nil {
			return err
		}
	}
	if has("large-copy") || has("stream-large") {
		if err := b.largeScenarios(has("large-copy"), has("stream-large")); err != nil {
			return err
		}
	}
	return nil
}

// measure runs one job for one tool, then verify, and records the sample.
func (b *bench) measure(tool string, j job, verify func() (bool, string, error)) error {
	if err := b.ctx.Err(); err != nil {
		return err
	}
	inv, err := b.e.invocationFor(tool, j)
	if err != nil {
		return err
	}
	logPath := filepath.Join(b.e.workDir, "logs", fmt.Sprintf("%s-%s-run%d.log", j.Scenario, tool, j.Run))
	ctx, cancel := context.WithTimeout(b.ctx, b.e.opts.timeout)
	m := run(ctx, b.e.bin("benchexec"), inv, b.e.baseEnv, logPath)
	cancel()
	if b.ctx.Err() != nil {
		return b.ctx.Err()
	}
	b.meta.rssFloor = max(b.meta.rssFloor, m.FloorKiB)
	s := sample{Wall: m.Wall, CPU: m.CPU, MaxRSSKiB: m.MaxRSSKiB, Exited: m.Err == nil}
	if m.Err != nil {
		s.Note = "exit: " + m.Err.Error()
		if t := logTail(logPath, 2); t != "" {
			s.Note += ": " + t
		}
	} else {
		ok, note, err := verify()
		if err != nil {
			return fmt.Errorf("verify %s %s: %w", j.Scenario, tool, err)
		}
		s.OK, s.Note = ok, note
	}
	if b.results[j.Scenario] == nil {
		b.results[j.Scenario] = map[string][]sample{}
	}
	b.results[j.Scenario][tool] = append(b.results[j.Scenario][tool], s)
	status := "ok"
	if !s.OK {
		status = "NOT OK: " + s.Note
	}
	logf("%-12s %-9s run %d  %7.2fs  cpu %6.2fs  rss %6.1f MiB  %s", j.Scenario, tool, j.Run, m.Wall.Seconds(), m.CPU.Seconds(), float64(m.MaxRSSKiB)/1024, status)
	return nil
}

func (b *bench) addScenario(name string, info *scenarioInfo) {
	b.info[name] = info
	if !slices.Contains(b.order, name) {
		b.order = append(b.order, name)
	}
}

func (b *bench) stateDir(name string, fresh bool) string {
	d := filepath.Join(b.e.workDir, "state", name)
	if fresh {
		_ = os.RemoveAll(d)
	}
	_ = os.MkdirAll(d, 0o755)
	return d
}

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
	b.addScenario("small-cp", &scenarioInfo{
		Title:   fmt.Sprintf("full server-side copy of %d objects of %s", o.objects, humanBytes(o.smallSize)),
		Objects: o.objects, Bytes: int64(o.objects) * o.smallSize,
	})
	for _, t := range b.tools {
		if err := ensureBucket(b.ctx, b.c, dstBucket("cp", t), b.e.kmsKeyID); err != nil {
			return err
		}
	}
	for r := 0; r < o.runs; r++ {
		for _, t := range rotate(b.tools, r) {
			dst := dstBucket("cp", t)
			if err := emptyBucket(b.ctx, b.c, dst); err != nil {
				return err
			}
			j := job{Scenario: "small-cp", Run: r + 1, Mode: "cp", Src: smallSrc, Dst: dst, StateDir: b.stateDir(fmt.Sprintf("small-cp-run%d", r+1), true)}
			if err := b.measure(t, j, func() (bool, string, error) { return b.verifyFullCopy(dst, o.objects, o.smallSize) }); err != nil {
				return err
			}
		}
	}
	for _, t := range b.tools {
		_ = emptyBucket(b.ctx, b.c, dstBucket("cp", t))
	}
	_ = emptyBucket(b.ctx, b.c, smallSrc) // free the disk for the large object
	return nil
}

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
	runAll := func(scenario, mode string) error {
		for r := 0; r < o.runs; r++ {
			for _, t := range rotate(b.tools, r) {
				dst := dstBucket("large", t)
				if err := emptyBucket(b.ctx, b.c, dst); err != nil {
					return err
				}
				b.waitForDisk(o.largeSize)
				j := job{Scenario: scenario, Run: r + 1, Mode: mode, Src: largeSrc, Dst: dst, Key: largeKey, Size: o.largeSize,
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
	}
	part := fmt.Sprintf("part size %s, %d parts in parallel", humanBytes(o.partSize), o.partConc)
	if copyS {
		b.addScenario("large-copy", &scenarioInfo{
			Title:   fmt.Sprintf("server-side copy of one %s object (multipart copy, %s)", humanBytes(o.largeSize), part),
			Objects: 1, Bytes: o.largeSize,
		})
		if err := runAll("large-copy", "mpcopy"); err != nil {
			return err
		}
	}
	if streamS {
		b.addScenario("stream-large", &scenarioInfo{
			Title:   fmt.Sprintf("stream copy (download and upload through the client) of one %s object, %s", humanBytes(o.largeSize), part),
			Objects: 1, Bytes: o.largeSize, Buffer: o.partSize * int64(o.partConc),
		})
		if err := runAll("stream-large", "stream"); err != nil {
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
		_ = filepath.WalkDir(p, func(_ string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if fi, err := d.Info(); err == nil {
					n += fi.Size()
				}
			}
			return nil
		})
		_ = os.RemoveAll(p)
	}
	return n
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}
