package policy

import (
	"errors"
	"fmt"
)

// Transfer modes of a job.
const (
	ServerSide = "server-side" // CopyObject with the copier role
	Stream     = "stream"      // GET with source credentials, PUT with destination credentials
)

// RolePolicyName is the name of the copier role's inline policy.
const RolePolicyName = "lakesync"

// StreamNote is shown by the plan for stream jobs.
const StreamNote = "stream transfer: each side uses its own credentials, no cross-account grant needed"

// Side is one end of a copy job.
type Side struct {
	Account string // 12-digit account id
	Region  string
	Bucket  string
	Prefix  string // "" for the whole bucket
	KeyARN  string // KMS key ARN (not an alias); "" when the bucket is not SSE-KMS
}

// Grant describes one copy job, as far as access is concerned.
type Grant struct {
	Job         string // job name from the configuration
	SidPrefix   string // optional; defaults to "Lakesync" + JobID(Job)
	RoleARN     string // the copier role
	RoleAccount string // account of the copier role
	Source      Side
	Destination Side // KeyARN required for server-side transfers
	Delete      bool
	Transfer    string // ServerSide or Stream
	// MultipartThreshold is the size above which objects are copied in
	// parts (0: the default, 5 GiB); PartsPlanned says the plan copies
	// some object in parts in this run.
	MultipartThreshold int64
	PartsPlanned       bool
	// Inventory is where the S3 Inventory reports the job reads as its
	// source listing are (Bucket and Prefix; Account when the bucket is
	// declared, "" otherwise); nil: the job lists its source bucket.
	Inventory *Side
	// Versions says the job lists the source's versions and copies chosen
	// versions (source_as_of): s3:ListBucketVersions on the source bucket,
	// s3:GetObjectVersion and s3:GetObjectVersionTagging on its objects.
	Versions bool
	// ObjectLock says the job copies each object's Object Lock retention
	// and legal hold (object_lock = "copy"): s3:GetObjectRetention and
	// s3:GetObjectLegalHold on the source, s3:PutObjectRetention and
	// s3:PutObjectLegalHold on the destination.
	ObjectLock bool
}

// sidPrefix is the prefix of the job's Sids.
func (g Grant) sidPrefix() string {
	if g.SidPrefix != "" {
		return g.SidPrefix
	}
	return SidPrefix + JobID(g.Job)
}

// Topology of a server-side job, from the copier role's account.
const (
	Push         = "push"          // role in the source account
	Pull         = "pull"          // role in the destination account
	SameAccount  = "same-account"  // source, destination and role in one account
	ThirdAccount = "third-account" // role in neither account: both sides grant it
	NoTopology   = "stream"        // stream jobs use no copier role
)

// Desired is the set of statements one job needs in each document. A nil
// slice means the job needs nothing in that document.
type Desired struct {
	Topology           string
	DestBucketPolicy   []Statement
	DestKeyPolicy      []Statement
	RolePolicy         []Statement // inline policy RolePolicyName of the copier role
	SourceBucketPolicy []Statement
	SourceKeyPolicy    []Statement
	Notes              []string // human-readable remarks for the plan
	// InventoryBucketPolicy is what the bucket of Grant.Inventory grants
	// the role when it is in another account (it may be the source
	// bucket itself: the statements then join SourceBucketPolicy's).
	InventoryBucketPolicy []Statement
}

func (g Grant) validate() error {
	var errs []error
	sides := []struct {
		name string
		side Side
	}{{"source", g.Source}, {"destination", g.Destination}}
	if g.sidPrefix() == SidPrefix {
		errs = append(errs, fmt.Errorf("job name %q has no ASCII letter or digit to build a Sid from", g.Job))
	}
	if !Owned(g.sidPrefix()) {
		errs = append(errs, fmt.Errorf("SidPrefix %q must start with %q", g.SidPrefix, SidPrefix))
	}
	for _, s := range sides {
		if s.side.Bucket == "" {
			errs = append(errs, fmt.Errorf("%s bucket is empty", s.name))
		}
		if !isAccountID(s.side.Account) {
			errs = append(errs, fmt.Errorf("%s account %q is not a 12-digit id", s.name, s.side.Account))
		}
		if s.side.KeyARN != "" && !isKeyARN(s.side.KeyARN) {
			errs = append(errs, fmt.Errorf("%s key %q is not a KMS key ARN (resolve aliases first)", s.name, s.side.KeyARN))
		}
	}
	if inv := g.Inventory; inv != nil {
		if inv.Bucket == "" {
			errs = append(errs, errors.New("inventory bucket is empty"))
		}
		if inv.Account != "" && !isAccountID(inv.Account) {
			errs = append(errs, fmt.Errorf("inventory account %q is not a 12-digit id", inv.Account))
		}
	}
	if g.Transfer == Stream {
		return errors.Join(errs...)
	}
	if g.Transfer != ServerSide {
		errs = append(errs, fmt.Errorf("transfer %q is neither %q nor %q", g.Transfer, ServerSide, Stream))
	}
	if a, ok := parseARN(g.RoleARN); !ok || a.Service != "iam" {
		errs = append(errs, fmt.Errorf("role %q is not an IAM role ARN", g.RoleARN))
	} else if a.Account != g.RoleAccount {
		errs = append(errs, fmt.Errorf("role %q is not in account %q", g.RoleARN, g.RoleAccount))
	}
	if g.Destination.KeyARN == "" {
		errs = append(errs, errors.New("destination key is required for server-side transfers"))
	}
	for _, s := range sides {
		if s.side.Region == "" && s.side.KeyARN != "" {
			errs = append(errs, fmt.Errorf("%s region is empty", s.name))
		}
	}
	return errors.Join(errs...)
}

