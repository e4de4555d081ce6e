package s3state

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/plan"
)

// BenchmarkCheckpointBytes measures, without S3, what a checkpoint of a
// state of N records uploads after 1% of them changed (the delta; the
// index adds about 150 bytes a delta) against the whole state (the base).
// N is LAKESYNC_STATE_N (default 20,000):
//
//	LAKESYNC_STATE_N=1000000 go test -run '^$' -bench CheckpointBytes -benchtime 1x ./internal/exec/state/s3state
//
// It is a benchmark, never run by go test; TestRemoteStateCheckpointBytes
// asserts the ratio on moto at 100,000.
func BenchmarkCheckpointBytes(b *testing.B) {
	n := 20_000
	if s := os.Getenv("LAKESYNC_STATE_N"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 100 {
			b.Fatalf("LAKESYNC_STATE_N=%q: want a number of at least 100", s)
		}
		n = v
	}
	first := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	for b.Loop() {
		st, err := state.Open(filepath.Join(b.TempDir(), "state"), state.Options{TrackChanges: true})
		if err != nil {
			b.Fatal(err)
		}
		for i := 0; i < n; i += 10_000 {
			var recs []plan.StateRecord
			for j := i; j < min(n, i+10_000); j++ {
				recs = append(recs, lakeRecord(j, first.Add(time.Duration(j)*time.Millisecond)))
			}
			if err := st.Apply("job", recs, nil); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := st.TakeChanges(); err != nil {
			b.Fatal(err)
		}
		cw := &countWriter{}
		if _, err := st.Snapshot(cw); err != nil {
			b.Fatal(err)
		}
		var recs []plan.StateRecord
		for i := 0; i < n; i += 100 {
			recs = append(recs, lakeRecord(i, first.Add(time.Hour)))
		}
		if err := st.Apply("job", recs, nil); err != nil {
			b.Fatal(err)
		}
		c, err := st.TakeChanges()
		if err != nil {
			b.Fatal(err)
		}
		delta, err := encodeDelta(deltaHeader{State: "lakesync/prod.state", BaseETag: `"0123456789abcdef0123456789abcdef"`, N: 1}, c)
		if err != nil {
			b.Fatal(err)
		}
		st.Close()
		b.ReportMetric(float64(cw.n), "base-bytes")
		b.ReportMetric(float64(cw.n)/float64(n), "base-bytes/record")
		b.ReportMetric(float64(len(delta)), "delta-bytes")
		b.ReportMetric(100*float64(len(delta))/float64(cw.n), "delta-%-of-base")
	}
}

type countWriter struct{ n int64 }

func (w *countWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }
