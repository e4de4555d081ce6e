package copier

import (
	"fmt"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/plan"
)

// tally counts the listing's progress across the ranges listed at once.
type tally struct {
	listedN, listedB, unchangedN, unchangedB, deletesN atomic.Int64
}

func (t *tally) event(job string, done bool) *Listed {
	return &Listed{Job: job, Objects: t.listedN.Load(), Bytes: t.listedB.Load(), Done: done,
		Unchanged: t.unchangedN.Load(), UnchangedBytes: t.unchangedB.Load(), Deletes: t.deletesN.Load()}
}

// schedule lists the job's key ranges, ListParallelism at once under the
// run's one request pool, merges each on its own, and hands each decision
// to the workers (copies, adoptions) or the delete batches, from this
// goroutine alone.
func (r *run) schedule() error {
	job := r.job
	if job.SourceInventory != nil || !job.SourceAsOf.IsZero() {
		return r.scheduleOneStream()
	}
	t := &tally{}
	g := &ranger{job: job, sel: r.sel, rules: r.rules, pool: r.pool, opts: r.opts, src: r.c.Source, store: r.c.State,
		listed: r.countListed(t)}
	if job.Mode == config.ModeSync {
		g.dst = r.c.Destination
	}
	ranges, err := r.startRanges()
	if err != nil {
		err = fmt.Errorf("job %q: %w", job.Name, err)
		r.fatal(err)
		return err
	}
	q := newRangeQueue(ranges)
	tasks := make(chan plan.Item, 64)
	p := ListParallelism(job)
	// A run without ranges of its own lists the first page of its whole
	// key space first: a job of one page costs one LIST per side, as a
	// single stream does. Only when there is more is the rest divided at
	// the source's common prefixes (divide: once, by the lister of that
	// first page).
	var divide atomic.Bool
	divide.Store(r.c.Ranges == nil && p > 1)
	var eg errgroup.Group
	for range p {
		eg.Go(func() error {
			for kr, ok := q.take(); ok; kr, ok = q.take() {
				err := r.listRange(g, q, p, kr, t, tasks, &divide)
				q.finish()
				if err != nil {
					err = fmt.Errorf("job %q: %w", job.Name, err)
					r.fatal(err)
					q.close()
					return err
				}
				if r.halted() {
					q.close()
				}
			}
			return nil
		})
	}
	var loopErr error
	go func() {
		loopErr = eg.Wait()
		close(tasks)
	}()
	d := r.newDispatch()
	for it := range tasks {
		if !r.halted() {
			d.hand(it)
		}
	}
	if loopErr == nil && !r.halted() {
		r.emit(t.event(job.Name, true))
	}
	d.wait()
	return loopErr
}

// startRanges are the key ranges the run starts with: the Copier's (a
// shard's ranges of a saved plan), or the job's whole key space, divided
// once its first page shows there is more (see divideRest).
func (r *run) startRanges() ([]plan.KeyRange, error) {
	if r.c.Ranges != nil {
		return r.c.Ranges, nil
	}
	return []plan.KeyRange{plan.AllKeys()}, nil
}

// divideRest cuts the rest of the key space after the run's first page
// at the common prefixes of one delimiter listing of the source: the
// pieces go to the queue, the first is listed on by the caller. A space
// without prefixes inside the rest is one piece, which splits as it
// proves large.
func (r *run) divideRest(g *ranger, q *rangeQueue, p int, rest plan.KeyRange) (plan.KeyRange, error) {
	bounds, err := rangeBoundaries(r.work, g.pool, g.opts, g.src, r.job, 4*p)
	if err != nil {
		return plan.KeyRange{}, err
	}
	pieces := rest.Divide(bounds)
	q.add(pieces[1:]...)
	return pieces[0], nil
}

