package copier

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/awserr"
	"github.com/lakesync/lakesync/internal/plan"
)

// ObjectRestorer sends the restore requests of archived source objects.
// cmd gives it the source account's own client: restoring is the source
// bucket owner's business (it bills the owner and needs s3:RestoreObject),
// and the copier role is granted reads only.
type ObjectRestorer interface {
	RestoreObject(ctx context.Context, in *s3.RestoreObjectInput, optFns ...func(*s3.Options)) (*s3.RestoreObjectOutput, error)
}

var _ ObjectRestorer = (*s3.Client)(nil)

// ArchivedError is the failure of an archived source object: the job says
// archived = "fail", its restore tier is not offered for the object's
// class, or S3 refused to read an object the listing did not report
// archived.
type ArchivedError struct {
	Object string // s3://bucket/key
	Class  string // "GLACIER", "INTELLIGENT_TIERING (ARCHIVE_ACCESS)"; "" when unknown
	Hint   string // what to do
	Err    error  // S3's refusal, if any
}

func (e *ArchivedError) Error() string {
	var b strings.Builder
	b.WriteString(e.Object + " is archived")
	if e.Class != "" {
		b.WriteString(" (" + e.Class + ")")
	}
	b.WriteString(": " + e.Hint)
	if e.Err != nil {
		fmt.Fprintf(&b, " [S3: %s]", awserr.Code(e.Err))
	}
	return b.String()
}

func (e *ArchivedError) Unwrap() error { return e.Err }

// isArchivedRefusal reports whether S3 refused to read an object because
// it is archived: ObjectNotInActiveTierError (CopyObject, UploadPartCopy)
// or InvalidObjectState (GetObject, RestoreObject of a wrong class).
func isArchivedRefusal(err error) bool {
	return awserr.HasCode(err, "ObjectNotInActiveTierError", "InvalidObjectState")
}

// archivedCopyError turns S3's refusal to read an archived object into an
// error that says so and what to do; other errors are returned as they are.
func (r *run) archivedCopyError(it plan.Item, srcKey string, err error) error {
	if err == nil || !isArchivedRefusal(err) {
		return err
	}
	hint := `not copied; set archived = "restore" in sync "` + r.job.Name + `" to restore it and copy it once restored, or archived = "skip" to leave it`
	if r.job.Archived == config.ArchivedRestore {
		hint = "its restore has not completed or has expired: the next run asks for it again"
	}
	class := ""
	if it.Source != nil && it.Source.StorageClass != "" {
		class = "listed as " + it.Source.StorageClass
	}
	return &ArchivedError{Object: r.sourceURL(srcKey), Class: class, Hint: hint, Err: err}
}

func (r *run) sourceURL(key string) string { return "s3://" + r.job.Source.BucketName + "/" + key }

// archivedFirst deals with an object a copy needs while its source may be
// archived. It returns true when it has reported the object (skipped,
// restore requested or in progress, failed); false when the copy goes on,
// with it updated when the object turned out restored.
//
// ObjectArchived items (GLACIER, DEEP_ARCHIVE in the listing) go as the
// job's archived setting says. A copy of an INTELLIGENT_TIERING object
// asks HeadObject first: only x-amz-archive-status tells whether it sits
// in an archive tier.
func (r *run) archivedFirst(it *plan.Item, srcKey, dstKey string) bool {
	switch {
	case it.ObjectAction == plan.ObjectArchived:
		return r.archived(it, srcKey, dstKey, it.Source.StorageClass, nil)
	case it.ObjectAction.Copies() && plan.MayBeArchived(it.Source.StorageClass):
		h, err := r.headSource(srcKey)
		if err != nil {
			r.fail(&ObjectDone{Job: r.job.Name, Key: srcKey, DestKey: dstKey, Action: it.ObjectAction, Reason: it.Reason, Err: err})
			return true
		}
		if h.ArchiveStatus == "" {
			return false
		}
		it.Reason += "; archived in " + string(h.ArchiveStatus)
		return r.archived(it, srcKey, dstKey, it.Source.StorageClass+" ("+string(h.ArchiveStatus)+")", h)
	}
	return false
}

