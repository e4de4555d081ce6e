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
		listed: func(o plan.SourceObject) {
			t.listedB.Add(o.Size)
			if t.listedN.Add(1)%1000 == 0 {
				r.emit(t.event(job.Name, false))
			}
		}}
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
	var eg errgroup.Group
	for range p {
		eg.Go(func() error {
			for kr, ok := q.take(); ok; kr, ok = q.take() {
				err := r.listRange(g, q, p, kr, t, tasks)
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
	w := r.pool.workers()
	dels := &deleteBatch{r: r, w: w}
	for it := range tasks {
		switch {
		case r.halted():
		case it.ObjectAction == plan.ObjectDelete:
			dels.add(it)
		default:
			w.Go(func() { r.object(it) })
		}
	}
	if loopErr == nil && !r.halted() {
		r.emit(t.event(job.Name, true))
	}
	dels.flush()
	w.Wait()
	return loopErr
}

// startRanges are the key ranges the run starts with: the Copier's, or
// the job's whole key space, divided at the common prefixes of its source
// when more than one range is listed at once.
func (r *run) startRanges() ([]plan.KeyRange, error) {
	if r.c.Ranges != nil {
		return r.c.Ranges, nil
	}
	p := ListParallelism(r.job)
	if p <= 1 {
		return []plan.KeyRange{plan.AllKeys()}, nil
	}
	bounds, err := rangeBoundaries(r.work, r.pool, r.opts, r.c.Source, r.job, 4*p)
	if err != nil {
		return nil, err
	}
	return plan.Tile(bounds)
}

// listRange lists and merges kr step by step, handing its decisions on.
// A range whose listing goes on past a step hands half of its rest to the
// queue while fewer than p ranges wait there, and lists the other half.
func (r *run) listRange(g *ranger, q *rangeQueue, p int, kr plan.KeyRange, t *tally, tasks chan<- plan.Item) error {
	var seen plan.Alphabet // a sample of the rels, where a split cuts
	n := 0
	for {
		items, rest, more, err := g.step(r.work, kr)
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
			r.decided(it, t, tasks)
			if n++; n%64 == 1 {
				seen.Add(it.Rel)
			}
		}
		if !more || r.halted() {
			return nil
		}
		kr = rest
		if p <= 1 {
			continue
		}
		if pieces := rest.Split(2, &seen, r.sel.MaxRelBytes()); len(pieces) == 2 && q.offer(pieces[1], p) {
			kr = pieces[0]
		}
	}
}

// decided counts or records a decision that needs no request, and hands
// the others to the scheduler: copies and adoptions for the workers,
// deletes for the batches.
func (r *run) decided(it plan.Item, t *tally, tasks chan<- plan.Item) {
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
		tasks <- it.Clone()
	default:
		tasks <- it.Clone()
	}
}
