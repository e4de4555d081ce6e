package config

import (
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// ObjectLock says what a job writes of a source object's Object Lock
// settings.
type ObjectLock string

// The values of object_lock.
const (
	// ObjectLockBucketDefault leaves retention to the destination
	// bucket's default retention (the default).
	ObjectLockBucketDefault ObjectLock = "bucket-default"
	// ObjectLockCopy copies each source object's retention mode,
	// retain-until date and legal hold.
	ObjectLockCopy ObjectLock = "copy"
)

// ObjectLockValues are the values object_lock accepts.
var ObjectLockValues = []string{string(ObjectLockBucketDefault), string(ObjectLockCopy)}

// decodeVersions decodes source_as_of (an RFC 3339 time: the source's
// versions current then are copied) and object_lock.
func (d *decoder) decodeVersions(j *Job, at hcl.Attributes) {
	if v, attr := d.str(at, "source_as_of"); attr != nil && v != "" {
		t, err := time.Parse(time.RFC3339, v)
		switch {
		case err != nil:
			d.errorf(attr.Expr.Range().Ptr(), "Invalid source_as_of",
				"source_as_of is an RFC 3339 time, with a date, a time and a zone, like source_as_of = \"2026-11-30T00:00:00Z\"; %q is not one.", v)
		case j.SourceInventory != nil:
			d.errorf(attr.Range.Ptr(), "source_as_of with source_inventory",
				"An S3 Inventory report lists the versions current when it was made, not at source_as_of. Remove source_inventory to list the source's versions, or remove source_as_of.")
		default:
			j.SourceAsOf = t.UTC()
		}
	}
	if v, attr := d.str(at, "object_lock"); attr != nil && v != "" {
		if !contains(ObjectLockValues, v) {
			d.errorf(attr.Expr.Range().Ptr(), "Invalid object_lock",
				"object_lock is \"bucket-default\" (the default: the destination bucket's default retention applies) or \"copy\" (copy each source object's retention mode, retain-until date and legal hold), not %q.%s",
				v, didYouMean(strings.ToLower(v), slices.Clone(ObjectLockValues)))
		} else {
			j.ObjectLock = ObjectLock(v)
		}
	}
}
