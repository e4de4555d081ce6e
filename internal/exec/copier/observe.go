package copier

import (
	"context"
	"fmt"
	"iter"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/plan"
)

// Lister is the one S3 operation a data observation needs.
type Lister interface {
	ListObjectsV2(context.Context, *s3.ListObjectsV2Input, ...func(*s3.Options)) (*s3.ListObjectsV2Output, error)
}

// ObserveData counts what a run of job would do, without copying: it
// merges the source listing, the state records (store may be nil: no
// records yet) and, for sync, the destination listing, exactly as a run
// does, keeping up to maxKeys keys of each action. src and dst list with
// the accounts' own credentials, so a plan works before the copier role
// is granted anything.
//
// Adoption needs the checksums of two HEAD requests per object, which a
// plan does not make: an unrecorded destination object of the same size
// counts as a copy, an upper bound.
//
// shard restricts the observation to one shard's keys, as a run with the
// same shard does; the zero Shard observes every key.
//
// A source prefix that matches no object costs one listing more, of the
// level above it (obs.EmptySource), for the plan's warning.
func ObserveData(ctx context.Context, job *config.Job, src SourceReader, dst Lister, store *state.Store, maxKeys int, shard plan.Shard) (*plan.JobObservation, error) {
	listed := &countingLister{SourceReader: src}
	var streamed int64 // the objects of an inventory's stream
	s, items, err := plannedItems(ctx, job, listed, dst, store, shard, func(plan.SourceObject) { streamed++ })
	if err != nil {
		return nil, err
	}
	obs := plan.NewJobObservation(job, maxKeys)
	obs.SourceListing = s.listing
	for it, err := range items {
		if err != nil {
			return nil, fmt.Errorf("job %q: %w", job.Name, err)
		}
		if err := rememberedRestore(&it, job, store); err != nil {
			return nil, err
		}
		obs.Add(it)
	}
	empty := listed.objects.Load() == 0
	if s.listing != nil {
		empty = streamed == 0 // an inventory lists no source object
	}
	if empty {
		if obs.EmptySource, err = observeEmptySource(ctx, src, job); err != nil {
			return nil, err
		}
	}
	return obs, nil
}

// rememberedRestore sets the restore request the state remembers for an
// archived item of a job that restores them.
func rememberedRestore(it *plan.Item, job *config.Job, store *state.Store) error {
	if it.ObjectAction != plan.ObjectArchived || job.Archived != config.ArchivedRestore || store == nil {
		return nil
	}
	req, found, err := store.Restore(job.Name, it.Source.Key)
	if found {
		it.Restore = &req
	}
	return err
}

// PlannedItems are the decisions a run of job would make (shard: one
// shard's keys), merged from the source listing, the state records (store
// nil: none) and, for sync, the destination listing, without the HEADs a
// run makes to adopt: what a plan counts and a Batch manifest lists.
func PlannedItems(ctx context.Context, job *config.Job, src SourceReader, dst Lister, store *state.Store, shard plan.Shard) (iter.Seq2[plan.Item, error], error) {
	_, items, err := plannedItems(ctx, job, src, dst, store, shard, nil)
	return items, err
}

// plannedItems is PlannedItems, with the source listing it merges;
// listed is called with each source object (nil: not).
func plannedItems(ctx context.Context, job *config.Job, src SourceReader, dst Lister, store *state.Store, shard plan.Shard, listed func(plan.SourceObject)) (source, iter.Seq2[plan.Item, error], error) {
	sel, err := plan.NewSelector(job, plan.WithShard(shard))
	if err != nil {
		return source{}, nil, err
	}
	pool, opts := newJobPool(job), newJobOpts(job, 0)
	s, err := openSource(ctx, job, pool, opts, src, store, listed)
	if err != nil {
		return source{}, nil, err
	}
	var recs iter.Seq2[plan.StateRecord, error] // nil: no records
	if store != nil {
		recs = store.Records(ctx, job.Name, job.SourcePrefix)
	}
	var dstObjs iter.Seq2[plan.DestinationObject, error]
	if job.Mode == config.ModeSync {
		dstObjs = destinationObjects(listPages(ctx, pool, opts, dst, job.Destination.BucketName, job.DestinationPrefix))
	}
	return s, plan.Merge(sel, plan.RulesFor(job), s.objects, recs, dstObjs), nil
}
