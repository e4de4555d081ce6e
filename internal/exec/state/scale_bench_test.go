package state

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/lakesync/lakesync/internal/plan"
)

// scaleRecord is the record of the i-th object of a data lake laid out as
// Hive partitions, copied under another prefix: what a state holds at
// scale.
func scaleRecord(i int) plan.StateRecord {
	key := fmt.Sprintf("warehouse/events/dt=2026-%02d-%02d/part-%05d-c000.snappy.parquet", 1+i/2_800_000%12, 1+i/100_000%28, i%100_000) // unique up to 33.6 M
	sum := md5.Sum([]byte(key))
	etag := `"` + hex.EncodeToString(sum[:]) + `"`
	return plan.StateRecord{
		SourceKey: key, SourceETag: etag, Size: 64<<20 + int64(i%4096),
		DestKey: "lake/" + key, DestETag: etag,
		CopiedAt: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Millisecond),
	}
}

// BenchmarkStateScale measures the local state at N records: bytes per
// record on disk, and time per record to commit them (in the Committer's
// batches, in key order as a first run writes them), to open the file,
// to scan every record (plan.Merge's stream) and to commit a 1% change.
// N is LAKESYNC_STATE_N (default 20,000, so that -bench . stays quick).
// The figures of docs/state.md come from
//
//	LAKESYNC_STATE_N=10000000 go test -run '^$' -bench StateScale -benchtime 1x ./internal/exec/state
//
// It is a benchmark, never run by go test.
func BenchmarkStateScale(b *testing.B) {
	n := 20_000
	if s := os.Getenv("LAKESYNC_STATE_N"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v <= 0 {
			b.Fatalf("LAKESYNC_STATE_N=%q: want a positive number", s)
		}
		n = v
	}
	ctx := context.Background()
	for b.Loop() {
		path := filepath.Join(b.TempDir(), "state")
		st, err := Open(path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		c := st.NewCommitter("j", 0, 0)
		for i := range n {
			if err := c.Put(scaleRecord(i)); err != nil {
				b.Fatal(err)
			}
		}
		if err := c.Close(); err != nil {
			b.Fatal(err)
		}
		commit := time.Since(start)
		st.Close()
		fi, err := os.Stat(path)
		if err != nil {
			b.Fatal(err)
		}

		start = time.Now()
		if st, err = Open(path, Options{}); err != nil {
			b.Fatal(err)
		}
		open := time.Since(start)
		start = time.Now()
		seen := 0
		for _, err := range st.Records(ctx, "j", "") {
			if err != nil {
				b.Fatal(err)
			}
			seen++
		}
		scan := time.Since(start)
		if seen != n {
			b.Fatalf("scanned %d records, want %d", seen, n)
		}
		start = time.Now()
		c = st.NewCommitter("j", 0, 0)
		for i := 0; i < n; i += 100 {
			r := scaleRecord(i)
			r.CopiedAt = r.CopiedAt.Add(time.Hour)
			if err := c.Put(r); err != nil {
				b.Fatal(err)
			}
		}
		if err := c.Close(); err != nil {
			b.Fatal(err)
		}
		delta := time.Since(start)
		st.Close()
		after, err := os.Stat(path)
		if err != nil {
			b.Fatal(err)
		}

		b.ReportMetric(float64(fi.Size())/float64(n), "bytes/record")
		b.ReportMetric(float64(after.Size())/float64(n), "bytes/record-after-1%")
		b.ReportMetric(float64(commit.Nanoseconds())/float64(n), "ns/record-commit")
		b.ReportMetric(float64(open.Nanoseconds()), "ns-open")
		b.ReportMetric(float64(scan.Nanoseconds())/float64(n), "ns/record-scan")
		b.ReportMetric(float64(delta.Nanoseconds())/float64(n/100), "ns/record-commit-1%")
	}
}
