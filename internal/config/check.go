package config

import "strings"

// checkJobs applies the rules that span several jobs or blocks.
func (d *decoder) checkJobs(cfg *Config) {
	ids := map[string]*Job{}
	for i, j := range cfg.Jobs {
		id := JobID(j.Name)
		switch prev, dup := ids[id]; {
		case id == "":
			d.errorf(j.DeclRange.Ptr(), "Invalid job name",
				"The job name %q has no letters or digits, which lakesync needs to name its policy statements. Rename it, e.g. sync \"prod_to_lake\".", j.Name)
		case dup:
			d.errorf(j.DeclRange.Ptr(), "Job names collide",
				"sync %q and sync %q both reduce to %q in policy statement ids (Lakesync%s...), so they would own each other's statements. Rename one of them.",
				prev.Name, j.Name, id, id)
		default:
			ids[id] = j
		}
		d.checkSameBucket(j)
		for _, o := range cfg.Jobs[:i] {
			if d.checkOverlap(o, j) {
				break // one overlap per job is enough to act on
			}
		}
	}
}

// checkSameBucket refuses a job whose source and destination are the same
// objects: the same bucket with prefixes where one contains the other.
func (d *decoder) checkSameBucket(j *Job) {
	if j.Source == nil || j.Destination == nil || j.Source.BucketName != j.Destination.BucketName || j.Source.BucketName == "" {
		return
	}
	if !prefixesOverlap(j.SourcePrefix, j.DestinationPrefix) {
		return
	}
	subject := j.DeclRange.Ptr()
	if a := d.jobAttrs[j]["destination"]; a != nil {
		subject = a.Expr.Range().Ptr()
	}
	d.errorf(subject, "Source equals destination",
		"sync %q copies bucket %q (prefix %q) onto itself (prefix %q): the copies would be copied again on every run. Use another destination bucket, or destination and source prefixes that do not contain each other.",
		j.Name, j.Source.BucketName, j.SourcePrefix, j.DestinationPrefix)
}

// checkOverlap refuses two jobs writing overlapping key ranges of one
// bucket: each would see the other's objects as its own, and a sync with
// delete would remove them.
func (d *decoder) checkOverlap(a, b *Job) bool {
	if a.Destination == nil || b.Destination == nil || a.Destination.BucketName != b.Destination.BucketName || a.Destination.BucketName == "" {
		return false
	}
	if !prefixesOverlap(a.DestinationPrefix, b.DestinationPrefix) {
		return false
	}
	subject := b.DeclRange.Ptr()
	if attr := d.jobAttrs[b]["destination_prefix"]; attr != nil {
		subject = attr.Expr.Range().Ptr()
	} else if attr := d.jobAttrs[b]["destination"]; attr != nil {
		subject = attr.Expr.Range().Ptr()
	}
	d.errorf(subject, "Overlapping destination prefixes",
		"sync %q writes %q under prefix %q and sync %q (%s) writes it under %q: one prefix contains the other, so each job would treat the other's objects as its own. Give each job a destination prefix of its own, e.g. %q and %q.",
		b.Name, b.Destination.BucketName, b.DestinationPrefix, a.Name, a.DeclRange, a.DestinationPrefix, a.Name+"/", b.Name+"/")
	return true
}

func prefixesOverlap(a, b string) bool {
	return strings.HasPrefix(a, b) || strings.HasPrefix(b, a)
}
