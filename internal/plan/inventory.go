package plan

import (
	"fmt"

	"github.com/lakesync/lakesync/internal/config"
)

// inventoryBucket is the declared bucket the job's S3 Inventory reports
// land in, nil when the job has none or the configuration does not
// declare that bucket. A declared bucket's policy is lakesync's to
// write: it grants the copier role what reading the reports needs when
// the role is in another account.
func (c *computer) inventoryBucket(j *config.Job) *config.Bucket {
	if j.SourceInventory == nil {
		return nil
	}
	for _, b := range c.cfg.Buckets {
		if b.BucketName == j.SourceInventory.Bucket {
			return b
		}
	}
	return nil
}

// inventoryUndeclaredNote says what the policy of an inventory bucket the
// configuration does not declare must allow: lakesync grants the role in
// its own policy only.
func inventoryUndeclaredNote(j *config.Job) string {
	loc := j.SourceInventory
	return fmt.Sprintf("source_inventory: bucket %s is not declared, so lakesync does not write its policy; the copier role's own policy allows s3:ListBucket on it (prefix %q) and s3:GetObject on %s*; if the bucket is in another account than the role, declare it as a bucket block, or have its policy allow both",
		loc.Bucket, loc.Prefix, loc.String())
}
