package config

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// InventoryLocation is where the S3 Inventory reports of a job's source
// bucket land (source_inventory = "s3://BUCKET/PREFIX/"). A job that has
// one takes its source listing from the newest report found there instead
// of listing the source bucket; the destination is listed as usual.
//
// The inventory bucket may be the source bucket itself or another bucket,
// in the source account or elsewhere (AWS requires it to be in the source
// bucket's region). It is read (ListObjectsV2 and GetObject under Prefix)
// by the principal that lists the source: the one exec.Accounts.CopyClients
// gives the source side of the job, that is the copier role for
// server-side copies, the source account's own credentials for stream
// copies (and for server-side copies within one account without a role).
// That principal needs s3:ListBucket and s3:GetObject there.
type InventoryLocation struct {
	Bucket string // the bucket the reports are delivered to
	// Prefix is empty (the reports are at the top of the bucket) or ends
	// with "/". It may name the inventory's destination prefix, its
	// SOURCE-BUCKET/CONFIG-ID/ folder, or one dated report folder below
	// it: see internal/exec/inventory.
	Prefix string
	Range  hcl.Range // the source_inventory value
}

// String is the location as written: s3://Bucket/Prefix.
func (l *InventoryLocation) String() string { return "s3://" + l.Bucket + "/" + l.Prefix }

// inventoryExample is what a source_inventory value looks like.
const inventoryExample = `source_inventory = "s3://BUCKET/PREFIX/"`

// decodeInventory decodes source_inventory: an s3:// URL of a valid bucket
// name and a prefix that is empty or ends with "/".
func (d *decoder) decodeInventory(j *Job, at hcl.Attributes) {
	val, attr, ok := d.value(at, "source_inventory", cty.String)
	if !ok {
		return // absent, or its problem is reported already
	}
	v := val.AsString()
	subject := attr.Expr.Range().Ptr()
	rest, ok := strings.CutPrefix(v, "s3://")
	if !ok {
		hint := inventoryExample
		if scheme, after, found := strings.Cut(v, "://"); found && scheme != "" {
			hint = fmt.Sprintf("source_inventory = %q", "s3://"+after)
		}
		d.errorf(subject, "Invalid inventory location",
			"source_inventory is %q; write the S3 URL of the bucket and prefix the inventory reports are delivered to, like %s.", v, hint)
		return
	}
	bucket, prefix, _ := strings.Cut(rest, "/")
	if problem := bucketNameProblem(bucket); problem != "" {
		d.errorf(subject, "Invalid inventory location",
			"%q is not a valid S3 bucket name: it %s. Write the bucket the inventory reports are delivered to, like %s.", bucket, problem, inventoryExample)
		return
	}
	switch {
	case strings.HasPrefix(prefix, "/"):
		d.errorf(subject, "Invalid inventory location",
			"The prefix %q starts with '/': one '/' separates the bucket from the prefix in s3://BUCKET/PREFIX/, and S3 keys rarely start with one. Write source_inventory = %q.", prefix, "s3://"+bucket+"/"+strings.TrimLeft(prefix, "/"))
		return
	case prefix != "" && !strings.HasSuffix(prefix, "/"):
		d.errorf(subject, "Invalid inventory location",
			"The prefix %q names a folder of inventory reports, so it ends with '/': write source_inventory = %q.", prefix, "s3://"+bucket+"/"+prefix+"/")
		return
	}
	j.SourceInventory = &InventoryLocation{Bucket: bucket, Prefix: prefix, Range: attr.Expr.Range()}
}
