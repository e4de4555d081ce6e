package copier

import (
	"sync"
	"testing"
	"time"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/testenv/world"
)

// copyWorld is the shared copier world (world.Copy) with this package's
// helpers on it.
type copyWorld struct{ *world.Copy }

func newCopyWorld(t *testing.T) *copyWorld {
	t.Helper()
	return &copyWorld{world.NewCopy(t, motoSrv)}
}

// copier returns a copier of the job's transfer over a fresh or existing
// state file; close the store when done.
func (w *copyWorld) copier(t *testing.T, job *config.Job, events *eventLog) *Copier {
	t.Helper()
	c := &Copier{State: w.OpenState(t), KMSKeyID: w.KeyARN, CommitInterval: 10 * time.Millisecond}
	c.Source, c.Destination = w.CopyClients(job)
	if events != nil {
		c.Listener = events
	}
	return c
}

// run runs the job with a new copier and closes its store.
func (w *copyWorld) run(t *testing.T, job *config.Job) (CopySummary, *eventLog, error) {
	t.Helper()
	events := &eventLog{}
	c := w.copier(t, job, events)
	sum, err := c.Run(t.Context(), job)
	c.State.Close()
	return sum, events, err
}

func body(i, size int) []byte { return world.Body(i, size) }

func must(t *testing.T, err error) {
	t.Helper()
	world.Must(t, err)
}

// eventLog records events; safe for the copier's serialized calls and the
// test reading it afterwards.
type eventLog struct {
	mu     sync.Mutex
	events []CopyEvent
	hook   func(CopyEvent)
}

func (l *eventLog) OnCopyEvent(e CopyEvent) {
	l.mu.Lock()
	l.events = append(l.events, e)
	l.mu.Unlock()
	if l.hook != nil {
		l.hook(e)
	}
}

func (l *eventLog) count(pred func(CopyEvent) bool) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, e := range l.events {
		if pred(e) {
			n++
		}
	}
	return n
}
