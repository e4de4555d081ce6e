package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"golang.org/x/sync/errgroup"
)

// The large data set of noop-sync-large and delta-sync-large: N tiny
// objects, created once and kept between runs in bench/.cache/large-N by a
// MinIO of its own (data directory bench/.cache/large-N/minio), with the
// destination of every tool already filled.

const (
	lsetSrc = "bench-lset-src"
	// lsetObjectSize is the size of each object: tiny, the set is about
	// listing and comparing, not bytes.
	lsetObjectSize = 64
)

// lsetKey is the i-th key of the set: 64 prefixes, keys spread over them.
func lsetKey(i int) string { return fmt.Sprintf("part-%02d/obj-%07d", i%64, i) }

// largeSetMeta is bench/.cache/large-N/meta.json.
type largeSetMeta struct {
	N           int             `json:"n"`
	SourceReady bool            `json:"source_ready"`
	CreatedAt   string          `json:"created_at,omitempty"`
	CreateS     float64         `json:"create_s"` // seconds the PUTs of the N objects took
	Objects     int             `json:"objects"`  // source objects now: N plus those delta rounds added
	Rounds      int             `json:"delta_rounds"`
	Ready       map[string]bool `json:"ready"` // destination buckets in sync with the source
}

// largeSet is the open data set.
type largeSet struct {
	dir      string
	srv      *minioServer
	c        *s3.Client // direct to its MinIO
	endpoint string     // its delay proxy, for the tools
	meta     largeSetMeta
}

// openLargeSet starts the set's MinIO on its kept data directory, puts a
// delay proxy in front of it, and creates the source objects if an earlier
// run has not.
func (b *bench) openLargeSet() (*largeSet, error) {
	e, n := b.e, b.e.opts.largeObjects
	ls := &largeSet{dir: filepath.Join(e.cacheDir, "large-"+strconv.Itoa(n))}
	ls.meta = largeSetMeta{N: n, Objects: n, Ready: map[string]bool{}}
	if raw, err := os.ReadFile(filepath.Join(ls.dir, "meta.json")); err == nil {
		if err := json.Unmarshal(raw, &ls.meta); err != nil || ls.meta.N != n {
			return nil, fmt.Errorf("%s/meta.json is not the harness's; remove %s", ls.dir, ls.dir)
		}
		if ls.meta.Ready == nil {
			ls.meta.Ready = map[string]bool{}
		}
	}
	logf("large set: starting MinIO on %s", filepath.Join(ls.dir, "minio"))
	srv, err := startMinIO(e.bin("minio"), "minio-large", filepath.Join(ls.dir, "minio"), e.workDir, false, e.secrets)
	if err != nil {
		return nil, err
	}
	ls.srv = srv
	if ls.endpoint, err = b.startProxy(srv.endpoint); err != nil {
		srv.stop()
		return nil, err
	}
	ls.c = newClient(srv.endpoint, e.accessKey, e.secretKey, 256)
	if !ls.meta.SourceReady {
		if err := b.createLargeSource(ls); err != nil {
			srv.stop()
			return nil, err
		}
	}
	b.meta.largeSet = fmt.Sprintf("The large data set (%d objects of %d B, kept in %s) was created on %s in %s (%.0f PUTs/s, 256 in parallel); at the start of this run it held %d objects, after %d delta rounds.",
		n, lsetObjectSize, relPath(e.opts.root, ls.dir), ls.meta.CreatedAt, time.Duration(ls.meta.CreateS*float64(time.Second)).Round(time.Second),
		float64(n)/max(ls.meta.CreateS, 0.001), ls.meta.Objects, ls.meta.Rounds)
	return ls, nil
}

func (ls *largeSet) close() { ls.srv.stop() }

func (ls *largeSet) save() error {
	raw, err := json.MarshalIndent(ls.meta, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(ls.dir, "meta.json"), raw, 0o644)
}

// createLargeSource PUTs the N objects, many in parallel, and logs how long
// that took.
func (b *bench) createLargeSource(ls *largeSet) error {
	n := ls.meta.N
	logf("large set: creating %d objects of %d B (once; kept in %s)", n, lsetObjectSize, ls.dir)
	if err := ensureBucket(b.ctx, ls.c, lsetSrc, ""); err != nil {
		return err
	}
	keys := make([]string, n)
	for i := range keys {
		keys[i] = lsetKey(i)
	}
	t0 := time.Now()
	if err := putSmall(b.ctx, ls.c, lsetSrc, keys, lsetObjectSize, 0, 256); err != nil {
		return err
	}
	d := time.Since(t0)
	logf("large set: %d objects created in %s (%.0f objects/s)", n, d.Round(time.Millisecond), float64(n)/d.Seconds())
	ls.meta.SourceReady, ls.meta.CreateS, ls.meta.Objects = true, d.Seconds(), n
	ls.meta.CreatedAt = time.Now().UTC().Format("2006-01-02 15:04 UTC")
	return ls.save()
}

