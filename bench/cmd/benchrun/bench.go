package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
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
	Endpoint string // where the tool sends its requests (a delay proxy); "": env.endpoint
}

// scenarioInfo describes a scenario for the report.
type scenarioInfo struct {
	Title   string
	Objects int   // objects handled per run (copied, or compared for syncs)
	Bytes   int64 // bytes that had to be copied per run
	Buffer  int64 // part size x parallel parts (stream-large)
	Sync    bool  // a sync scenario: the tool decides what to copy
	Note    string
	Base    string        // the scenario's name without its rtt
	RTT     time.Duration // the delay proxy's delay per request
	// KeysListed is the keys a sync lists per run (source and
	// destination), for keys listed per second.
	KeysListed int
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
	proxies []*delayProxy
	rtt     time.Duration // the proxies' current delay
	last    proxyStats    // what the proxies saw during the last measured run (for verify)
	meta    struct {
		minio      string
		versions   []string
		kmsNote    string
		elapsed    time.Duration
		rssFloor   int64    // launcher's peak RSS in KiB, the floor of every process's RSS
		loadavg    []string // /proc/loadavg at start and end: other load on the machine skews times
		incomplete string   // why the run stopped early, if it did
		largeSet   string   // how the large data set was made
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
	if has("noop-sync-large") || has("delta-sync-large") {
		if err := b.largeSetScenarios(has("noop-sync-large"), has("delta-sync-large")); err != nil {
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
	logPath := filepath.Join(b.e.workDir, "logs", fmt.Sprintf("%s-%s-run%d.log", strings.ReplaceAll(j.Scenario, "@rtt=", "-rtt"), tool, j.Run))
	ctx, cancel := context.WithTimeout(b.ctx, b.e.opts.timeout)
	b.takeStats() // what came before is not this run's
	m := run(ctx, b.e.bin("benchexec"), inv, b.e.baseEnv, logPath)
	cancel()
	b.last = b.takeStats()
	if b.ctx.Err() != nil {
		return b.ctx.Err()
	}
	b.meta.rssFloor = max(b.meta.rssFloor, m.FloorKiB)
	s := sample{Wall: m.Wall, CPU: m.CPU, MaxRSSKiB: m.MaxRSSKiB, Exited: m.Err == nil,
		ListRequests: b.last.Ops[opList], Requests: b.last.Requests, MaxInFlight: b.last.MaxInFlight}
	if isLakesync(tool) && j.StateDir != "" {
		s.StateBytes = dirBytes(j.StateDir)
	}
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
	logf("%-12s %-9s run %d  %7.2fs  cpu %6.2fs  rss %6.1f MiB  LIST %d  requests %d  in flight <= %d  %s", j.Scenario, tool, j.Run,
		m.Wall.Seconds(), m.CPU.Seconds(), float64(m.MaxRSSKiB)/1024, s.ListRequests, s.Requests, s.MaxInFlight, status)
	return nil
}

// addScenario registers the report entry name (a scenario at the current
// rtt: see rttKey).
func (b *bench) addScenario(name string, info *scenarioInfo) {
	info.RTT = b.rtt
	if info.Base == "" {
		info.Base, _, _ = strings.Cut(name, "@")
	}
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