// Generate returns the statements a job needs. Stream jobs need none: each
// side uses its own credentials. For server-side jobs the role policy always
// grants everything; a bucket or key policy grants the role only when it is
// in another account than that bucket or key (a same-account key is assumed
// to keep the default statement that delegates to IAM; the checks and the
// evaluator verify that assumption against the observed key policy).
func Generate(g Grant) (Desired, error) {
	if err := g.validate(); err != nil {
		return Desired{}, fmt.Errorf("job %q: %w", g.Job, err)
	}
	if g.Transfer == Stream {
		return Desired{Topology: NoTopology, Notes: []string{StreamNote}}, nil
	}
	p := g.sidPrefix()
	src, dst := g.Source, g.Destination
	d := Desired{Topology: topology(g)}

	list, read := listStatement(p+string(SourceList), src), []string{"s3:GetObject", "s3:GetObjectTagging"}
	if g.Versions {
		list.Action = append(list.Action, "s3:ListBucketVersions")
		read = append(read, "s3:GetObjectVersion", "s3:GetObjectVersionTagging")
	}
	write := []string{"s3:GetObject", "s3:PutObject", "s3:PutObjectTagging",
		"s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"}
	if g.ObjectLock {
		read = append(read, "s3:GetObjectRetention", "s3:GetObjectLegalHold")
		write = append(write, "s3:PutObjectRetention", "s3:PutObjectLegalHold")
	}
	srcS3 := []Statement{list, objectStatement(p+string(SourceRead), src, read)}
	if g.Delete {
		write = append(write, "s3:DeleteObject")
	}
	dstS3 := []Statement{
		listStatement(p+string(DestList), dst),
		uploadsStatement(p+string(DestUploads), dst),
		objectStatement(p+string(DestWrite), dst, write),
	}
	// Multipart writes with SSE-KMS need kms:Decrypt as well as GenerateDataKey.
	dstKey := keyStatement(p+string(DestKey), dst, []string{"kms:GenerateDataKey", "kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"})
	var srcKey Statement
	if src.KeyARN != "" {
		srcKey = keyStatement(p+string(SourceKey), src, []string{"kms:Decrypt"})
	}

	d.RolePolicy = append(d.RolePolicy, srcS3...)
	if inv := g.Inventory; inv != nil {
		// The role reads the reports where they land: the folders under
		// the prefix, then manifest.json, manifest.checksum and the data
		// files below it.
		invS3 := []Statement{
			listStatement(p+string(InventoryList), *inv),
			objectStatement(p+string(InventoryRead), *inv, []string{"s3:GetObject"}),
		}
		d.RolePolicy = append(d.RolePolicy, invS3...)
		if inv.Account != "" && inv.Account != g.RoleAccount {
			d.InventoryBucketPolicy = withPrincipal(invS3, g.RoleARN)
		}
	}
	d.RolePolicy = append(d.RolePolicy, dstS3...)
	if src.KeyARN != "" {
		d.RolePolicy = append(d.RolePolicy, identityKey(srcKey, src.KeyARN))
	}
	d.RolePolicy = append(d.RolePolicy, identityKey(dstKey, dst.KeyARN))

	if g.RoleAccount != src.Account {
		d.SourceBucketPolicy = withPrincipal(srcS3, g.RoleARN)
	}
	if src.KeyARN != "" && g.RoleAccount != accountOf(src.KeyARN) {
		d.SourceKeyPolicy = withPrincipal([]Statement{srcKey}, g.RoleARN)
	}
	if g.RoleAccount != dst.Account {
		d.DestBucketPolicy = withPrincipal(dstS3, g.RoleARN)
	}
	if g.RoleAccount != accountOf(dst.KeyARN) {
		d.DestKeyPolicy = withPrincipal([]Statement{dstKey}, g.RoleARN)
	}
	return d, nil
}

func topology(g Grant) string {
	src, dst := g.RoleAccount == g.Source.Account, g.RoleAccount == g.Destination.Account
	switch {
	case src && dst:
		return SameAccount
	case src:
		return Push
	case dst:
		return Pull
	}
	return ThirdAccount
}