// archived applies the job's archived setting to one archived object.
// head is the object's HeadObject when already read.
func (r *run) archived(it *plan.Item, srcKey, dstKey, class string, head *s3.HeadObjectOutput) bool {
	done := &ObjectDone{Job: r.job.Name, Key: srcKey, DestKey: dstKey, Action: plan.ObjectArchived, Reason: it.Reason}
	switch r.job.Archived {
	case config.ArchivedFail:
		done.Err = &ArchivedError{Object: r.sourceURL(srcKey), Class: class,
			Hint: `not copied: sync "` + r.job.Name + `" says archived = "fail"; set archived = "restore" to restore it and copy it once restored, or archived = "skip" to leave it`}
		r.fail(done)
		return true
	case config.ArchivedRestore:
		return r.restore(it, srcKey, class, head, done)
	}
	done.Reason += `; not copied (archived = "skip")`
	r.notCopied(it, done, func(*CopySummary) {})
	return true
}

// notCopied reports an archived object left for a later run.
func (r *run) notCopied(it *plan.Item, done *ObjectDone, count func(*CopySummary)) {
	r.count(func(s *CopySummary) {
		s.Archived++
		s.ArchivedBytes += it.Source.Size
		count(s)
	})
	r.emit(done)
}

// restore reads the object's restore status and copies it when restored,
// waits while a restore is in progress, or requests one.
func (r *run) restore(it *plan.Item, srcKey, class string, head *s3.HeadObjectOutput, done *ObjectDone) bool {
	if head == nil {
		var err error
		if head, err = r.headSource(srcKey); err != nil {
			done.Err = err
			r.fail(done)
			return true
		}
	}
	ongoing, restored := restoreStatus(head)
	if restored {
		// Restored: copy it now, decided as if it had never been archived.
		if it.ObjectAction == plan.ObjectArchived {
			rec := it.Record
			if rec != nil && rec.DestKey != r.sel.DestinationKey(it.Rel) {
				rec = nil // recorded for another destination: no record
			}
			it.ObjectAction, it.Reason = r.rules.DecideRestored(it.Source, rec, it.Destination)
		}
		it.Reason += "; restored from " + class
		return false
	}
	prev, remembered, err := r.c.State.Restore(r.job.Name, srcKey)
	if err != nil {
		r.fatal(err)
		return true
	}
	remembered = remembered && prev.For(it.Source)
	if ongoing {
		done.Reason += "; restore in progress"
		if !remembered && !r.remember(it, srcKey, class) {
			return true
		}
		r.notCopied(it, done, func(s *CopySummary) { s.Restoring++ })
		return true
	}
	tier, days := r.restoreTier(), r.restoreDays(class)
	if !plan.RestoreTierAvailable(restoreClass(it, head), tier) {
		done.Err = &ArchivedError{Object: r.sourceURL(srcKey), Class: class,
			Hint: fmt.Sprintf(`S3 has no %s retrieval from %s: set restore_tier = "Standard" or "Bulk" in sync %q`, tier, restoreClass(it, head), r.job.Name)}
		r.fail(done)
		return true
	}
	req := &s3types.RestoreRequest{GlacierJobParameters: &s3types.GlacierJobParameters{Tier: s3types.Tier(tier)}}
	if days > 0 {
		req.Days = aws.Int32(int32(days))
	}
	err = r.pool.do(r.work, func(ctx context.Context) error {
		_, err := r.restorer().RestoreObject(ctx, &s3.RestoreObjectInput{Bucket: aws.String(r.job.Source.BucketName),
			Key: aws.String(srcKey), RestoreRequest: req}, r.opts.fns...)
		return err
	})
	switch {
	case awserr.HasCode(err, "RestoreAlreadyInProgress"):
		// Requested by someone else, or by a run whose record was lost.
		done.Reason += "; restore in progress"
		if !r.remember(it, srcKey, class) {
			return true
		}
		r.notCopied(it, done, func(s *CopySummary) { s.Restoring++ })
		return true
	case err != nil:
		done.Err = r.objErr("s3:RestoreObject", r.job.Source, srcKey, err)
		r.fail(done)
		return true
	}
	if !r.remember(it, srcKey, class) {
		return true
	}
	done.Reason += fmt.Sprintf("; restore requested (%s)", restoreTerms(tier, days))
	if remembered {
		done.Reason += fmt.Sprintf("; the restore requested %s expired before a run copied it: raise restore_days above the time between runs",
			prev.RequestedAt.Format(time.DateOnly))
	}
	r.notCopied(it, done, func(s *CopySummary) { s.RestoresRequested++ })
	return true
}

