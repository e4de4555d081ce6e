package s3state

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/plan"
)

const stateKey = "lakesync/prod.state"

// countingS3 counts the bytes uploaded to each key but the lock.
type countingS3 struct {
	StateS3API
	mu  sync.Mutex
	put map[string]int64
}

func (c *countingS3) PutObject(ctx context.Context, in *s3.PutObjectInput, optFns ...func(*s3.Options)) (*s3.PutObjectOutput, error) {
	body, err := io.ReadAll(in.Body)
	if err != nil {
		return nil, err
	}
	if k := aws.ToString(in.Key); !strings.HasSuffix(k, ".lock") {
		c.mu.Lock()
		c.put[k] += int64(len(body))
		c.mu.Unlock()
	}
	in.Body = bytes.NewReader(body)
	return c.StateS3API.PutObject(ctx, in, optFns...)
}

// uploaded returns and resets the bytes uploaded since the last call.
func (c *countingS3) uploaded() (total int64, keys []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, n := range c.put {
		total += n
		keys = append(keys, k)
	}
	c.put = map[string]int64{}
	return total, keys
}

func lakeRecord(i int, copiedAt time.Time) plan.StateRecord {
	key := fmt.Sprintf("warehouse/events/dt=2026-11-%02d/part-%07d-c000.snappy.parquet", 1+i/40_000%28, i)
	sum := md5.Sum([]byte(key))
	etag := `"` + hex.EncodeToString(sum[:]) + `"`
	return plan.StateRecord{SourceKey: key, SourceETag: etag, Size: 64<<20 + int64(i), DestKey: "lake/" + key, DestETag: etag, CopiedAt: copiedAt}
}

func readRecords(t *testing.T, st *state.Store) map[string]plan.StateRecord {
	t.Helper()
	out := map[string]plan.StateRecord{}
	for rec, err := range st.Records(t.Context(), "job", "") {
		if err != nil {
			t.Fatal(err)
		}
		out[rec.SourceKey] = rec
	}
	return out
}

