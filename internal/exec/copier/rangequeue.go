package copier

import (
	"sync"

	"github.com/lakesync/lakesync/internal/plan"
)

// rangeQueue holds the key ranges of a run waiting to be listed: the
// ranges the run starts with, and the pieces that ranges proving large
// hand on. It stays small: a piece is handed on only while fewer ranges
// wait than there are listers (offer), so the queue never holds more
// than its first ranges or the listers plus one.
type rangeQueue struct {
	mu     sync.Mutex
	cond   sync.Cond
	ranges []plan.KeyRange
	busy   int // listers working on a range, which may hand on a piece
	closed bool
}

func newRangeQueue(ranges []plan.KeyRange) *rangeQueue {
	q := &rangeQueue{ranges: ranges}
	q.cond.L = &q.mu
	return q
}

// take returns the next range to list, waiting while none waits and some
// lister may still hand one on. ok is false when every range is done or
// the queue is closed. A taken range is finished with finish.
func (q *rangeQueue) take() (kr plan.KeyRange, ok bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.ranges) == 0 && q.busy > 0 && !q.closed {
		q.cond.Wait()
	}
	if len(q.ranges) == 0 || q.closed {
		return plan.KeyRange{}, false
	}
	kr = q.ranges[0]
	q.ranges = q.ranges[1:]
	q.busy++
	return kr, true
}

// finish ends a range take returned.
func (q *rangeQueue) finish() {
	q.mu.Lock()
	q.busy--
	q.mu.Unlock()
	q.cond.Broadcast()
}

// offer queues kr when fewer than want ranges wait, and reports whether
// it did: a lister hands half of its rest on only when another lister
// may be idle for it.
func (q *rangeQueue) offer(kr plan.KeyRange, want int) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed || len(q.ranges) >= want {
		return false
	}
	q.ranges = append(q.ranges, kr)
	q.cond.Signal()
	return true
}

// close ends every take: the run stops.
func (q *rangeQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.cond.Broadcast()
}

// add queues ranges whatever the queue holds: the pieces a run's key
// space is divided into once (at most 4 x the listers).
func (q *rangeQueue) add(ranges ...plan.KeyRange) {
	if len(ranges) == 0 {
		return
	}
	q.mu.Lock()
	if !q.closed {
		q.ranges = append(q.ranges, ranges...)
	}
	q.mu.Unlock()
	q.cond.Broadcast()
}
