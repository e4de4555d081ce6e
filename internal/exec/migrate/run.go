package migrate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec"
	"github.com/lakesync/lakesync/internal/exec/awserr"
	"github.com/lakesync/lakesync/internal/exec/bucketops"
	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/plan"
	"github.com/lakesync/lakesync/internal/policy"
)

// DefaultNameWait is how long step 4 waits for the name by default.
const DefaultNameWait = 2 * time.Hour

// Options of a migration run.
type Options struct {
	// ConfirmDeleteSource must be the source bucket's name for step 2 to
	// let step 3 delete it.
	ConfirmDeleteSource string
	// NameWait bounds step 4's wait for the name (0: DefaultNameWait).
	NameWait time.Duration
	// IgnoreReplication lets a source with replication rules go.
	IgnoreReplication bool
	// SettingsFile is where step 2 writes the settings that do not move,
	// with WriteFile (which replaces a file whole).
	SettingsFile string
	WriteFile    func(path string, data []byte) error
	// Approve is called once the refusals are checked, before anything
	// is written; an error stops the run.
	Approve func() error
	// Sleep is step 4's wait between attempts (nil: a timer honouring
	// ctx).
	Sleep func(ctx context.Context, d time.Duration) error
}

// Outcome is how a run ended without an error: Done, or Stopped at step
// 2 for want of the confirmation.
type Outcome int

// Outcomes of Run.
const (
	Done Outcome = iota
	Stopped
)

// ErrWrongConfirmation is wrapped by Run's error when
// ConfirmDeleteSource names another bucket than the source.
var ErrWrongConfirmation = errors.New("--confirm-delete-source does not name the bucket")

type run struct {
	m     *config.Migration
	base  *config.Config
	d     *derived
	acc   *exec.Accounts
	store *state.Store
	l     Listener
	opts  Options
	rec   state.MigrationRecord // as the run found it, then statusDeleting once step 3 deletes
	last  int                   // the last percentage sent
	// held is what the source held at step 2 of this run (versions and
	// delete markers): the measure of steps 3 and 6's deletions, so that
	// they need not list a bucket once to count it and again to empty
	// it; 0 in a run that resumed after step 2.
	held int64
}

// Run runs migration m of cfg from the step after the last one the state
// records, to step 6 or to step 2's stop. Nothing is written before the
// refusals are checked and opts.Approve agrees.
func Run(ctx context.Context, cfg *config.Config, m *config.Migration, acc *exec.Accounts, store *state.Store, l Listener, opts Options) (Outcome, error) {
	if opts.NameWait <= 0 {
		opts.NameWait = DefaultNameWait
	}
	r := &run{m: m, base: cfg, d: derive(m), acc: acc, store: store, l: l, opts: opts}
	rec, _, err := store.Migration(m.Name)
	if err != nil {
		return 0, err
	}
	r.rec = rec
	next := rec.Step + 1
	if next > Steps {
		l.Notice(fmt.Sprintf("migration %s: every step was done by an earlier run, nothing to do: point bucket.%s at account.%s (region %s) and remove the migration block",
			m.Name, m.Bucket.Name, m.To.Name, m.Region))
		return Done, nil
	}
	if err := r.refuse(ctx, next); err != nil {
		return 0, err
	}
	if opts.Approve != nil {
		if err := opts.Approve(); err != nil {
			return 0, err
		}
	}
	l.Start(next)
	steps := [Steps + 1]func(context.Context) error{nil, r.copyOut, r.confirm, r.deleteSource, r.recreate, r.copyBack, r.deleteTemporary}
	for step := next; step <= Steps; step++ {
		r.event(step, StatusStarted, percent(step, 0), "")
		err := steps[step](ctx)
		if errors.Is(err, errStopped) {
			return Stopped, nil
		}
		if err != nil {
			err = r.failed(step, err)
			r.event(step, StatusFailed, percent(step, 0), err.Error())
			return 0, err
		}
		if err := store.PutMigration(m.Name, state.MigrationRecord{Step: step, Status: StatusDone}); err != nil {
			return 0, err
		}
		r.event(step, StatusDone, percent(step, 1), "")
	}
	return Done, nil
}

