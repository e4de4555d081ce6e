package state

import (
	"fmt"
	"sync"
	"time"

	"github.com/lakesync/lakesync/internal/plan"
)

// Committer writes one job's records in batches as objects complete: a
// batch is committed when it holds Every changes or Interval has passed
// since its first change, whichever comes first. A record is handed over
// only once its object is fully written, so the file never claims a copy
// that did not complete; a crash loses at most the last batch, whose
// objects are copied again by the next run.
type Committer struct {
	store    *Store
	job      string
	every    int
	interval time.Duration

	ops  chan op
	done chan struct{}

	mu  sync.Mutex
	err error // first commit failure; every later call returns it
}

type op struct {
	rec     plan.StateRecord
	delete  string
	restore *plan.RestoreRequest
	flush   chan error // a flush request, answered after the commit
}

// NewCommitter starts a committer for job. every <= 0 means 500 and
// interval <= 0 means one second. Close it to commit the rest.
func (s *Store) NewCommitter(job string, every int, interval time.Duration) *Committer {
	if every <= 0 {
		every = 500
	}
	if interval <= 0 {
		interval = time.Second
	}
	c := &Committer{store: s, job: job, every: every, interval: interval,
		ops: make(chan op, every), done: make(chan struct{})}
	go c.loop()
	return c
}

// Put queues a record. It returns the error of an earlier failed commit:
// the caller must then stop, since nothing more can be recorded.
func (c *Committer) Put(rec plan.StateRecord) error {
	if err := c.Err(); err != nil {
		return err
	}
	c.ops <- op{rec: rec}
	return nil
}

// Delete queues the removal of a source key's record.
func (c *Committer) Delete(sourceKey string) error {
	if err := c.Err(); err != nil {
		return err
	}
	c.ops <- op{delete: sourceKey}
	return nil
}

// PutRestore queues a restore request to remember. A crash may lose it
// with its batch: the next run then asks S3 again, which answers that the
// restore is in progress.
func (c *Committer) PutRestore(req plan.RestoreRequest) error {
	if err := c.Err(); err != nil {
		return err
	}
	c.ops <- op{restore: &req}
	return nil
}

// Flush commits everything queued so far and returns the first error.
func (c *Committer) Flush() error {
	if err := c.Err(); err != nil {
		return err
	}
	ch := make(chan error, 1)
	c.ops <- op{flush: ch}
	return <-ch
}

// Err is the first commit failure, or nil.
func (c *Committer) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Close commits what is queued, stops the committer and returns the first
// commit failure. No Put or Delete may follow.
func (c *Committer) Close() error {
	close(c.ops)
	<-c.done
	return c.Err()
}

func (c *Committer) loop() {
	defer close(c.done)
	var recs []plan.StateRecord
	var dels []string
	var restores []plan.RestoreRequest
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	commit := func() {
		timer.Stop()
		if len(recs) == 0 && len(dels) == 0 && len(restores) == 0 {
			return
		}
		if c.Err() == nil {
			if err := c.store.apply(c.job, recs, dels, restores); err != nil {
				c.mu.Lock()
				c.err = fmt.Errorf("recording progress of job %q: %w", c.job, err)
				c.mu.Unlock()
			}
		}
		recs, dels, restores = recs[:0], dels[:0], restores[:0]
	}
	for {
		select {
		case o, ok := <-c.ops:
			if !ok {
				commit()
				return
			}
			switch {
			case o.flush != nil:
				commit()
				o.flush <- c.Err()
				continue
			case o.delete != "":
				dels = append(dels, o.delete)
			case o.restore != nil:
				restores = append(restores, *o.restore)
			default:
				recs = append(recs, o.rec)
			}
			if n := len(recs) + len(dels) + len(restores); n == 1 {
				timer.Reset(c.interval)
			}
			if len(recs)+len(dels)+len(restores) >= c.every {
				commit()
			}
		case <-timer.C:
			commit()
		}
	}
}
