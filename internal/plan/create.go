package plan

import (
	"errors"
	"fmt"

	"github.com/lakesync/lakesync/internal/config"
)

// BucketCreation is a bucket apply creates (create = true on a bucket
// block that does not exist yet), with the settings lakesync gives it.
// Removing the block later never deletes the bucket.
type BucketCreation struct {
	Address     Ref    `json:"address"` // the bucket block: "bucket.lake"
	AccountName string `json:"account_name"`
	AccountID   string `json:"account_id"`
	Bucket      string `json:"bucket"`
	Region      string `json:"region"`
	// KeyARN is the key of the default SSE-KMS encryption, with the
	// bucket key enabled.
	KeyARN          string `json:"key_arn"`
	BucketKey       bool   `json:"bucket_key"`
	ObjectOwnership string `json:"object_ownership"` // BucketOwnerEnforced
	// BlockPublicAccess is true: all four Block Public Access settings on.
	BlockPublicAccess   bool  `json:"block_public_access"`
	AbortIncompleteDays int32 `json:"abort_incomplete_days"`
	Versioning          bool  `json:"versioning"`
}

// creations lists the buckets with create = true that were observed
// absent, and returns the observation the rest of the plan works from:
// such a bucket as an empty one in its configured region, so its policy
// and settings are planned as created. A bucket whose name another
// account holds is an error naming it.
func creations(cfg *config.Config, obs *Observed, keyARN map[string]string) ([]*BucketCreation, *Observed, error) {
	var out []*BucketCreation
	var errs []error
	var buckets map[string]*ObservedBucket
	for _, b := range cfg.Buckets {
		ob := obs.Buckets[b.Name]
		if !b.Create || ob == nil || ob.Exists {
			continue // an existing bucket is adopted as it is
		}
		if ob.HeldByOther {
			errs = append(errs, fmt.Errorf("bucket.%s: the bucket name %s belongs to another account (BucketAlreadyExists), so account %s (%s) cannot create it: bucket names are global; choose another name", b.Name, b.BucketName, b.Account.Name, b.Account.ID))
			continue
		}
		if buckets == nil {
			buckets = make(map[string]*ObservedBucket, len(obs.Buckets))
			for k, v := range obs.Buckets {
				buckets[k] = v
			}
		}
		buckets[b.Name] = &ObservedBucket{Exists: true, Region: b.InRegion()}
		bc := &BucketCreation{Address: BucketRef(b), AccountName: b.Account.Name, AccountID: b.Account.ID,
			Bucket: b.BucketName, Region: b.InRegion(), BucketKey: true, ObjectOwnership: OwnershipEnforced,
			BlockPublicAccess: true, AbortIncompleteDays: AbortIncompleteDays, Versioning: b.Versioning}
		if b.Key != nil {
			bc.KeyARN = keyARN[b.Key.Name]
		}
		out = append(out, bc)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	if buckets == nil {
		return out, obs, nil
	}
	cp := *obs
	cp.Buckets = buckets
	return out, &cp, nil
}