// failed is the error of a step that failed, with what the user needs
// next: where the objects are, and how to go on. From the start of step
// 3's deletion to the end of step 5 the temporary bucket may hold the
// only complete copy.
func (r *run) failed(step int, err error) error {
	if errors.Is(err, ErrWrongConfirmation) {
		return err // it says what to run
	}
	again := fmt.Sprintf("run lakesync migrate %s again to resume at step %d", r.m.Name, step)
	switch {
	case step < StepDeleteSource || step == StepDeleteSource && r.rec.Status != statusDeleting:
		return fmt.Errorf("%w\nnothing was deleted; %s", err, again)
	case step <= StepCopyBack:
		return fmt.Errorf("%w\nevery object is in the temporary bucket %s (account %s, %s), copied and verified: keep it; %s",
			err, r.d.Temporary.BucketName, r.m.To.Name, r.m.To.ID, again)
	}
	return fmt.Errorf("%w\nevery object is in %s (account %s, %s), copied and verified; %s", err, r.d.Moved.BucketName, r.m.To.Name, r.m.To.ID, again)
}

// errStopped is step 2's stop without a confirmation.
var errStopped = errors.New("stopped")

func (r *run) event(step int, status string, pct int, msg string) {
	r.last = max(r.last, pct)
	r.l.Step(StepEvent{Migration: r.m.Name, Step: step, Status: status, Percent: pct, Message: msg})
}

// target is the bucketops target of bucket b, with its account's own
// credentials.
func (r *run) target(ctx context.Context, b *config.Bucket) (bucketops.Target, error) {
	c, err := r.acc.BucketS3(ctx, b, 0)
	if err != nil {
		return bucketops.Target{}, err
	}
	return bucketops.Target{Client: c, Bucket: b.BucketName, Account: b.Account}, nil
}

// refuse checks, before anything is written, what would stop the
// migration later: a source that cannot be emptied or whose replicas
// would be left behind (while it still exists), and a temporary bucket
// name another account holds (before step 1 is done).
func (r *run) refuse(ctx context.Context, next int) error {
	var refusals []error
	if next <= StepDeleteSource {
		src, err := r.target(ctx, r.m.Bucket)
		if err != nil {
			return err
		}
		found, err := bucketops.CheckSource(ctx, src, r.opts.IgnoreReplication)
		if next == StepDeleteSource && isNoSuchBucket(err) {
			err = nil // deleted by a run killed before it recorded step 3
		}
		if err != nil {
			return err
		}
		for _, f := range found {
			refusals = append(refusals, f)
		}
	}
	if next <= StepCopyOut {
		tmp, err := r.target(ctx, r.d.Temporary)
		if err != nil {
			return err
		}
		f, err := bucketops.CheckNameFree(ctx, tmp)
		if err != nil {
			return err
		}
		if f != nil {
			refusals = append(refusals, *f)
		}
	}
	if len(refusals) > 0 {
		return fmt.Errorf("migration %q refused, nothing was changed:\n%w", r.m.Name, errors.Join(refusals...))
	}
	return nil
}

// copyOut is step 1: the temporary bucket created with lakesync's
// settings, the source copied into it and verified.
func (r *run) copyOut(ctx context.Context) error {
	// A versioned source moves into versioned buckets: the temporary one
	// here, the recreated one in step 4 (which reads it off this one).
	v, err := r.versioned(ctx, r.m.Bucket)
	if err != nil {
		return err
	}
	r.d.Temporary.Versioning = v
	if err := r.applyConfig(ctx, r.d.config(r.base, r.d.Out, nil, r.d.Temporary)); err != nil {
		return err
	}
	return r.copyJob(ctx, r.d.Out, func(f float64) { r.progress(StepCopyOut, f) })
}

