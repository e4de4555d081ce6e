package copier

import (
	"fmt"
	"iter"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/plan"
)

// scheduleOneStream runs a job whose source listing is not a listing of
// the source bucket, which key ranges cannot list apart: an S3 Inventory
// report (one sorted stream read from its data files), or the versions
// current at source_as_of (one ListObjectVersions stream; listing it in
// key ranges, as ranger does the objects, is left to do). The job is
// merged as one stream against the destination listing. A shard of a
// saved plan (Copier.Ranges set) acts only on the keys of its own ranges,
// so every key is still handled by exactly one shard.
func (r *run) scheduleOneStream() error {
	job := r.job
	t := &tally{}
	count := r.countListed(t)
	src, err := openSource(r.work, job, r.pool, r.opts, r.c.Source, r.c.State,
		func(o plan.SourceObject) {
			if _, ok := r.sel.SourceRel(o.Key); ok {
				count(o)
			}
		})
	if err != nil {
		r.fatal(err)
		return err
	}
	r.listing = src.listing
	r.count(func(s *CopySummary) { s.SourceListing = src.listing })
	recs := r.c.State.Records(r.work, job.Name, job.SourcePrefix)
	var dst iter.Seq2[plan.DestinationObject, error] // cp: never compared
	if job.Mode == config.ModeSync {
		dst = destinationObjects(listPages(r.work, r.pool, r.opts, r.c.Destination, job.Destination.BucketName, job.DestinationPrefix))
	}
	d := r.newDispatch()
	var loopErr error
	for it, err := range plan.Merge(r.sel, r.rules, src.objects, recs, dst) {
		if r.halted() {
			break
		}
		if err != nil {
			loopErr = fmt.Errorf("job %q: %w", job.Name, err)
			r.fatal(loopErr)
			break
		}
		if inRanges(r.c.Ranges, it.Rel) {
			r.decided(it, t, d.hand)
		}
	}
	if loopErr == nil && !r.halted() {
		r.emit(t.event(job.Name, true))
	}
	d.wait()
	return loopErr
}

// inRanges reports whether rel is in one of ranges; nil ranges hold
// every key.
func inRanges(ranges []plan.KeyRange, rel string) bool {
	if ranges == nil {
		return true
	}
	for _, kr := range ranges {
		if kr.Contains(rel) {
			return true
		}
	}
	return false
}
