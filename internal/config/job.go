package config

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
)

var jobSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "source", Required: true},
		{Name: "destination", Required: true},
		{Name: "role"},
		{Name: "mode", Required: true},
		{Name: "source_prefix"},
		{Name: "destination_prefix"},
		{Name: "include"},
		{Name: "exclude"},
		{Name: "delete"},
		{Name: "transfer"},
		{Name: "concurrency"},
		{Name: "list_parallelism"},
		{Name: "multipart_threshold"},
		{Name: "part_size"},
		{Name: "storage_class"},
		{Name: "archived"},
		{Name: "restore_tier"},
		{Name: "restore_days"},
		{Name: "source_inventory"},
		{Name: "max_requests_per_second"},
		{Name: "bandwidth"},
		{Name: "source_as_of"},
		{Name: "object_lock"},
	},
}

// StorageClasses are the values storage_class accepts.
var StorageClasses = []string{
	"STANDARD", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER",
	"GLACIER_IR", "DEEP_ARCHIVE", "REDUCED_REDUNDANCY", "EXPRESS_ONEZONE",
}

// NewJob is a job named name with every default of a sync block.
func NewJob(name string) *Job {
	return &Job{
		Name:               name,
		Transfer:           TransferServerSide,
		Concurrency:        ConcurrencyAuto,
		MultipartThreshold: DefaultMultipartThreshold,
		PartSize:           DefaultPartSize,
		Archived:           ArchivedSkip,
		RestoreTier:        DefaultRestoreTier,
		RestoreDays:        DefaultRestoreDays,
		ObjectLock:         ObjectLockBucketDefault,
	}
}

func (d *decoder) decodeJob(b *hcl.Block) *Job {
	j := NewJob(b.Labels[0])
	j.DeclRange = b.DefRange
	content, diags := b.Body.Content(jobSchema)
	d.diags = append(d.diags, diags...)
	at := content.Attributes
	d.jobAttrs[j] = at

	j.Source = ref(d, at, "source", "bucket", d.buckets)
	j.Destination = ref(d, at, "destination", "bucket", d.buckets)
	j.Role = ref(d, at, "role", "role", d.roles)
	if mode, attr := d.str(at, "mode"); attr != nil && mode != "" {
		j.Mode = Mode(mode)
		if j.Mode != ModeCp && j.Mode != ModeSync {
			d.errorf(attr.Expr.Range().Ptr(), "Invalid mode",
				"mode is \"cp\" (copy every selected object, every run) or \"sync\" (copy only new or changed objects), not %q.", mode)
		}
	}
	if tr, attr := d.str(at, "transfer"); attr != nil && tr != "" {
		j.Transfer = Transfer(tr)
		if j.Transfer != TransferServerSide && j.Transfer != TransferStream {
			d.errorf(attr.Expr.Range().Ptr(), "Invalid transfer",
				"transfer is \"server-side\" (CopyObject as the copier role) or \"stream\" (GET with the source account's credentials, PUT with the destination's), not %q.", tr)
		}
	}
	// Without a role, a server-side copy runs with the destination
	// account's own credentials: fine within one account (or one
	// S3-compatible store), impossible across accounts without grants.
	if j.Role == nil && j.Transfer == TransferServerSide && at["role"] == nil && j.Source != nil && j.Destination != nil &&
		j.Source.Account != nil && j.Destination.Account != nil && j.Source.Account.ID != j.Destination.Account.ID {
		d.errorf(b.DefRange.Ptr(), "Missing copier role",
			"A server-side copy between two accounts runs as a copier role that both sides grant: add role = role.NAME, or set transfer = \"stream\" to copy with each account's own credentials.")
	}
	j.SourcePrefix, _ = d.str(at, "source_prefix")
	j.DestinationPrefix, _ = d.str(at, "destination_prefix")
	d.checkPrefix(at, "source_prefix", j.SourcePrefix)
	d.checkPrefix(at, "destination_prefix", j.DestinationPrefix)
	j.Include, _ = d.strList(at, "include")
	j.Exclude, _ = d.strList(at, "exclude")
	d.checkGlobs(at, "include", j.Include)
	d.checkGlobs(at, "exclude", j.Exclude)

	var attr *hcl.Attribute
	if j.Delete, attr = d.boolean(at, "delete"); j.Delete && j.Mode == ModeCp {
		d.errorf(attr.Range.Ptr(), "delete with mode cp",
			"delete = true removes destination objects whose source is gone, which only a sync does. Set mode = \"sync\", or remove delete.")
	}
	d.decodeLimits(j, at)
	j.ListParallelism = d.listParallelism(at)
	if n, ok := d.size(at, "multipart_threshold", minThreshold, MaxCopySize); ok {
		j.MultipartThreshold = n
	}
	if n, ok := d.size(at, "part_size", MinPartSize, MaxPartSize); ok {
		j.PartSize = n
	}
	if sc, attr := d.str(at, "storage_class"); attr != nil {
		if !contains(StorageClasses, sc) {
			d.errorf(attr.Expr.Range().Ptr(), "Invalid storage class",
				"%q is not an S3 storage class: use one of %s.%s", sc, strings.Join(StorageClasses, ", "), didYouMean(strings.ToUpper(sc), StorageClasses))
		} else {
			j.StorageClass = sc
		}
	}
	d.decodeArchived(j, at)
	d.decodeInventory(j, at)
	d.decodeVersions(j, at)
	if j.Destination != nil && j.Destination.Key == nil && at["destination"] != nil {
		d.errorf(at["destination"].Expr.Range().Ptr(), "Destination bucket without a key",
			"Every object lakesync writes is encrypted with the destination's customer-managed KMS key (SSE-S3 and the aws/s3 key cannot be shared across accounts). Add key = key.NAME to bucket.%s.", j.Destination.Name)
	}
	return j
}

func (d *decoder) size(at hcl.Attributes, name string, lo, hi int64) (int64, bool) {
	s, attr := d.str(at, name)
	if attr == nil {
		return 0, false
	}
	n, err := ParseSize(s)
	if err != nil {
		d.errorf(attr.Expr.Range().Ptr(), "Invalid size", "%s: %s.", name, err)
		return 0, false
	}
	if n < lo || n > hi {
		d.errorf(attr.Expr.Range().Ptr(), "Size out of range",
			"%s must be between %s and %s (S3's limits); %q is out of range.", name, FormatSize(lo), FormatSize(hi), s)
		return 0, false
	}
	return n, true
}

func (d *decoder) checkPrefix(at hcl.Attributes, name, prefix string) {
	if strings.HasPrefix(prefix, "/") {
		d.errorf(at[name].Expr.Range().Ptr(), "Prefix starts with /",
			"S3 keys rarely start with '/': %s = %q selects keys that literally begin with a slash. Write %q.", name, prefix, strings.TrimLeft(prefix, "/"))
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
