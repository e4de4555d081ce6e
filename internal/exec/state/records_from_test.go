package state

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lakesync/lakesync/internal/plan"
)

// TestRecordsFrom scans from a seek key across chunk boundaries and stops
// at the end of the prefix; a seek before the prefix starts at the prefix.
func TestRecordsFrom(t *testing.T) {
	s, _ := openTemp(t)
	var keys []string
	for i := range 2500 {
		keys = append(keys, fmt.Sprintf("a/%05d", i))
	}
	var recs []plan.StateRecord
	for _, k := range append([]string{"a", "0"}, append(keys, "b/0")...) {
		recs = append(recs, testRecord(k))
	}
	if err := s.Put("j", recs...); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		seek string
		want []string
	}{
		{"a/00700", keys[700:]},
		{"a/00700x", keys[701:]},
		{"", keys},
		{"b", nil},
	} {
		var got []string
		for r, err := range s.RecordsFrom(context.Background(), "j", "a/", tc.seek) {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, r.SourceKey)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("RecordsFrom(seek %q) (-want +got):\n%s", tc.seek, diff)
		}
	}
}
