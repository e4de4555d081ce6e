package plan

import (
	"testing"

	"github.com/lakesync/lakesync/internal/config"
)

func TestPartSize(t *testing.T) {
	const MiB, GiB, TiB = 1 << 20, 1 << 30, 1 << 40
	tests := []struct {
		size, configured, want int64
		parts                  int64
	}{
		{0, 0, 64 * MiB, 1},
		{12 * MiB, 5 * MiB, 5 * MiB, 3},
		{12 * MiB, 1 * MiB, 5 * MiB, 3},      // raised to the 5 MiB minimum
		{10 * GiB, 64 * MiB, 64 * MiB, 160},  // as configured
		{1 * TiB, 64 * MiB, 105 * MiB, 9987}, // raised to fit 10,000 parts
		{5 * TiB, 0, 525 * MiB, 9987},        // the largest object
		{100 * GiB, 8 * GiB, 5 * GiB, 20},    // lowered to the 5 GiB maximum
		{10000 * 5 * MiB, 5 * MiB, 5 * MiB, 10000},
		// Exactly 10,000 parts of 105 MiB: 105 MiB is enough, not 106.
		{10000 * 105 * MiB, 64 * MiB, 105 * MiB, 10000},
		// One byte more needs parts of 105 MiB + 1 byte, rounded up to
		// 106 MiB: ceil((10000*105 MiB + 1) / 106 MiB) = 9906 parts (105
		// MiB would make 10,001).
		{10000*105*MiB + 1, 64 * MiB, 106 * MiB, 9906},
		// A configured size that is not whole MiB is kept while 10,000 of
		// its parts hold the object.
		{10000 * (5*MiB + 1), 5*MiB + 1, 5*MiB + 1, 10000},
	}
	for _, tt := range tests {
		got, err := PartSize(tt.size, tt.configured)
		if err != nil || got != tt.want {
			t.Errorf("PartSize(%d, %d) = %d, %v; want %d", tt.size, tt.configured, got, err, tt.want)
			continue
		}
		if n := Parts(tt.size, got); n != tt.parts || n > config.MaxParts {
			t.Errorf("PartSize(%d, %d): %d parts, want %d", tt.size, tt.configured, n, tt.parts)
		}
	}
	for _, size := range []int64{5*TiB + 1, -1} {
		if _, err := PartSize(size, 0); err == nil {
			t.Errorf("PartSize(%d): no error", size)
		}
	}
}

// TestCopiedInParts: the copies apply makes in parts, as exec decides them
// (internal/exec: serverSide and stream), so that the estimate counts the
// requests apply makes.
func TestCopiedInParts(t *testing.T) {
	const MiB, GiB = 1 << 20, 1 << 30
	job := func(transfer config.Transfer, threshold, part int64) *config.Job {
		return &config.Job{Transfer: transfer, MultipartThreshold: threshold, PartSize: part}
	}
	ss, stream := config.TransferServerSide, config.TransferStream
	tests := []struct {
		name string
		job  *config.Job
		size int64
		want bool
	}{
		{"server-side, below the threshold", job(ss, 64*MiB, 16*MiB), 64*MiB - 1, false},
		{"server-side, at the threshold", job(ss, 64*MiB, 16*MiB), 64 * MiB, false},
		{"server-side, above the threshold", job(ss, 64*MiB, 16*MiB), 64*MiB + 1, true},
		{"server-side, above the part size only", job(ss, 5*GiB, 16*MiB), 1 * GiB, false},
		{"server-side, at CopyObject's 5 GiB", job(ss, 5*GiB, 64*MiB), 5 * GiB, false},
		{"server-side, over CopyObject's 5 GiB", job(ss, 5*GiB, 64*MiB), 5*GiB + 1, true},
		{"server-side, no threshold: 5 GiB", job(ss, 0, 64*MiB), 5 * GiB, false},
		{"server-side, no threshold, over 5 GiB", job(ss, 0, 64*MiB), 5*GiB + 1, true},
		{"server-side, a threshold over what CopyObject takes", job(ss, 6*GiB, 64*MiB), 5*GiB + 1, true},
		{"stream, one part", job(stream, 5*GiB, 16*MiB), 16 * MiB, false},
		{"stream, above the part size", job(stream, 5*GiB, 16*MiB), 16*MiB + 1, true},
		{"stream, above a threshold smaller than the part", job(stream, 8*MiB, 16*MiB), 8*MiB + 1, true},
		{"stream, at a threshold smaller than the part", job(stream, 8*MiB, 16*MiB), 8 * MiB, false},
		{"stream, no threshold: the part size", job(stream, 0, 16*MiB), 16 * MiB, false},
		{"stream, no threshold, above the part size", job(stream, 0, 16*MiB), 16*MiB + 1, true},
		{"stream, empty object", job(stream, 0, 16*MiB), 0, false},
	}
	for _, tt := range tests {
		if got := CopiedInParts(tt.job, tt.size); got != tt.want {
			t.Errorf("%s: CopiedInParts(%d) = %v, want %v", tt.name, tt.size, got, tt.want)
		}
	}
}