// progress sends a progress event when the whole percentage moves.
func (r *run) progress(step int, f float64) {
	if p := percent(step, f); p > r.last {
		r.event(step, StatusProgress, p, "")
	}
}

// confirm is step 2: it shows what will be deleted and writes the
// settings that will not move to SettingsFile; it goes on only when
// ConfirmDeleteSource names the source exactly.
func (r *run) confirm(ctx context.Context) error {
	src, err := r.target(ctx, r.m.Bucket)
	if err != nil {
		return err
	}
	census, err := bucketops.Count(ctx, src)
	if err != nil {
		return err
	}
	r.held = census.Objects + census.Versions + census.DeleteMarkers
	settings, err := bucketops.Leftovers(ctx, src, policy.Owned)
	if err != nil {
		return err
	}
	if settings == nil {
		settings = []bucketops.Setting{}
	}
	doc, err := json.MarshalIndent(settings, "", "  ")
	if err != nil {
		return err
	}
	if err := r.opts.WriteFile(r.opts.SettingsFile, append(doc, '\n')); err != nil {
		return fmt.Errorf("write the settings of %s to %s: %w", r.m.Bucket.BucketName, r.opts.SettingsFile, err)
	}
	r.l.Deletion(Deletion{Bucket: r.m.Bucket, Census: census, Settings: settings, File: r.opts.SettingsFile})
	name := r.m.Bucket.BucketName
	switch r.opts.ConfirmDeleteSource {
	case name:
		return nil
	case "":
		r.event(StepConfirm, StatusStopped, percent(StepConfirm, 0),
			fmt.Sprintf("nothing deleted: to delete %s (account %s) and go on, run lakesync migrate %s --confirm-delete-source %s", name, r.m.Bucket.Account.ID, r.m.Name, name))
		return errStopped
	}
	return fmt.Errorf("%w %s (%q given): nothing deleted; to delete it, run lakesync migrate %s --confirm-delete-source %s",
		ErrWrongConfirmation, name, r.opts.ConfirmDeleteSource, r.m.Name, name)
}

// deleteSource is step 3: what changed since step 1 copied and verified,
// then every version and delete marker of the source deleted, and the
// bucket.
//
// Once the deletion starts the state says so (statusDeleting): a run
// killed while it deletes resumes deleting, and never syncs again, which
// would delete from the temporary bucket the objects already deleted at
// the source.
func (r *run) deleteSource(ctx context.Context) error {
	if r.rec.Status != statusDeleting {
		if err := r.copyJob(ctx, r.d.Out, func(f float64) { r.progress(StepDeleteSource, f/2) }); err != nil {
			return err
		}
		if err := r.store.PutMigration(r.m.Name, state.MigrationRecord{Step: StepConfirm, Status: statusDeleting}); err != nil {
			return err
		}
		r.rec.Status = statusDeleting
	}
	return r.empty(ctx, StepDeleteSource, r.m.Bucket, 0.5, 1)
}

// statusDeleting is the state's status of step 2 once step 3's deletion
// of the source has started.
const statusDeleting = plan.MigrationDeletingSource

// empty empties and deletes bucket b, reporting progress from from to to
// of step against what the source held at step 2 (the temporary bucket
// holds about as much), counted first only in a run that resumed after
// step 2. A bucket already gone was deleted by a run killed after it.
func (r *run) empty(ctx context.Context, step int, b *config.Bucket, from, to float64) error {
	t, err := r.target(ctx, b)
	if err != nil {
		return err
	}
	total := r.held
	if total == 0 {
		census, err := bucketops.Count(ctx, t)
		if isNoSuchBucket(err) {
			r.acc.ForgetBucket(b.BucketName)
			return nil
		}
		if err != nil {
			return err
		}
		total = census.Objects + census.Versions + census.DeleteMarkers
	}
	err = bucketops.Empty(ctx, t, true, func(deleted int64) {
		if total > 0 {
			r.progress(step, from+(to-from)*min(1, float64(deleted)/float64(total)))
		}
	})
	if err == nil || isNoSuchBucket(err) {
		r.acc.ForgetBucket(b.BucketName)
		return nil
	}
	return err
}

