package main

import (
	"testing"

	"github.com/lakesync/lakesync/internal/config"
)

func TestGCPercent(t *testing.T) {
	server := &config.Job{Transfer: config.TransferServerSide}
	stream := &config.Job{Transfer: config.TransferStream}
	cases := []struct {
		name string
		jobs []*config.Job
		want int
	}{
		{"no jobs", nil, 400},
		{"server-side only", []*config.Job{server, server}, 400},
		// stream buffers are part size x concurrency: a higher GOGC
		// would let the heap grow past the promised bound
		{"one stream job", []*config.Job{server, stream}, 100},
	}
	for _, c := range cases {
		if got := gcPercent(&config.Config{Jobs: c.jobs}); got != c.want {
			t.Errorf("%s: gcPercent = %d, want %d", c.name, got, c.want)
		}
	}
}