// TestRemoteStateCheckpointBytes: at 100,000 records, a checkpoint after
// 1% of them changed uploads at most 5% of the whole state (a delta and
// the index), and a reader (the next run, if this one were killed now)
// reads the base with the delta applied.
func TestRemoteStateCheckpointBytes(t *testing.T) {
	const n = 100_000
	w, c := remoteWorld(t)
	ctx := t.Context()
	counter := &countingS3{StateS3API: c, put: map[string]int64{}}
	r := New(counter, stateBucket, stateKey, w.lakeAcct, "", RemoteStateOptions{})
	if _, err := r.Open(ctx, false, "test", nil); err != nil {
		t.Fatal(err)
	}
	defer r.Close(ctx)
	first := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	want := map[string]plan.StateRecord{}
	var recs []plan.StateRecord
	for i := range n {
		rec := lakeRecord(i, first.Add(time.Duration(i)*time.Millisecond))
		recs, want[rec.SourceKey] = append(recs, rec), rec
	}
	must(t, r.store.Apply("job", recs, nil))
	must(t, r.Sync(ctx))
	full, _ := counter.uploaded()

	recs = recs[:0]
	for i := 0; i < n; i += 100 {
		rec := lakeRecord(i, first.Add(time.Hour))
		recs, want[rec.SourceKey] = append(recs, rec), rec
	}
	must(t, r.store.Apply("job", recs, nil))
	must(t, r.Sync(ctx))
	delta, keys := counter.uploaded()
	t.Logf("%d records: the whole state is %d bytes (%.1f a record); a checkpoint of 1%% changed is %d bytes (%.2f%%) in %v",
		n, full, float64(full)/n, delta, 100*float64(delta)/float64(full), keys)
	if delta*20 > full {
		t.Errorf("a checkpoint of 1%% of %d records uploaded %d bytes (%v), more than 5%% of the whole state (%d bytes)", n, delta, keys, full)
	}
	if again, _ := counter.uploaded(); again != 0 || r.Sync(ctx) != nil {
		t.Errorf("a checkpoint with nothing changed uploaded %d bytes", again)
	}

	ro := w.remote(c, nil)
	st, err := ro.Open(ctx, true, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close(ctx)
	got := readRecords(t, st)
	if len(got) != n {
		t.Fatalf("the next reader sees %d records, want %d", len(got), n)
	}
	for k, rec := range want {
		if got[k] != rec {
			t.Fatalf("record %s = %+v, want %+v", k, got[k], rec)
		}
	}
}

// TestRemoteStateMigratesSingleFile: a state of one object (as lakesync
// wrote it before deltas, in state format 1) opens and reads as it is;
// the first run writing it uploads it whole once, in format 2, and the
// next checkpoints are deltas. Nothing is lost.
func TestRemoteStateMigratesSingleFile(t *testing.T) {
	w, c := remoteWorld(t)
	ctx := t.Context()
	old, err := os.ReadFile("testdata/format1.state") // state format 1: records a, b, c of job "job"
	if err != nil {
		t.Fatal(err)
	}
	must(t, w.lake.PutObject(ctx, stateBucket, stateKey, old))

	ro := w.remote(c, nil)
	st, err := ro.Open(ctx, true, "", nil)
	if err != nil {
		t.Fatalf("read-only open of a single-file state: %v", err)
	}
	if got := readRecords(t, st); len(got) != 3 || got["b"].DestKey != "b" {
		t.Errorf("records of the single-file state: %v", got)
	}
	ro.Close(ctx)

	counter := &countingS3{StateS3API: c, put: map[string]int64{}}
	r := New(counter, stateBucket, stateKey, w.lakeAcct, "", RemoteStateOptions{})
	if _, err := r.Open(ctx, false, "test", nil); err != nil {
		t.Fatal(err)
	}
	putRecords(t, r, "d")
	must(t, r.Sync(ctx))
	if _, keys := counter.uploaded(); strings.Join(keys, ",") != stateKey {
		t.Errorf("the first checkpoint of a migrated state wrote %v, want the whole state at %s", keys, stateKey)
	}
	putRecords(t, r, "e")
	must(t, r.Close(ctx))
	if _, keys := counter.uploaded(); len(keys) != 2 || !strings.Contains(strings.Join(keys, ","), stateKey+".delta.") {
		t.Errorf("the next checkpoint wrote %v, want a delta and the index", keys)
	}

	base, _ := getBody(t, c, stateKey)
	if bytes.Equal(base, old) {
		t.Error("the base is still the format 1 file")
	}
	ro = w.remote(c, nil)
	if st, err = ro.Open(ctx, true, "", nil); err != nil {
		t.Fatal(err)
	}
	defer ro.Close(ctx)
	if got := readRecords(t, st); len(got) != 5 {
		t.Errorf("after the migration: %d records, want a..e", len(got))
	}
}

func getBody(t *testing.T, c *s3.Client, key string) ([]byte, string) {
	t.Helper()
	out, err := c.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String(stateBucket), Key: aws.String(key)})
	if err != nil {
		t.Fatal(err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b, aws.ToString(out.ETag)
}

// deltaState writes a state with records a and b in its base and c in a
// delta, and returns the delta's key.
func deltaState(t *testing.T, w *testWorld, c *s3.Client, key string) string {
	t.Helper()
	ctx := t.Context()
	r := New(c, stateBucket, key, w.lakeAcct, "", RemoteStateOptions{})
	if _, err := r.Open(ctx, false, "test", nil); err != nil {
		t.Fatal(err)
	}
	putRecords(t, r, "a", "b", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z")
	must(t, r.Sync(ctx))
	putRecords(t, r, "c")
	must(t, r.Close(ctx))
	if len(r.deltas) != 1 {
		t.Fatalf("%d deltas, want 1", len(r.deltas))
	}
	return r.deltas[0].Key
}

// TestRemoteStateDeltaRefused: a delta that is damaged, or that belongs
// to another state, is refused, naming it; so is an index that is not
// lakesync's.
func TestRemoteStateDeltaRefused(t *testing.T) {
	w, c := remoteWorld(t)
	ctx := t.Context()
	ours := deltaState(t, w, c, stateKey)
	theirs := deltaState(t, w, c, "other.state")
	good, _ := getBody(t, c, ours)
	foreign, _ := getBody(t, c, theirs)
	index, _ := getBody(t, c, stateKey+".deltas")
	for _, tc := range []struct {
		name, key string
		body      []byte
		want      []string
	}{
		{"damaged", ours, append(good[:len(good)-1:len(good)-1], good[len(good)-1]^1), []string{"corrupt or foreign", ours, "SHA-256"}},
		{"truncated", ours, good[:len(good)-3], []string{"corrupt or foreign", ours}},
		{"foreign", ours, foreign, []string{"corrupt or foreign", ours, `delta of the state "other.state"`}},
		{"not a delta", ours, []byte("hello"), []string{"corrupt or foreign", ours, "not a lakesync state delta"}},
		{"foreign index", stateKey + ".deltas", bytes.Replace(index, []byte(`"state":"`+stateKey), []byte(`"state":"x`), 1), []string{"index", stateKey + ".deltas", "refused"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			must(t, w.lake.PutObject(ctx, stateBucket, tc.key, tc.body))
			defer func() {
				must(t, w.lake.PutObject(ctx, stateBucket, ours, good))
				must(t, w.lake.PutObject(ctx, stateBucket, stateKey+".deltas", index))
			}()
			r := w.remote(c, nil)
			_, err := r.Open(ctx, true, "", nil)
			if err == nil {
				r.Close(ctx)
				t.Fatal("the state opened")
			}
			t.Log(err)
			for _, want := range tc.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
		})
	}
	r := w.remote(c, nil)
	st, err := r.Open(ctx, true, "", nil)
	if err != nil {
		t.Fatalf("the state restored: %v", err)
	}
	if got := readRecords(t, st); len(got) != 14 {
		t.Errorf("%d records, want 14", len(got))
	}
	r.Close(ctx)
}

// TestRemoteStateCompaction: once the deltas would reach half the base,
// a checkpoint uploads the state whole and deletes the deltas; the index
// left naming the old base is ignored by readers.
func TestRemoteStateCompaction(t *testing.T) {
	w, c := remoteWorld(t)
	ctx := t.Context()
	r := w.remote(c, nil)
	if _, err := r.Open(ctx, false, "test", nil); err != nil {
		t.Fatal(err)
	}
	defer r.Close(ctx)
	putRecords(t, r, "a")
	must(t, r.Sync(ctx))
	_, base := getBody(t, c, stateKey)
	putRecords(t, r, "b")
	must(t, r.Sync(ctx))
	delta := r.deltas[0].Key
	if _, again := getBody(t, c, stateKey); again != base {
		t.Fatal("a small change uploaded the whole state")
	}
	var many []string
	for i := range 1000 {
		many = append(many, fmt.Sprintf("many/%04d", i))
	}
	putRecords(t, r, many...)
	must(t, r.Sync(ctx))
	if _, again := getBody(t, c, stateKey); again == base {
		t.Fatal("deltas as large as the base did not upload it whole")
	}
	if _, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(stateBucket), Key: aws.String(delta)}); err == nil {
		t.Errorf("the delta %s of the old base is still there", delta)
	}
	ro := w.remote(c, nil)
	st, err := ro.Open(ctx, true, "", nil)
	if err != nil {
		t.Fatalf("reading past a stale index: %v", err)
	}
	defer ro.Close(ctx)
	if got := readRecords(t, st); len(got) != 1002 {
		t.Errorf("%d records, want 1002", len(got))
	}
}
