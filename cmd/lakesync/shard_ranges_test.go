package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	osexec "os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/plan"
	"github.com/lakesync/lakesync/internal/testenv/moto"
)

// s3Recorder is a reverse proxy in front of moto that counts, by the
// client's app id (AWS_SDK_UA_APP_ID, one per process), the LIST requests
// of both buckets, and every write and delete of a destination key.
type s3Recorder struct {
	URL string

	mu      sync.Mutex
	lists   map[string]int // by app id
	writes  map[string]int // by destination key
	deletes map[string]int // by destination key
	onList  func()         // called before the first LIST is forwarded
}

var appID = regexp.MustCompile(`app/([A-Za-z0-9._-]+)`)

func newS3Recorder(t *testing.T, backend string) *s3Recorder {
	t.Helper()
	u, err := url.Parse(backend)
	if err != nil {
		t.Fatal(err)
	}
	rec := &s3Recorder{lists: map[string]int{}, writes: map[string]int{}, deletes: map[string]int{}}
	fwd := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.observe(r)
		fwd.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	rec.URL = srv.URL
	return rec
}

var deleteKey = regexp.MustCompile(`<Key>([^<]*)</Key>`)

func (rec *s3Recorder) observe(r *http.Request) {
	q := r.URL.Query()
	path := strings.TrimPrefix(r.URL.Path, "/")
	app := "none"
	if m := appID.FindStringSubmatch(r.Header.Get("User-Agent")); m != nil {
		app = m[1]
	}
	var body []byte
	if r.Method == http.MethodPost && q.Has("delete") {
		body, _ = io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	rec.mu.Lock()
	var hook func()
	switch {
	case r.Method == http.MethodGet && (path == moto.DemoSource || path == moto.DemoDest) && q.Get("list-type") == "2":
		rec.lists[app]++
		hook, rec.onList = rec.onList, nil
	case r.Method == http.MethodPut && strings.HasPrefix(path, moto.DemoDest+"/") && !q.Has("uploadId") && !q.Has("tagging"):
		rec.writes[strings.TrimPrefix(path, moto.DemoDest+"/")]++
	case body != nil && strings.HasPrefix(path, moto.DemoDest):
		for _, m := range deleteKey.FindAllStringSubmatch(string(body), -1) {
			rec.deletes[m[1]]++
		}
	}
	rec.mu.Unlock()
	if hook != nil {
		hook()
	}
}

// takeLists returns the LIST counts by app id and starts them again.
func (rec *s3Recorder) takeLists() map[string]int {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	l := rec.lists
	rec.lists = map[string]int{}
	return l
}

// runApps runs lakesync once per app id at once, each with its own
// AWS_SDK_UA_APP_ID, and fails the test on a failed run.
func runApps(t *testing.T, bin string, runs map[string][]string) {
	t.Helper()
	var wg sync.WaitGroup
	for app, args := range runs {
		wg.Go(func() {
			cmd := osexec.CommandContext(within(t, 2*time.Minute), bin, args...)
			cmd.Env = append(os.Environ(), "AWS_SDK_UA_APP_ID="+app)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("%s: lakesync %s: %v\n%s", app, strings.Join(args, " "), err, out)
			}
		})
	}
	wg.Wait()
}

