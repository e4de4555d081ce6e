package plan

import (
	"fmt"

	"github.com/lakesync/lakesync/internal/config"
)

// versionSettings checks and reports what a job does with versions and
// Object Lock, from the buckets observed: source_as_of needs a source
// that has had versioning enabled; delete = true is refused on a
// destination with Object Lock (S3 would refuse the deletes of locked
// objects, and a delete marker over a locked object hides it without
// freeing it); a versioned destination's deletes are delete markers, and
// the plan says so.
func (c *computer) versionSettings(j *config.Job, jp *JobPlan) error {
	src, dst := c.obs.Buckets[j.Source.Name], c.obs.Buckets[j.Destination.Name]
	if !j.SourceAsOf.IsZero() {
		t := j.SourceAsOf.UTC()
		jp.SourceAsOf = &t
		if src != nil && src.Exists && src.Versioning == "" {
			return fmt.Errorf("sync %q: source_as_of = %q needs the source's versions, but bucket s3://%s (bucket.%s, account %s %s) has never had versioning enabled, so it keeps no versions to choose from: enable versioning on it (aws s3api put-bucket-versioning --bucket %s --versioning-configuration Status=Enabled; only versions written from then on can be copied), or remove source_as_of",
				j.Name, t.Format("2006-01-02T15:04:05Z07:00"), j.Source.BucketName, j.Source.Name, j.Source.Account.Name, j.Source.Account.ID, j.Source.BucketName)
		}
	}
	if dst == nil || !dst.Exists {
		return nil
	}
	if l := dst.ObjectLock; l != nil {
		if j.Delete {
			return fmt.Errorf("sync %q: delete = true, but destination bucket s3://%s (bucket.%s, account %s %s) has Object Lock: S3 refuses to delete a locked version, and a delete marker over it hides the object while it stays retained; remove delete = true from the job, or copy to a bucket without Object Lock",
				j.Name, j.Destination.BucketName, j.Destination.Name, j.Destination.Account.Name, j.Destination.Account.ID)
		}
		jp.ObjectLock = string(j.ObjectLock)
		jp.Notes = append(jp.Notes, objectLockNote(j, l))
	}
	if dst.Versioning != "" && j.Delete {
		jp.Notes = append(jp.Notes, fmt.Sprintf("destination s3://%s is versioned (%s): delete = true creates delete markers, not deletions; the deleted versions stay, and are billed, until a lifecycle rule expires noncurrent versions", j.Destination.BucketName, dst.Versioning))
	}
	return nil
}

// objectLockNote says that the destination has Object Lock and what the
// job's copies carry of it.
func objectLockNote(j *config.Job, l *BucketObjectLock) string {
	def := "no default retention"
	switch {
	case l.Mode != "" && l.Years > 0:
		def = fmt.Sprintf("default retention %s %d year(s)", l.Mode, l.Years)
	case l.Mode != "":
		def = fmt.Sprintf("default retention %s %d day(s)", l.Mode, l.Days)
	}
	what := "object_lock = \"bucket-default\": copies get the bucket's default retention, not the source's"
	if j.ObjectLock == config.ObjectLockCopy {
		what = "object_lock = \"copy\": each copy carries its source object's retention mode, retain-until date and legal hold"
	}
	return fmt.Sprintf("destination s3://%s has Object Lock (%s); every write carries a checksum; %s", j.Destination.BucketName, def, what)
}
