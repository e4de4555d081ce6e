package plan

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"

	"github.com/lakesync/lakesync/internal/config"
)

// ConfigError is an error of Compute that the configuration must fix,
// with diagnostics pointing into the file: what the accounts hold
// contradicts what it says.
type ConfigError struct {
	Diagnostics hcl.Diagnostics
}

func (e *ConfigError) Error() string { return e.Diagnostics.Error() }

// RegionMismatch is the diagnostic of bucket b, which S3 reports in region
// real while the configuration says it is in b.InRegion(): written in its
// region attribute, or taken from its account. Both are refused alike:
// the file a reviewer reads must say where the data is, and what the
// copy between regions costs follows from it.
func RegionMismatch(b *config.Bucket, real string) *hcl.Diagnostic {
	said := b.InRegion()
	d := &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Bucket in another region"}
	if b.RegionRange != nil {
		d.Subject = b.RegionRange
		d.Detail = fmt.Sprintf("S3 reports the bucket %s of bucket.%s in %s, but its region attribute says %s. Requests signed for %s are refused (AuthorizationHeaderMalformed or PermanentRedirect). Write region = %q in bucket %q.",
			b.BucketName, b.Name, real, said, said, real, b.Name)
		return d
	}
	rng := b.DeclRange
	d.Subject = &rng
	if b.Account != nil && b.Region != "" && b.Region != b.Account.Region {
		// Not a bucket block's: a migration's bucket, in the migration's
		// region (d.Subject is the migration block).
		d.Detail = fmt.Sprintf("S3 reports the bucket %s in %s, but the migration puts it in %s. Requests signed for %s are refused: if the bucket was made again elsewhere by hand, delete it or move it to %s, then run lakesync migrate again.",
			b.BucketName, real, said, said, said)
		return d
	}
	acct := "its account's"
	if b.Account != nil {
		acct = fmt.Sprintf("account.%s's", b.Account.Name)
	}
	d.Detail = fmt.Sprintf("S3 reports the bucket %s of bucket.%s in %s, but the bucket block has no region attribute, so it is taken to be in %s region %s. Write region = %q in bucket %q.",
		b.BucketName, b.Name, real, acct, said, real, b.Name)
	return d
}

// checkRegions refuses the buckets S3 reports in another region than the
// configuration says, one diagnostic each.
func checkRegions(cfg *config.Config, obs *Observed) error {
	var diags hcl.Diagnostics
	for _, b := range cfg.Buckets {
		if ob := obs.Buckets[b.Name]; ob != nil && ob.Exists && ob.Region != "" && ob.Region != b.InRegion() {
			diags = append(diags, RegionMismatch(b, ob.Region))
		}
	}
	if len(diags) > 0 {
		return &ConfigError{Diagnostics: diags}
	}
	return nil
}
