package view

import (
	"io"
	"testing"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/copier"
	"github.com/lakesync/lakesync/internal/plan"
)

// BenchmarkCopyView is the cost of the progress view per object (a
// started and a done event), on a terminal (the bar) and off one (a line
// every 5 s), to set against the copier's own cost per object
// (BenchmarkCopierPerObject in internal/exec): the view runs under the
// copier's event lock, so it must stay far below it.
//
//	go test ./cmd/lakesync -run '^$' -bench CopyView -benchmem
func BenchmarkCopyView(b *testing.B) {
	for _, tty := range []bool{true, false} {
		name := "plain"
		if tty {
			name = "tty"
		}
		b.Run(name, func(b *testing.B) {
			v := &copyView{w: io.Discard, tty: tty}
			v.Begin(&config.Job{Name: "bench"})
			v.OnCopyEvent(&copier.Listed{Job: "bench", Objects: int64(b.N), Bytes: int64(b.N) * 100 << 10, Done: true})
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				v.OnCopyEvent(&copier.ObjectStarted{Job: "bench", Key: "obj", Size: 100 << 10, Action: plan.ObjectNew})
				v.OnCopyEvent(&copier.ObjectDone{Job: "bench", Key: "obj", Bytes: 100 << 10, Action: plan.ObjectNew})
			}
			if v.done == 0 {
				b.Fatal("the view counted no object")
			}
		})
	}
}