// listRange lists and merges kr step by step, handing its decisions on.
// A range whose listing goes on past a step hands half of its rest to the
// queue while fewer than p ranges wait there, and lists the other half.
func (r *run) listRange(g *ranger, q *rangeQueue, p int, kr plan.KeyRange, t *tally, tasks chan<- plan.Item, divide *atomic.Bool) error {
	var seen plan.Alphabet // a sample of the rels, where a split cuts
	var c carry            // what the last step listed past its end
	n := 0
	for {
		items, rest, more, next, err := g.step(r.work, kr, c)
		if err != nil {
			return err
		}
		for it, err := range items {
			if r.halted() {
				return nil
			}
			if err != nil {
				return err
			}
			r.decided(it, t, func(it plan.Item) { tasks <- it })
			if n++; n%64 == 1 {
				seen.Add(it.Rel)
			}
		}
		if !more || r.halted() {
			return nil
		}
		kr, c = rest, next
		if p <= 1 {
			continue
		}
		if divide.CompareAndSwap(true, false) {
			c = carry{} // the rest is cut into pieces: each lists its own
			if kr, err = r.divideRest(g, q, p, rest); err != nil {
				return err
			}
			continue
		}
		if r.job.ListParallelism == 0 {
			// "auto" divides at the common prefixes only: measured on MinIO
			// (bench noop-sync-large, 20,000 flat keys), splitting ranges
			// mid-way tripled the LIST requests (127 against 42) and the
			// time; a number for list_parallelism splits as ranges prove
			// large.
			continue
		}
		if pieces := rest.Split(2, &seen, r.sel.MaxRelBytes()); len(pieces) == 2 && q.offer(pieces[1], p) {
			kr, c = pieces[0], carry{}
		}
	}
}

// decided counts or records a decision that needs no request, and hands
// the others to the scheduler: copies and adoptions for the workers,
// deletes for the batches.
func (r *run) decided(it plan.Item, t *tally, hand func(plan.Item)) {
	switch {
	case it.ObjectAction == plan.ObjectUnchanged || it.ObjectAction == plan.ObjectKeep:
		if it.Source != nil {
			t.unchangedN.Add(1)
			t.unchangedB.Add(it.Source.Size)
		}
		r.count(func(s *CopySummary) { s.Skipped++ })
	case it.ObjectAction == plan.ObjectForget:
		r.record(func() error { return r.commit.Delete(r.sel.SourceKey(it.Rel)) })
	case it.ObjectAction == plan.ObjectDelete && r.c.AdoptOnly:
		r.count(func(s *CopySummary) { s.Skipped++ })
	case it.ObjectAction == plan.ObjectDelete:
		t.deletesN.Add(1)
		hand(it.Clone())
	default:
		hand(it.Clone())
	}
}

// dispatch runs the decisions that need requests: copies and adoptions on
// the run's workers, deletes in batches (or, when the listing is an S3
// Inventory report, each after a HEAD confirms its source is gone).
type dispatch struct {
	r    *run
	w    *workers
	dels *deleteBatch
}

func (r *run) newDispatch() *dispatch {
	w := r.pool.workers()
	return &dispatch{r: r, w: w, dels: &deleteBatch{r: r, w: w}}
}

// hand runs it, an item the caller owns (cloned).
func (d *dispatch) hand(it plan.Item) {
	switch {
	case it.ObjectAction == plan.ObjectDelete && d.r.listing != nil:
		d.w.Go(func() { d.r.deleteIfGone(it) })
	case it.ObjectAction == plan.ObjectDelete:
		d.dels.add(it)
	default:
		d.w.Go(func() { d.r.object(it) })
	}
}

// wait sends the last delete batch and waits for every request.
func (d *dispatch) wait() {
	d.dels.flush()
	d.w.Wait()
}

// countListed counts a selected source object of the listing into t,
// with a Listed event every 1,000.
func (r *run) countListed(t *tally) func(plan.SourceObject) {
	return func(o plan.SourceObject) {
		t.listedB.Add(o.Size)
		if t.listedN.Add(1)%1000 == 0 {
			r.emit(t.event(r.job.Name, false))
		}
	}
}
