package plan

import (
	"math"

	"github.com/lakesync/lakesync/internal/config"
)

// Prices are the request prices the cost estimate uses, in US dollars.
// The defaults are S3 Standard and KMS list prices in us-east-1; a
// configuration may override them.
type Prices struct {
	ListPer1000    float64 `json:"list_per_1000"`    // LIST requests
	GetPer1000     float64 `json:"get_per_1000"`     // GET and HEAD
	PutPer1000     float64 `json:"put_per_1000"`     // PUT, COPY, POST (parts, create, complete)
	KMSPer10000    float64 `json:"kms_per_10000"`    // KMS API requests
	TransferPerGiB float64 `json:"transfer_per_gib"` // data through the machine (stream transfer)
	DeletePer1000  float64 `json:"delete_per_1000"`  // DELETE requests (free on S3)
	// InterRegionPerGiB is S3's inter-region data transfer: the bytes a
	// server-side copy moves between buckets of different regions.
	InterRegionPerGiB float64 `json:"inter_region_per_gib"`
	// Restore are the retrieval prices of archived objects; nil:
	// DefaultRestorePrices.
	Restore RestorePrices `json:"restore,omitempty"`
}

// DefaultPrices are the documented defaults (README, "Cost estimate").
func DefaultPrices() Prices {
	return Prices{ListPer1000: 0.005, GetPer1000: 0.0004, PutPer1000: 0.005, KMSPer10000: 0.03, TransferPerGiB: 0.02, InterRegionPerGiB: 0.02}
}

// Estimate is the requests and cost one run of a job makes.
type Estimate struct {
	ListRequests       int64   `json:"list_requests"`
	GetRequests        int64   `json:"get_requests"` // GET and HEAD
	PutRequests        int64   `json:"put_requests"` // CopyObject, PutObject, multipart create/part/complete
	UploadParts        int64   `json:"upload_parts"` // of PutRequests, UploadPartCopy or UploadPart
	KMSRequests        int64   `json:"kms_requests"` // with the bucket key enabled
	KMSNoBucketKey     int64   `json:"kms_requests_without_bucket_key"`
	DeleteRequests     int64   `json:"delete_requests"`
	TransferBytes      int64   `json:"transfer_bytes"` // bytes through the machine running lakesync
	CostUSD            float64 `json:"cost_usd"`
	CostNoBucketKeyUSD float64 `json:"cost_without_bucket_key_usd"`

	// InterRegionBytes are the bytes a server-side copy moves from the
	// source bucket's region to the destination's (0 within one region).
	InterRegionBytes int64 `json:"inter_region_transfer_bytes,omitempty"`
}

// JobObservation accumulates what exec saw of one job's data without
// keeping every key: the tally of the change-detection merge and what the
// copies will cost in requests.
type JobObservation struct {
	Tally *Tally
	// Listed counts the objects of each listing, for LIST requests.
	SourceListed, DestListed int64
	// Multipart counts the copies made in parts (CopiedInParts) and
	// their parts.
	Multipart, Parts int64
	job              *config.Job

	// EmptySource is set when the source prefix listing found no object:
	// what one listing of the level above it found.
	EmptySource *EmptySource
	// SourceListing is set when the source listing was not a listing of
	// the bucket: the S3 Inventory report read instead.
	SourceListing *SourceListing
	// Archived objects (archived.go): the HEADs a run makes, and the
	// restores it requests, waits for or cannot make.
	archiveHeads, tieringCopies           int64
	restoreRequests                       map[string]Count // by storage class
	restoresRequested, restoreUnavailable Count
}

// NewJobObservation starts an observation keeping up to maxKeys keys of
// each action.
func NewJobObservation(job *config.Job, maxKeys int) *JobObservation {
	return &JobObservation{Tally: NewTally(maxKeys), job: job}
}

// Add counts one decided item.
func (o *JobObservation) Add(it Item) {
	o.Tally.Add(it)
	if it.Source != nil {
		o.SourceListed++
	}
	if it.Destination != nil {
		o.DestListed++
	}
	if it.ObjectAction.Copies() && it.Source != nil && o.job != nil && CopiedInParts(o.job, it.Source.Size) {
		o.Multipart++
		o.Parts += PartCount(it.Source.Size, o.job.PartSize)
	}
	if it.ObjectAction.Copies() && it.Source != nil && MayBeArchived(it.Source.StorageClass) {
		o.tieringCopies++ // a HEAD for its archive status
	}
	if it.ObjectAction == ObjectArchived {
		o.archived(it)
	}
}

