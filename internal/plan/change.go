package plan

import (
	"time"

	"github.com/lakesync/lakesync/internal/config"
)

// SourceObject is one object of the source listing.
type SourceObject struct {
	Key       string // full source key
	Size      int64
	ETag      string // as S3 returns it, quotes included
	VersionID string // empty when unknown (listings do not carry it)
	// Checksum is a full-object checksum "ALGORITHM:value" (for example
	// "CRC64NVME:..."), empty when unknown or only composite.
	Checksum     string
	LastModified time.Time
	// StorageClass is the class the listing reports ("GLACIER", ...);
	// empty when the listing says none (S3 Standard on some stores).
	StorageClass string
}

// DestinationObject is one object of the destination listing.
type DestinationObject struct {
	Key      string // full destination key
	Size     int64
	ETag     string
	Checksum string // as SourceObject.Checksum
}

// StateRecord is what the state remembers of the last copy of one source
// object. ETags of the source and the destination are never compared with
// each other: SSE-KMS and multipart layouts make them differ for equal
// bytes. The record ties the two.
type StateRecord struct {
	SourceKey  string    `json:"source_key"`
	SourceETag string    `json:"source_etag"`
	Size       int64     `json:"size"`
	VersionID  string    `json:"version_id,omitempty"`
	DestKey    string    `json:"destination_key"`
	DestETag   string    `json:"destination_etag"`
	CopiedAt   time.Time `json:"copied_at"`
}

// ObjectAction is what a run does with one key.
type ObjectAction string

// Actions. The copy actions differ only in why the object is copied.
const (
	ObjectNew         ObjectAction = "new"         // copy: no record, nothing at the destination
	ObjectChanged     ObjectAction = "changed"     // copy: source ETag or size differs from the record
	ObjectMissing     ObjectAction = "missing"     // copy: recorded, but gone from the destination
	ObjectOverwritten ObjectAction = "overwritten" // copy: destination no longer has the recorded ETag
	ObjectReplace     ObjectAction = "replace"     // copy: cp mode, or an unrecorded destination object that cannot be adopted
	ObjectUnchanged   ObjectAction = "unchanged"   // nothing to do
	ObjectAdopt       ObjectAction = "adopt"       // record the existing destination object as the copy
	ObjectDelete      ObjectAction = "delete"      // delete the destination object (and its record): gone at source
	ObjectForget      ObjectAction = "forget"      // drop the record: gone at source and destination
	ObjectKeep        ObjectAction = "keep"        // gone at source, delete is off: leave it
	// ObjectArchived is a copy that cannot be made yet: the source is in
	// an archived storage class (GLACIER, DEEP_ARCHIVE) and must be
	// restored before it can be read. The job's archived setting says
	// whether a run skips it, restores it or fails.
	ObjectArchived ObjectAction = "archived"
	// ObjectGone is what a run finds of a source object its listing
	// named: gone when it came to copy it (an S3 Inventory report is
	// older than the bucket). Nothing is copied or recorded; not a
	// failure. A plan never decides it.
	ObjectGone ObjectAction = "gone"
)

// Copies reports whether the action copies the object.
func (a ObjectAction) Copies() bool {
	switch a {
	case ObjectNew, ObjectChanged, ObjectMissing, ObjectOverwritten, ObjectReplace:
		return true
	}
	return false
}

// Rules decide, for one job, what happens to a key.
type Rules struct {
	Mode   config.Mode
	Delete bool // sync only: delete destination objects gone at source
	// AdoptBySize adopts an unrecorded destination object whose size
	// matches even when no full-object checksum can be compared.
	AdoptBySize bool
}

// RulesFor returns the rules of a job.
func RulesFor(job *config.Job) Rules {
	return Rules{Mode: job.Mode, Delete: job.Delete && job.Mode == config.ModeSync}
}

// Decide says what to do with one key given what the source, the state and
// the destination hold for it (nil: absent), and why. rec must be the
// record of this source key for this destination key; a record for
// another destination key is no record. A copy of a source the listing
// reports archived is ObjectArchived.
func (r Rules) Decide(src *SourceObject, rec *StateRecord, dst *DestinationObject) (ObjectAction, string) {
	a, why := r.DecideRestored(src, rec, dst)
	if a.Copies() && ArchivedClass(src.StorageClass) {
		return ObjectArchived, why + "; archived in " + src.StorageClass
	}
	return a, why
}

// DecideRestored decides as Decide does, for a source that can be read
// whatever its storage class says: an archived object whose restore has
// completed.
func (r Rules) DecideRestored(src *SourceObject, rec *StateRecord, dst *DestinationObject) (ObjectAction, string) {
	if src == nil {
		switch {
		case dst != nil && r.Delete:
			return ObjectDelete, "gone at source"
		case dst != nil:
			return ObjectKeep, "gone at source; delete is off"
		case rec != nil:
			return ObjectForget, "gone at source and destination"
		}
		return ObjectUnchanged, "nothing anywhere"
	}
	if r.Mode == config.ModeCp {
		if dst == nil {
			return ObjectNew, "cp copies every object"
		}
		return ObjectReplace, "cp copies every object"
	}
	if rec == nil {
		if dst == nil {
			return ObjectNew, "new"
		}
		return r.decideUnrecorded(src, dst)
	}
	switch {
	case src.VersionID != "" && src.VersionID != rec.VersionID: // source_as_of chose another version
		return ObjectChanged, "source version differs from the last copy"
	case rec.SourceETag != src.ETag:
		return ObjectChanged, "source ETag differs from the last copy"
	case rec.Size != src.Size:
		return ObjectChanged, "source size differs from the last copy"
	case dst == nil:
		return ObjectMissing, "missing at destination"
	case dst.ETag != rec.DestETag:
		return ObjectOverwritten, "destination ETag differs from the last copy"
	}
	return ObjectUnchanged, "unchanged since the last copy"
}

// decideUnrecorded decides for an object that exists at the destination
// without a record: a first run over a filled destination.
func (r Rules) decideUnrecorded(src *SourceObject, dst *DestinationObject) (ObjectAction, string) {
	if src.Size != dst.Size {
		return ObjectReplace, "no record; destination size differs"
	}
	if src.Checksum != "" && dst.Checksum != "" {
		if src.Checksum == dst.Checksum {
			return ObjectAdopt, "no record; size and full-object checksum match"
		}
		return ObjectReplace, "no record; full-object checksum differs"
	}
	if r.AdoptBySize {
		return ObjectAdopt, "no record; size matches (adopting by size)"
	}
	return ObjectReplace, "no record; no full-object checksum to compare"
}

// NeedsChecksums reports whether Decide would adopt or copy depending on
// full-object checksums that the listings do not carry: the caller may
// read them (HeadObject with checksum mode) and decide again.
func (r Rules) NeedsChecksums(src *SourceObject, rec *StateRecord, dst *DestinationObject) bool {
	return r.Mode == config.ModeSync && !r.AdoptBySize && src != nil && rec == nil && dst != nil &&
		src.Size == dst.Size && (src.Checksum == "" || dst.Checksum == "")
}