// recreate is step 4: the bucket created under its own name in the
// destination account, waiting while S3 still holds the name.
func (r *run) recreate(ctx context.Context) error {
	w := bucketops.Waiter{Wait: r.opts.NameWait, Sleep: r.opts.Sleep, Name: r.d.Moved.BucketName,
		Notify: func(attempt int, err error, next time.Duration) {
			r.event(StepRecreate, StatusWaiting, percent(StepRecreate, 0),
				fmt.Sprintf("waiting for S3 to release the name %s (attempt %d: %v); trying again in %s, for up to %s in all",
					r.d.Moved.BucketName, attempt, errText(err), next.Round(time.Second), r.opts.NameWait))
		}}
	v, err := r.versioned(ctx, r.d.Temporary)
	if err != nil {
		return err
	}
	r.d.Moved.Versioning = v
	return w.CreateWaiting(ctx, func(ctx context.Context) error {
		return exec.CreateBucketThen(ctx, r.acc, r.d.Moved, &plan.BucketCreation{Versioning: v}, r.adopted)
	})
}

// adopted checks that the bucket step 4 adopts as the account's own
// (BucketAlreadyOwnedByYou: a run killed after it created it) is the new
// one: there, and in its region. In a move within one account S3 gives
// that answer while it still deletes the source, which is the old bucket
// in its old region, or none at all: the name is still held.
func (r *run) adopted(ctx context.Context) error {
	b := r.d.Moved
	region, ok, err := r.acc.BucketRegion(ctx, b)
	switch {
	case err != nil:
		return err
	case !ok:
		return fmt.Errorf("S3 answers that the account owns %s (BucketAlreadyOwnedByYou) and has no such bucket yet: %w", b.BucketName, bucketops.ErrNameHeld)
	case region != b.InRegion():
		r.acc.ForgetBucket(b.BucketName)
		return fmt.Errorf("S3 answers that the account owns %s (BucketAlreadyOwnedByYou), and it is in %s: the source, which S3 is still deleting: %w", b.BucketName, region, bucketops.ErrNameHeld)
	}
	return nil
}

// versioned reports whether bucket b has versioning enabled.
func (r *run) versioned(ctx context.Context, b *config.Bucket) (bool, error) {
	t, err := r.target(ctx, b)
	if err != nil {
		return false, err
	}
	return bucketops.Versioned(ctx, t)
}

// copyBack is step 5: the moved bucket's settings and policies applied,
// the temporary bucket copied into it and verified.
func (r *run) copyBack(ctx context.Context) error {
	if err := r.applyConfig(ctx, r.d.config(r.base, r.d.Back, r.m.Bucket, r.d.Temporary, r.d.Moved)); err != nil {
		return err
	}
	return r.copyJob(ctx, r.d.Back, func(f float64) { r.progress(StepCopyBack, f) })
}

// deleteTemporary is step 6: the temporary bucket emptied and deleted,
// then the migration's own statements taken out of the documents it
// wrote them to (the copier role's inline policy, the key's policy, the
// moved bucket's policy): the configuration's jobs are applied without
// the migration's, as the next apply would. A run killed in between
// finds the bucket gone and takes them out then.
func (r *run) deleteTemporary(ctx context.Context) error {
	if err := r.empty(ctx, StepDeleteTemp, r.d.Temporary, 0, 0.9); err != nil {
		return err
	}
	r.l.Notice(fmt.Sprintf("migration %s: removing the migration's own statements from the policies it wrote them to", r.m.Name))
	return r.applyConfig(ctx, r.d.config(r.base, nil, r.m.Bucket, r.d.Moved))
}

func isNoSuchBucket(err error) bool { return awserr.HasCode(err, "NoSuchBucket") }

// errText is err's first line.
func errText(err error) string {
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}
