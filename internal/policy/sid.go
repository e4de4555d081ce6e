package policy

import (
	"strings"
)

// SidPrefix starts the Sid of every statement lakesync owns.
const SidPrefix = "Lakesync"

// Purpose names what one generated statement is for; it ends the Sid.
type Purpose string

// Purposes of generated statements. No purpose is a suffix of another, so a
// Sid splits into job and purpose in exactly one way.
const (
	SourceList  Purpose = "SourceList"
	SourceRead  Purpose = "SourceRead"
	SourceKey   Purpose = "SourceKey"
	DestList    Purpose = "DestList"
	DestUploads Purpose = "DestUploads"
	DestWrite   Purpose = "DestWrite"
	DestKey     Purpose = "DestKey"
	// The S3 Inventory reports a job reads as its source listing
	// (source_inventory).
	InventoryList Purpose = "InventoryList"
	InventoryRead Purpose = "InventoryRead"
)

var purposes = []Purpose{SourceList, SourceRead, SourceKey, DestList, DestUploads, DestWrite, DestKey, InventoryList, InventoryRead}

// JobID turns a job name into the alphanumeric CamelCase identifier used in
// Sids. The algorithm, which internal/config repeats to reject two jobs whose
// JobIDs collide, is exactly: split the name on every rune that is not an
// ASCII letter or digit; drop empty parts; upper-case the first rune of each
// part if it is a lower-case ASCII letter, keep the rest of the part
// unchanged; concatenate. So "prod_to_lake", "prod-to-lake" and "prodToLake"
// all give "ProdToLake", and "läke" gives "LKe". A name without any ASCII
// letter or digit gives "", which Generate rejects.
func JobID(name string) string {
	var b strings.Builder
	startOfPart := true
	for _, r := range name {
		if !isAlnum(r) {
			startOfPart = true
			continue
		}
		if startOfPart && r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		startOfPart = false
		b.WriteRune(r)
	}
	return b.String()
}

func isAlnum(r rune) bool {
	return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
}

// SidFor is the Sid of the statement with the given purpose for a job.
func SidFor(jobID string, p Purpose) string {
	return SidPrefix + jobID + string(p)
}

// Owned reports whether a statement with this Sid belongs to lakesync.
func Owned(sid string) bool { return strings.HasPrefix(sid, SidPrefix) }

// OwnedBy reports whether the Sid is one lakesync generates for the job: the
// prefix, the JobID, then exactly one known purpose. A JobID that is a prefix
// of another ("Prod", "ProdToLake") therefore does not claim the other's
// statements.
func OwnedBy(sid, jobID string) bool {
	id, _, ok := SplitSid(sid)
	return ok && id == jobID
}

// SplitSid splits a Sid lakesync generates into the JobID and the
// purpose; ok is false for any other Sid.
func SplitSid(sid string) (jobID string, p Purpose, ok bool) {
	rest, found := strings.CutPrefix(sid, SidPrefix)
	if !found {
		return "", "", false
	}
	for _, p := range purposes {
		if id, found := strings.CutSuffix(rest, string(p)); found && id != "" {
			return id, p, true
		}
	}
	return "", "", false
}