// lsetDst is a tool's destination in the set. A peer and its -defaults
// variant share one: both compare the same way and keep no state.
func lsetDst(tool string) string { return dstBucket("lset", family(tool)) }

// lsetStateDir is lakesync's state for the set, kept with it.
func (ls *largeSet) stateDir(tool string) string {
	d := filepath.Join(ls.dir, "state", tool)
	_ = os.MkdirAll(d, 0o755)
	return d
}

// fillDestinations brings every tool's destination in sync with the
// source, once. lakesync (and lakesync-base) do it by their own first sync,
// which also writes their state; it is reported as full-sync-large. The
// peers and sdk-limit keep no state, and copying one object costs them what
// it costs the harness: their destinations are filled by the harness's own
// CopyObject, which they then see as up to date (same size, newer).
func (b *bench) fillDestinations(ls *largeSet) error {
	var srcKeys []string
	for _, t := range b.tools {
		dst := lsetDst(t)
		if ls.meta.Ready[dst] {
			continue
		}
		if err := ensureBucket(b.ctx, ls.c, dst, b.e.kmsKeyID); err != nil {
			return err
		}
		if isLakesync(t) {
			b.setRTT(0)
			b.addScenario("full-sync-large", &scenarioInfo{
				Title:   fmt.Sprintf("first sync of the large set's %d objects (set-up, once per cached set; the peers' destinations are filled by the harness)", ls.meta.Objects),
				Objects: ls.meta.Objects, Bytes: int64(ls.meta.Objects) * lsetObjectSize, Sync: true,
			})
			j := job{Scenario: "full-sync-large", Run: 1, Mode: "sync", Src: lsetSrc, Dst: dst, StateDir: ls.stateDir(t), Endpoint: ls.endpoint}
			ok := false
			err := b.measure(t, j, func() (bool, string, error) {
				objs, err := listAll(b.ctx, ls.c, dst)
				if err != nil {
					return false, "", err
				}
				ok = len(objs) == ls.meta.Objects
				if !ok {
					return false, fmt.Sprintf("destination has %d of %d objects", len(objs), ls.meta.Objects), nil
				}
				return true, "", nil
			})
			if err != nil {
				return err
			}
			ls.meta.Ready[dst] = ok
		} else {
			if srcKeys == nil {
				objs, err := listAll(b.ctx, ls.c, lsetSrc)
				if err != nil {
					return err
				}
				for k := range objs {
					srcKeys = append(srcKeys, k)
				}
				sort.Strings(srcKeys)
			}
			t0 := time.Now()
			logf("large set: filling %s with %d objects (CopyObject by the harness)", dst, len(srcKeys))
			if err := copyKeys(b, ls.c, lsetSrc, dst, srcKeys); err != nil {
				return err
			}
			logf("large set: %s filled in %s", dst, time.Since(t0).Round(time.Millisecond))
			ls.meta.Ready[dst] = true
		}
		if err := ls.save(); err != nil {
			return err
		}
	}
	return nil
}

// copyKeys copies keys from src to dst by CopyObject, 256 at a time, with
// the destination's default encryption.
func copyKeys(b *bench, c *s3.Client, src, dst string, keys []string) error {
	g, gctx := errgroup.WithContext(b.ctx)
	g.SetLimit(256)
	var done atomic.Int64
	for _, k := range keys {
		g.Go(func() error {
			_, err := c.CopyObject(gctx, &s3.CopyObjectInput{
				Bucket: aws.String(dst), Key: aws.String(k), CopySource: aws.String(src + "/" + url.PathEscape(k)),
			})
			if err != nil {
				return fmt.Errorf("copy %s to %s: %w", k, dst, err)
			}
			if n := done.Add(1); n%100000 == 0 {
				logf("large set: %d of %d copied into %s", n, len(keys), dst)
			}
			return nil
		})
	}
	return g.Wait()
}

// relPath is p relative to root when it is below it.
func relPath(root, p string) string {
	if r, err := filepath.Rel(root, p); err == nil {
		return r
	}
	return p
}
