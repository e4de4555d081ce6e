package copier

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/sync/errgroup"

	"github.com/lakesync/lakesync/internal/config"
)

// listRecorder records the ListObjectsV2 calls of a source.
type listRecorder struct {
	CopySource
	mu          sync.Mutex
	startAfters []string
	delimited   int
}

func (l *listRecorder) ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, opts ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	l.mu.Lock()
	if in.Delimiter != nil {
		l.delimited++
	} else {
		l.startAfters = append(l.startAfters, aws.ToString(in.StartAfter))
	}
	l.mu.Unlock()
	return l.CopySource.ListObjectsV2(ctx, in, opts...)
}

// rangeRun is one job's run in TestRangesMatchOneStream, with its own
// destination prefix and state file.
type rangeRun struct {
	job     *config.Job
	state   string
	lists   *listRecorder
	sum     CopySummary
	actions []string // "rel action", sorted
}

func (rr *rangeRun) run(t *testing.T, w *copyWorld) {
	t.Helper()
	w.State = rr.state
	events := &eventLog{}
	c := w.copier(t, rr.job, events)
	rr.lists = &listRecorder{CopySource: c.Source}
	c.Source = rr.lists
	sum, err := c.Run(t.Context(), rr.job)
	c.State.Close()
	if err != nil {
		t.Fatalf("list_parallelism %d: %v", rr.job.ListParallelism, err)
	}
	rr.sum = CopySummary{Copied: sum.Copied, Bytes: sum.Bytes, Adopted: sum.Adopted, Deleted: sum.Deleted, Skipped: sum.Skipped, Failed: sum.Failed}
	rr.actions = nil
	for _, e := range events.events {
		if d, ok := e.(*ObjectDone); ok {
			rr.actions = append(rr.actions, strings.TrimPrefix(d.Key, "exports/")+" "+string(d.Action))
		}
	}
	slices.Sort(rr.actions)
}

// records are the source keys of the run's state.
func (rr *rangeRun) records(t *testing.T, w *copyWorld) []string {
	t.Helper()
	w.State = rr.state
	st := w.OpenState(t)
	defer st.Close()
	var keys []string
	for r, err := range st.Records(t.Context(), rr.job.Name, "") {
		must(t, err)
		keys = append(keys, r.SourceKey+" "+strings.TrimPrefix(strings.TrimPrefix(r.DestKey, "one/"), "many/"))
	}
	return keys
}

// TestRangesMatchOneStream copies one source twice, with one key range
// listed at a time and with eight: the destination, the state and every
// decision are the same, before and after adds, changes and deletes at
// range boundaries; and the parallel run did list in ranges, splitting
// the one prefix that holds more than a page.
func TestRangesMatchOneStream(t *testing.T) {
	w := newCopyWorld(t)
	var keys []string
	for i := range 1200 {
		keys = append(keys, fmt.Sprintf("exports/big/%04d", i))
	}
	for p := range 5 {
		for i := range 10 {
			keys = append(keys, fmt.Sprintf("exports/s%d/x%d", p, i))
		}
	}
	for i := range 30 {
		keys = append(keys, fmt.Sprintf("exports/f%03d", i))
	}
	keys = append(keys, "exports/big", "exports/s2/", "exports/", "exports/é/ü", "exports/s4")
	putAll(t, w, keys, 0)

	var runs []*rangeRun
	for _, p := range []int{1, 8} {
		job := w.Job(config.ModeSync, config.TransferServerSide)
		job.ListParallelism, job.Delete = p, true
		job.DestinationPrefix = map[int]string{1: "one/", 8: "many/"}[p]
		runs = append(runs, &rangeRun{job: job, state: w.State + fmt.Sprint(p)})
	}
	compare := func(round string) {
		t.Helper()
		for _, rr := range runs {
			rr.run(t, w)
		}
		one, many := runs[0], runs[1]
		if diff := cmp.Diff(one.sum, many.sum); diff != "" {
			t.Errorf("%s: the summary of 8 ranges at once differs from one (-one +eight):\n%s", round, diff)
		}
		if diff := cmp.Diff(one.actions, many.actions); diff != "" {
			t.Errorf("%s: the decisions differ (-one +eight):\n%s", round, diff)
		}
		if diff := cmp.Diff(one.records(t, w), many.records(t, w)); diff != "" {
			t.Errorf("%s: the state records differ (-one +eight):\n%s", round, diff)
		}
		var dst [2][]string
		for _, k := range w.DestinationKeys(t) {
			if rel, ok := strings.CutPrefix(k, "one/"); ok {
				dst[0] = append(dst[0], rel)
			} else if rel, ok := strings.CutPrefix(k, "many/"); ok {
				dst[1] = append(dst[1], rel)
			}
		}
		if diff := cmp.Diff(dst[0], dst[1]); diff != "" {
			t.Errorf("%s: the destinations differ (-one +eight):\n%s", round, diff)
		}
	}
	compare("first copy")
	// "exports/s2/" is a folder marker, which no job copies.
	if got := runs[0].sum.Copied; got != int64(len(keys)-1) {
		t.Errorf("first copy: %d copied, want %d", got, len(keys)-1)
	}
	many := runs[1].lists
	inBig := 0
	for _, sa := range many.startAfters {
		if strings.HasPrefix(sa, "exports/big/") {
			inBig++
		}
	}
	if many.delimited != 1 || inBig == 0 || len(slices.Compact(slices.Sorted(slices.Values(many.startAfters)))) < 6 {
		t.Errorf("eight ranges at once: %d delimiter listings, source listings from %q: want one delimiter listing and ranges that split big/", many.delimited, many.startAfters)
	}
	if one := runs[0].lists; one.delimited != 0 || len(one.startAfters) != 2 {
		t.Errorf("one range: %d delimiter listings, source listings from %q: want none and the 2 pages of one stream", one.delimited, one.startAfters)
	}

	// Adds, changes and deletes, at and around the boundaries.
	putAll(t, w, []string{"exports/big/0999", "exports/s1/x0", "exports/f000"}, 7)
	putAll(t, w, []string{"exports/big/1200", "exports/s10/new", "exports/bigger", "exports/a"}, 0)
	for _, k := range []string{"exports/big/1000", "exports/big/0000", "exports/s2/", "exports/s3/x9", "exports/"} {
		_, err := w.Prod.S3().DeleteObject(t.Context(), &s3.DeleteObjectInput{Bucket: aws.String("prod-data"), Key: aws.String(k)})
		must(t, err)
	}
	for _, k := range []string{"one/big/1500", "many/big/1500", "one/s0/x1", "many/s0/x1"} {
		_, err := w.Lake.S3().DeleteObject(t.Context(), &s3.DeleteObjectInput{Bucket: aws.String("lake-raw"), Key: aws.String(k)})
		must(t, err)
	}
	compare("after changes")
	if s := runs[1].sum; s.Copied < 6 || s.Deleted != 4 {
		t.Errorf("after changes: %+v, want at least 6 copied (4 new, 2 missing) and 4 deleted", s)
	}
}

// putAll writes the keys at once, each with the body of seed.
func putAll(t *testing.T, w *copyWorld, keys []string, seed int) {
	t.Helper()
	var g errgroup.Group
	g.SetLimit(16)
	for i, k := range keys {
		g.Go(func() error {
			return w.Prod.PutObject(t.Context(), "prod-data", k, body(i+seed, 16))
		})
	}
	must(t, g.Wait())
}