// remember queues the restore request of an object into the state, so
// the plan counts it as requested and later runs wait for it.
func (r *run) remember(it *plan.Item, srcKey, class string) bool {
	tier := r.restoreTier()
	return r.record(func() error {
		return r.commit.PutRestore(plan.RestoreRequest{SourceKey: srcKey, SourceETag: it.Source.ETag, Tier: tier,
			Days: r.restoreDays(class), RequestedAt: time.Now().UTC()})
	})
}

func (r *run) restorer() ObjectRestorer {
	if r.c.Restorer != nil {
		return r.c.Restorer
	}
	if rs, ok := r.c.Source.(ObjectRestorer); ok {
		return rs
	}
	return noRestorer{}
}

type noRestorer struct{}

func (noRestorer) RestoreObject(context.Context, *s3.RestoreObjectInput, ...func(*s3.Options)) (*s3.RestoreObjectOutput, error) {
	return nil, errors.New("the copier has no client to send restore requests with")
}

func (r *run) restoreTier() string {
	if r.job.RestoreTier == "" {
		return config.DefaultRestoreTier
	}
	return r.job.RestoreTier
}

// restoreDays is the Days of a restore request; 0 (none) for the archive
// tiers of INTELLIGENT_TIERING, whose restores move the object back to
// the Frequent Access tier for good and refuse a Days element.
func (r *run) restoreDays(class string) int {
	if strings.HasPrefix(class, plan.ClassIntelligentTiering) {
		return 0
	}
	if r.job.RestoreDays <= 0 {
		return config.DefaultRestoreDays
	}
	return r.job.RestoreDays
}

// restoreClass is the class or archive tier whose retrieval tiers apply.
func restoreClass(it *plan.Item, head *s3.HeadObjectOutput) string {
	if head != nil && head.ArchiveStatus != "" {
		return string(head.ArchiveStatus)
	}
	return it.Source.StorageClass
}

func restoreTerms(tier string, days int) string {
	if days == 0 {
		return tier
	}
	return fmt.Sprintf("%s, %d days", tier, days)
}

// restoreStatus reads x-amz-restore: ongoing-request="true" while a
// restore runs, "false" once the restored copy can be read.
func restoreStatus(h *s3.HeadObjectOutput) (ongoing, restored bool) {
	v := aws.ToString(h.Restore)
	return strings.Contains(v, `ongoing-request="true"`), strings.Contains(v, `ongoing-request="false"`)
}

// headSource reads the source object's metadata: storage class, archive
// status, restore status.
func (r *run) headSource(srcKey string) (*s3.HeadObjectOutput, error) {
	var h *s3.HeadObjectOutput
	err := r.pool.do(r.work, func(ctx context.Context) error {
		var err error
		h, err = r.c.Source.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(r.job.Source.BucketName), Key: aws.String(srcKey)}, r.opts.fns...)
		return err
	})
	return h, r.objErr("s3:GetObject", r.job.Source, srcKey, err)
}
