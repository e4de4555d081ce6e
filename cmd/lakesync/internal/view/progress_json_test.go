package view

import (
	"bytes"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lakesync/lakesync/internal/exec/copier"
)

// TestJSONObjectElapsedInFlight: each object line says when it ended,
// since the copy began, and the requests in flight then, for the run
// report's charts over time.
func TestJSONObjectElapsedInFlight(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := start
	var buf bytes.Buffer
	v := &jsonCopy{w: &buf, now: func() time.Time { return at }, start: start}
	at = start.Add(1500 * time.Millisecond)
	v.OnCopyEvent(&copier.ObjectDone{Job: "j", Key: "a", DestKey: "a", Bytes: 3, Action: "copy", Duration: time.Second, InFlight: 4})
	want := `{"type":"object","job":"j","key":"a","destination_key":"a","action":"copy","bytes":3,"seconds":1,"elapsed":1.5,"in_flight":4}` + "\n"
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("object line (-want +got):\n%s", diff)
	}
}
