package plan

import (
	"fmt"
	"time"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/policy"
)

// Storage classes whose objects cannot be read until restored. GLACIER_IR
// (Instant Retrieval) is read directly and is not among them.
const (
	ClassGlacier            = "GLACIER"
	ClassDeepArchive        = "DEEP_ARCHIVE"
	ClassIntelligentTiering = "INTELLIGENT_TIERING"
)

// ArchivedClass reports whether objects of a storage class, as a listing
// reports it, must be restored before they can be copied.
func ArchivedClass(class string) bool { return class == ClassGlacier || class == ClassDeepArchive }

// MayBeArchived reports whether an object of the class may sit in an
// archive tier that only a HeadObject tells (x-amz-archive-status):
// INTELLIGENT_TIERING with its Archive Access or Deep Archive Access tier
// enabled. A run asks just before it copies such an object; a plan counts
// it as a copy.
func MayBeArchived(class string) bool { return class == ClassIntelligentTiering }

// RestoreTierAvailable reports whether S3 restores objects of the class
// (or INTELLIGENT_TIERING archive tier: "ARCHIVE_ACCESS",
// "DEEP_ARCHIVE_ACCESS") with the tier: DEEP_ARCHIVE and the Deep Archive
// Access tier have no Expedited retrieval.
func RestoreTierAvailable(class, tier string) bool {
	return tier != config.RestoreTierExpedited || (class != ClassDeepArchive && class != "DEEP_ARCHIVE_ACCESS")
}

// RestoreRequest is what the state remembers of a RestoreObject lakesync
// sent for an archived source object, so that the next runs wait for it
// instead of asking again.
type RestoreRequest struct {
	SourceKey   string    `json:"source_key"`
	SourceETag  string    `json:"source_etag"` // of the object the restore was asked for
	Tier        string    `json:"tier"`
	Days        int       `json:"days"` // 0 for INTELLIGENT_TIERING, whose restores do not expire
	RequestedAt time.Time `json:"requested_at"`
}

// For reports whether the request was made for src as listed now: an
// object replaced since (another ETag) needs a restore of its own.
func (r *RestoreRequest) For(src *SourceObject) bool {
	return r != nil && src != nil && r.SourceKey == src.Key && r.SourceETag == src.ETag
}

// RetrievalPrice is the price of restoring objects of one storage class
// with one tier, in US dollars.
type RetrievalPrice struct {
	Per1000 float64 `json:"per_1000"` // restore requests
	PerGiB  float64 `json:"per_gib"`  // bytes restored
}

// RestorePrices are the retrieval prices by storage class and tier:
// RestorePrices["GLACIER"]["Bulk"].
type RestorePrices map[string]map[string]RetrievalPrice

// DefaultRestorePrices are the AWS list prices in us-east-1 (README,
// "Cost estimate"): S3 Glacier Flexible Retrieval Expedited $10.00 per
// 1,000 requests and $0.03 per GB, Standard $0.05 and $0.01, Bulk free;
// S3 Glacier Deep Archive Standard $0.10 and $0.02, Bulk $0.025 and
// $0.0025. Restores from the archive tiers of INTELLIGENT_TIERING are
// free.
func DefaultRestorePrices() RestorePrices {
	return RestorePrices{
		ClassGlacier: {
			config.RestoreTierExpedited: {Per1000: 10, PerGiB: 0.03},
			config.RestoreTierStandard:  {Per1000: 0.05, PerGiB: 0.01},
			config.RestoreTierBulk:      {Per1000: 0, PerGiB: 0},
		},
		ClassDeepArchive: {
			config.RestoreTierStandard: {Per1000: 0.10, PerGiB: 0.02},
			config.RestoreTierBulk:     {Per1000: 0.025, PerGiB: 0.0025},
		},
	}
}