// JobData turns the observation into the plan's data section.
func (o *JobObservation) JobData(j *config.Job, prices *Prices) *JobData {
	t := o.Tally
	d := &JobData{
		Copy:      t.Copy(),
		New:       t.Counts[ObjectNew],
		Changed:   sum(t.Counts[ObjectChanged], t.Counts[ObjectReplace]),
		Missing:   sum(t.Counts[ObjectMissing], t.Counts[ObjectOverwritten]),
		Adopt:     t.Counts[ObjectAdopt],
		Delete:    t.Counts[ObjectDelete],
		Unchanged: t.Counts[ObjectUnchanged],
	}
	if len(t.Keys) > 0 {
		d.Keys = map[string][]string{}
		for a, ks := range t.Keys {
			d.Keys[string(a)] = ks
		}
	}
	p := DefaultPrices()
	if prices != nil {
		p = *prices
	}
	d.SourceListing = o.SourceListing
	d.Estimate = o.estimate(j, d, p)
	o.archivedData(j, d, p)
	return d
}

func sum(a, b Count) Count { return Count{Objects: a.Objects + b.Objects, Bytes: a.Bytes + b.Bytes} }

func (o *JobObservation) estimate(j *config.Job, d *JobData, p Prices) Estimate {
	var e Estimate
	pages := func(n int64) int64 { return (n + 999) / 1000 }
	e.ListRequests = max(pages(o.SourceListed), 1)
	if o.SourceListing != nil {
		// An inventory replaces the source listing: a listing of its
		// report folders, and GETs of the manifest, its checksum and the
		// data files; each delete is confirmed by a HEAD of the source.
		e.ListRequests = 1
		e.GetRequests = 2 + int64(o.SourceListing.DataFiles) + d.Delete.Objects
	}
	if j.Mode == config.ModeSync {
		e.ListRequests += max(pages(o.DestListed), 1)
	}
	copies := d.Copy.Objects
	single := copies - o.Multipart
	// A multipart copy: HEAD + GetObjectTagging, create, parts, complete.
	e.UploadParts = o.Parts
	e.PutRequests = single + o.Multipart*2 + o.Parts
	e.GetRequests += o.Multipart * 2
	if j.Transfer == config.TransferStream {
		// Every byte is read with GET (one per part, or one per object).
		e.GetRequests += single + o.Parts
		e.TransferBytes = d.Copy.Bytes
	}
	if j.Transfer != config.TransferStream && j.Source.InRegion() != j.Destination.InRegion() {
		// S3 moves the bytes between the regions itself and bills them as
		// inter-region transfer; a stream copy's bytes are TransferBytes.
		e.InterRegionBytes = d.Copy.Bytes
	}
	e.DeleteRequests = pages(d.Delete.Objects)
	// Without a bucket key, S3 asks KMS for a data key per object written
	// (and per part) and to decrypt a KMS-encrypted source per read; a
	// bucket key is reused for many objects: AWS documents up to 99% fewer
	// requests, which the estimate takes as 1 in 100.
	kms := single + o.Parts
	if j.Source.Key != nil {
		kms *= 2
	}
	e.KMSNoBucketKey = kms
	e.KMSRequests = int64(math.Ceil(float64(kms) / 100))
	base := float64(e.ListRequests)/1000*p.ListPer1000 +
		float64(e.GetRequests)/1000*p.GetPer1000 +
		float64(e.PutRequests)/1000*p.PutPer1000 +
		float64(e.DeleteRequests)/1000*p.DeletePer1000 +
		float64(e.TransferBytes)/(1<<30)*p.TransferPerGiB +
		float64(e.InterRegionBytes)/(1<<30)*p.InterRegionPerGiB
	e.CostUSD = round(base + float64(e.KMSRequests)/10000*p.KMSPer10000)
	e.CostNoBucketKeyUSD = round(base + float64(e.KMSNoBucketKey)/10000*p.KMSPer10000)
	return e
}

func round(f float64) float64 { return math.Round(f*1e4) / 1e4 }
