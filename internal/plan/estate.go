package plan

import (
	"slices"
	"strings"
)

// Estate is what lakesync init found in the two accounts, as plain data:
// exec discovers it (read-only calls), cmd/lakesync renders a starter
// configuration from it.
type Estate struct {
	Source, Destination EstateAccount
}

// EstateAccount is one account as its profile's credentials see it.
type EstateAccount struct {
	Profile string // the shared-config profile the credentials come from
	ID      string // the account id (sts:GetCallerIdentity)
	ARN     string // the caller's ARN
	Region  string // the profile's region
	// Endpoint is the endpoint_url of the profile, "" for AWS.
	Endpoint string
	Buckets  []EstateBucket // by name
	Keys     []EstateKey    // customer-managed keys only, by ARN
	Roles    []EstateRole   // candidate copier roles, by name
}

// EstateBucket is one bucket and the settings a configuration cares about.
type EstateBucket struct {
	Name   string
	Region string
	// Encryption is the default encryption algorithm ("AES256",
	// "aws:kms", "aws:kms:dsse"), "" when the bucket has none.
	Encryption string
	// KeyARN is the key of SSE-KMS default encryption as S3 reports it
	// (an ARN, a key id or an alias), "" for none or the AWS managed key.
	KeyARN     string
	Versioning string // "Enabled", "Suspended", "" (never enabled)
	ObjectLock bool
}

// EstateKey is one customer-managed KMS key.
type EstateKey struct {
	ARN     string
	ID      string
	Region  string
	Aliases []string // "alias/x", sorted
}

// EstateRole is one candidate copier role and why it is one.
type EstateRole struct {
	Name   string
	ARN    string
	Reason string // "its name has \"sync\"", "its trust names account 2222..."
}

// Key is the customer-managed key whose ARN, id or alias is ref, nil if
// the account has none such.
func (a *EstateAccount) Key(ref string) *EstateKey {
	for i, k := range a.Keys {
		if k.ARN == ref || k.ID == ref || slices.Contains(k.Aliases, ref) ||
			strings.HasSuffix(ref, ":"+k.ID) || strings.HasSuffix(ref, "/"+k.ID) {
			return &a.Keys[i]
		}
	}
	return nil
}

// EstatePair is one proposed sync job: a source bucket and a destination
// bucket, and why they were paired.
type EstatePair struct {
	Source, Destination string
	Shared              []string // name tokens both have; empty for a guess
	Guess               bool     // no token shared: the only pairing init could make
}

// CopierRoleWords in a role name make it a candidate copier role.
var CopierRoleWords = []string{"lakesync", "copier", "copy", "sync", "replication", "replicate"}

// genericTokens are name tokens too common to pair buckets by.
var genericTokens = []string{"s3", "aws", "bucket", "buckets", "data", "the"}

// lakeTokens make a destination bucket look like a data lake.
var lakeTokens = []string{"lake", "datalake", "raw", "landing", "ingest", "bronze", "lakehouse"}

// Pairs proposes the sync jobs of an estate. The rule: each source bucket
// is paired with the destination bucket whose name shares the most tokens
// with it (tokens are the parts between '-', '.' and '_', at least three
// characters, not all digits, not generic words like "data" or "bucket");
// ties go to the destination that looks like a data lake ("lake", "raw",
// "landing", ...), then to the first by name. A source bucket that shares
// no token is left out. When no pair at all is found and each side has a
// bucket, the first source bucket is paired with the destination that
// looks most like a data lake (else the first), marked as a guess, so the
// starter file always has a job to edit.
func Pairs(e *Estate) []EstatePair {
	var pairs []EstatePair
	for _, s := range e.Source.Buckets {
		st := nameTokens(s.Name)
		best, bestShared := "", []string(nil)
		for _, d := range e.Destination.Buckets {
			shared := sharedTokens(st, nameTokens(d.Name))
			if len(shared) == 0 {
				continue
			}
			if best == "" || len(shared) > len(bestShared) ||
				(len(shared) == len(bestShared) && lakeLike(d.Name) && !lakeLike(best)) {
				best, bestShared = d.Name, shared
			}
		}
		if best != "" {
			pairs = append(pairs, EstatePair{Source: s.Name, Destination: best, Shared: bestShared})
		}
	}
	if len(pairs) == 0 && len(e.Source.Buckets) > 0 && len(e.Destination.Buckets) > 0 {
		dest := e.Destination.Buckets[0].Name
		for _, d := range e.Destination.Buckets {
			if lakeLike(d.Name) {
				dest = d.Name
				break
			}
		}
		pairs = append(pairs, EstatePair{Source: e.Source.Buckets[0].Name, Destination: dest, Guess: true})
	}
	return pairs
}

// nameTokens are the pairing tokens of a bucket name, in order.
func nameTokens(name string) []string {
	var out []string
	for _, t := range strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return r == '-' || r == '.' || r == '_' }) {
		if len(t) < 3 || strings.Trim(t, "0123456789") == "" || slices.Contains(genericTokens, t) || slices.Contains(out, t) {
			continue
		}
		out = append(out, t)
	}
	return out
}

func sharedTokens(a, b []string) []string {
	var out []string
	for _, t := range a {
		if slices.Contains(b, t) {
			out = append(out, t)
		}
	}
	return out
}

// lakeLike reports whether a bucket name looks like a data lake's.
func lakeLike(name string) bool {
	n := strings.ToLower(name)
	for _, t := range lakeTokens {
		if strings.Contains(n, t) {
			return true
		}
	}
	return false
}