// RestorePlan is what a run of a job with archived = "restore" asks S3 to
// restore, and what that costs.
type RestorePlan struct {
	Tier string `json:"tier"`
	Days int    `json:"days"`
	// Requests are the archived objects a run sends a restore request for:
	// none is remembered in the state. An upper bound: an object restored
	// by other means is copied without one.
	Requests Count            `json:"requests"`
	ByClass  map[string]Count `json:"requests_by_class"` // Requests by storage class
	// Requested are the archived objects whose restore an earlier run
	// requested: a run copies each once its restore has completed.
	Requested Count `json:"requested"`
	// Unavailable are the objects the tier cannot restore (Expedited from
	// DEEP_ARCHIVE): a run fails them.
	Unavailable Count `json:"tier_unavailable"`
	// CostUSD is the retrieval price of Requests at Tier (requests and
	// bytes); it is part of the job's estimate.
	CostUSD float64 `json:"cost_usd"`
}

// archived counts an ObjectArchived item by what a run will do with it.
func (o *JobObservation) archived(it Item) {
	if o.job == nil || it.Source == nil {
		return
	}
	switch o.job.Archived {
	case config.ArchivedRestore:
		// A run reads the restore status of each one with a HEAD.
		o.archiveHeads++
		c := Count{Objects: 1, Bytes: it.Source.Size}
		switch {
		case it.Restore.For(it.Source):
			o.restoresRequested = sum(o.restoresRequested, c)
		case !RestoreTierAvailable(it.Source.StorageClass, o.job.RestoreTier):
			o.restoreUnavailable = sum(o.restoreUnavailable, c)
		default:
			if o.restoreRequests == nil {
				o.restoreRequests = map[string]Count{}
			}
			o.restoreRequests[it.Source.StorageClass] = sum(o.restoreRequests[it.Source.StorageClass], c)
		}
	}
}

// archivedData fills the data section's archived objects and restores,
// and adds their requests to the estimate: a HEAD per archived object a
// run restores and per INTELLIGENT_TIERING copy, and the retrieval price
// of the restore requests.
func (o *JobObservation) archivedData(j *config.Job, d *JobData, p Prices) {
	d.Archived = o.Tally.Counts[ObjectArchived]
	heads := o.archiveHeads + o.tieringCopies
	d.Estimate.GetRequests += heads
	extra := float64(heads) / 1000 * p.GetPer1000
	if j.Archived == config.ArchivedRestore {
		prices := p.Restore
		if prices == nil {
			prices = DefaultRestorePrices()
		}
		r := &RestorePlan{Tier: j.RestoreTier, Days: j.RestoreDays, Requested: o.restoresRequested, Unavailable: o.restoreUnavailable,
			ByClass: map[string]Count{}}
		var cost float64
		for class, c := range o.restoreRequests {
			r.Requests = sum(r.Requests, c)
			r.ByClass[class] = c
			price := prices[class][j.RestoreTier]
			cost += float64(c.Objects)/1000*price.Per1000 + float64(c.Bytes)/(1<<30)*price.PerGiB
		}
		r.CostUSD = round(cost)
		d.Restore = r
		extra += cost
	}
	d.Estimate.CostUSD = round(d.Estimate.CostUSD + extra)
	d.Estimate.CostNoBucketKeyUSD = round(d.Estimate.CostNoBucketKeyUSD + extra)
}

// archivedFindings warn of the archived objects a job's restore_tier
// cannot restore.
func archivedFindings(jobs []*JobPlan) []policy.Finding {
	var out []policy.Finding
	for _, j := range jobs {
		if j.Data == nil || j.Data.Restore == nil || j.Data.Restore.Unavailable.Objects == 0 {
			continue
		}
		out = append(out, policy.Finding{Check: "restore_tier", Document: "sync." + j.Name, Index: -1,
			Message: fmt.Sprintf("%d archived object(s) of job %q are in DEEP_ARCHIVE, which has no Expedited retrieval: apply fails them; set restore_tier = \"Standard\" (within 12 hours) or \"Bulk\" (within 48 hours)",
				j.Data.Restore.Unavailable.Objects, j.Name)})
	}
	return out
}