// TestShardsOwnKeyRanges runs three shards of a saved plan as three
// processes at once, with objects added during the run: every object is
// copied (written at the destination), recorded and, once its source is
// gone, deleted by exactly one shard; the shards list only their own key
// ranges, so their LIST requests add up to one unsharded run's.
func TestShardsOwnKeyRanges(t *testing.T) {
	const objects, shards = 70, 3
	d, cfg := demoWorld(t, objects)
	src, _ := os.ReadFile(cfg)
	rec := newS3Recorder(t, moto.Require(t, motoSrv).URL)
	conf := strings.Replace(string(src), `concurrency        = 16`, "concurrency        = 16\n  delete             = true", 1)
	conf = strings.ReplaceAll(conf, moto.Require(t, motoSrv).URL, rec.URL)
	if conf == string(src) || !strings.Contains(conf, rec.URL) {
		t.Fatal("test setup: the demo config has no concurrency line or endpoint")
	}
	if err := os.WriteFile(cfg, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := buildLakesync(t)
	if code, out, errs := runCLI(t, "", "apply", "-c", cfg, "--auto-approve", "--skip-copy"); code != 0 {
		t.Fatalf("apply --skip-copy: exit %d\n%s%s", code, out, errs)
	}
	planFile := filepath.Join(filepath.Dir(cfg), "shards.plan")
	if code, out, errs := runCLI(t, "", "plan", "-c", cfg, "--out", planFile); code != 0 {
		t.Fatalf("plan --out: exit %d\n%s%s", code, out, errs)
	}
	pf, err := readPlanFile(planFile)
	if err != nil || len(pf.KeyRanges["prod_to_lake"]) < shards {
		t.Fatalf("the plan file's key ranges: %v, %v; want at least %d boundaries", pf.KeyRanges, err, shards)
	}
	t.Logf("key range boundaries: %q", pf.KeyRanges["prod_to_lake"])
	shardRuns := func() map[string][]string {
		runs := map[string][]string{}
		for i := range shards {
			runs[fmt.Sprintf("shard-%d", i)] = []string{"apply", planFile, "--json", "--shard", fmt.Sprintf("%d/%d", i, shards)}
		}
		return runs
	}

	// Round 1: objects are added once the first shard starts listing,
	// in ranges listed already and ranges not listed yet.
	var added []string
	for i := range 14 {
		added = append(added, fmt.Sprintf("exports/day=%02d/late-%02d.parquet", i%7, i))
	}
	rec.takeLists()
	rec.onList = func() {
		for _, k := range added {
			if err := d.Prod.PutObject(t.Context(), moto.DemoSource, k, []byte("late "+k)); err != nil {
				t.Error(err)
			}
		}
	}
	runApps(t, bin, shardRuns())
	round1 := rec.takeLists()

	// Round 2: the shards copy what round 1 missed and delete the copies
	// of two sources that are gone.
	gone := []string{"exports/day=00/part-0000.parquet", "exports/day=06/part-0069.parquet"}
	for _, k := range gone {
		if _, err := d.Prod.S3().DeleteObject(t.Context(), &s3.DeleteObjectInput{Bucket: aws.String(moto.DemoSource), Key: aws.String(k)}); err != nil {
			t.Fatal(err)
		}
	}
	runApps(t, bin, shardRuns())
	round2 := rec.takeLists()

	var want []string // every destination key ever written
	for i := range objects {
		want = append(want, fmt.Sprintf("prod/day=%02d/part-%04d.parquet", i%7, i))
	}
	for _, k := range added {
		want = append(want, "prod/"+strings.TrimPrefix(k, "exports/"))
	}
	slices.Sort(want)
	for _, k := range want {
		if n := rec.writes[k]; n != 1 {
			t.Errorf("%s was written %d times, want once", k, n)
		}
	}
	if len(rec.writes) != len(want) {
		t.Errorf("%d destination keys were written, want %d", len(rec.writes), len(want))
	}
	for _, k := range gone {
		if n := rec.deletes["prod/"+strings.TrimPrefix(k, "exports/")]; n != 1 {
			t.Errorf("the copy of %s was deleted %d times, want once", k, n)
		}
	}
	if len(rec.deletes) != len(gone) {
		t.Errorf("deleted %v, want the copies of %v", rec.deletes, gone)
	}

	// Each source key is recorded in exactly one shard's state.
	recorded := map[string][]int{}
	for i := range shards {
		st, err := state.Open(fmt.Sprintf("%s.shard-%d-of-%d", filepath.Join(filepath.Dir(cfg), "state"), i, shards), state.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		for r, err := range st.Records(t.Context(), "prod_to_lake", "") {
			if err != nil {
				t.Fatal(err)
			}
			recorded[r.SourceKey] = append(recorded[r.SourceKey], i)
		}
		st.Close()
	}
	n := 0
	for _, k := range want {
		key := "exports/" + strings.TrimPrefix(k, "prod/")
		if slices.Contains(gone, key) {
			if len(recorded[key]) != 0 {
				t.Errorf("%s is gone but recorded by shards %v", key, recorded[key])
			}
			continue
		}
		n++
		if len(recorded[key]) != 1 {
			t.Errorf("%s is recorded by shards %v, want exactly one", key, recorded[key])
		}
	}
	if len(recorded) != n {
		t.Errorf("the shards' states hold %d keys, want %d", len(recorded), n)
	}

	// One unsharded run of the same plan over the same keys: the
	// shards' LIST requests add up to at most 1.2 times its.
	runApps(t, bin, map[string][]string{"unsharded": {"apply", planFile, "--json"}})
	one := rec.takeLists()["unsharded"]
	sum1, sum2 := 0, 0
	for i := range shards {
		sum1 += round1[fmt.Sprintf("shard-%d", i)]
		sum2 += round2[fmt.Sprintf("shard-%d", i)]
	}
	t.Logf("LIST requests (both buckets): one unsharded run %d; %d shards: round 1 %v (sum %d), round 2 %v (sum %d)", one, shards, round1, sum1, round2, sum2)
	if one == 0 || float64(sum2) > 1.2*float64(one) || float64(sum1) > 1.2*float64(one) {
		t.Errorf("the %d shards made %d and %d LIST requests, one unsharded run %d: want at most 1.2 times", shards, sum1, sum2, one)
	}
}

// TestHashShardStateToRanges: shards that ran by hash (no plan file) and
// then run a saved plan's key ranges lose nothing. A key whose owner
// changed has no record in its new owner's state: the decision for an
// unrecorded destination object compares full-object checksums (HEADs)
// and adopts it when they match; moto returns none, so here it is copied
// once more, by its new owner alone. Keys whose owner did not change are
// not touched; the records of keys another shard now owns stay in the old
// state, never scanned.
func TestHashShardStateToRanges(t *testing.T) {
	const objects, shards = 30, 3
	d, cfg := demoWorld(t, objects)
	src, _ := os.ReadFile(cfg)
	rec := newS3Recorder(t, moto.Require(t, motoSrv).URL)
	conf := strings.ReplaceAll(string(src), moto.Require(t, motoSrv).URL, rec.URL)
	if err := os.WriteFile(cfg, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := buildLakesync(t)
	if code, out, errs := runCLI(t, "", "apply", "-c", cfg, "--auto-approve", "--skip-copy"); code != 0 {
		t.Fatalf("apply --skip-copy: exit %d\n%s%s", code, out, errs)
	}
	hash := map[string][]string{}
	for i := range shards {
		hash[fmt.Sprintf("hash-%d", i)] = []string{"apply", "-c", cfg, "--auto-approve", "--json", "--shard", fmt.Sprintf("%d/%d", i, shards)}
	}
	runApps(t, bin, hash)
	if len(rec.writes) != objects {
		t.Fatalf("the hash shards wrote %d objects, want %d", len(rec.writes), objects)
	}
	rec.writes = map[string]int{}

	planFile := filepath.Join(filepath.Dir(cfg), "shards.plan")
	if code, out, errs := runCLI(t, "", "plan", "-c", cfg, "--out", planFile); code != 0 {
		t.Fatalf("plan --out: exit %d\n%s%s", code, out, errs)
	}
	ranged := map[string][]string{}
	for i := range shards {
		ranged[fmt.Sprintf("range-%d", i)] = []string{"apply", planFile, "--json", "--shard", fmt.Sprintf("%d/%d", i, shards)}
	}
	runApps(t, bin, ranged)
	pf, err := readPlanFile(planFile)
	if err != nil {
		t.Fatal(err)
	}
	ranges, err := plan.Tile(pf.KeyRanges["prod_to_lake"])
	if err != nil {
		t.Fatal(err)
	}
	moved := 0
	for i := range objects {
		rel := fmt.Sprintf("day=%02d/part-%04d.parquet", i%7, i)
		owner := slices.IndexFunc(ranges, func(r plan.KeyRange) bool { return r.Contains(rel) }) % shards
		want := 0
		if owner != plan.ShardOf(rel, shards) {
			want, moved = 1, moved+1
		}
		if got := rec.writes["prod/"+rel]; got != want {
			t.Errorf("%s (hash shard %d, range shard %d) was written %d times by the range shards, want %d", rel, plan.ShardOf(rel, shards), owner, got, want)
		}
	}
	if moved == 0 || moved == objects || len(rec.deletes) != 0 {
		t.Errorf("%d of %d keys changed shard, %v deleted: want some, not all, and no delete", moved, objects, rec.deletes)
	}
	list, err := d.Lake.S3().ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: aws.String(moto.DemoDest), Prefix: aws.String("prod/")})
	if err != nil || len(list.Contents) != objects {
		t.Fatalf("the destination holds %d objects (%v), want %d", len(list.Contents), err, objects)
	}
	// Every source key is recorded by the shard that owns its range now.
	owned := map[string]bool{}
	for i := range shards {
		st, err := state.Open(fmt.Sprintf("%s.shard-%d-of-%d", filepath.Join(filepath.Dir(cfg), "state"), i, shards), state.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		for r, err := range st.Records(t.Context(), "prod_to_lake", "") {
			if err != nil {
				t.Fatal(err)
			}
			owned[r.SourceKey] = true
		}
		st.Close()
	}
	if len(owned) != objects {
		t.Errorf("the shards' states record %d keys, want all %d", len(owned), objects)
	}
}
