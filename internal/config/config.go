package config

import (
	"fmt"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// DefaultStatePath is where the local state store lives when the config
// has no state block.
const DefaultStatePath = ".lakesync/state"

// Defaults of a sync job.
const (
	DefaultConcurrency        = 64      // where concurrency = "auto" starts
	DefaultMultipartThreshold = 5 << 30 // 5 GiB, the CopyObject limit
	DefaultPartSize           = 64 << 20
)

// Config is a decoded, validated lakesync configuration. Blocks appear in
// the order they were declared; references between blocks are pointers.
type Config struct {
	Accounts  []*Account
	Keys      []*Key
	Buckets   []*Bucket
	Roles     []*Role
	Jobs      []*Job
	Variables []*Variable
	State     *State
	// Migrations are the migration blocks: buckets to move to another
	// account (lakesync migrate NAME).
	Migrations []*Migration
}

// Account is an AWS account and how to reach it.
type Account struct {
	Name             string // block label
	ID               string // 12 digits
	Region           string
	Profile          string // shared-config profile, optional
	RoleARN          string // role to assume for admin work, optional
	ExternalID       string // for RoleARN, optional
	EndpointURL      string // S3-compatible stores and local testing, optional
	S3ForcePathStyle bool
	DeclRange        hcl.Range
}

// Key is a KMS customer-managed key, named by ARN or by alias.
type Key struct {
	Name    string
	Account *Account
	ARN     string // full key ARN, or empty when Alias is set
	Alias   string // "alias/...", resolved against the account at plan time
	// Region is the key's region: its ARN's, or for an alias the region of
	// the buckets it encrypts (their account's unless they say otherwise).
	// A Key built by hand may leave it empty: see InRegion.
	Region string
	// Policy says who writes the key policy: lakesync (Managed) or another
	// tool (External).
	Policy    Ownership
	DeclRange hcl.Range
}

// InRegion is the region KMS requests about the key go to: Region, else
// the region of its ARN, else its account's.
func (k *Key) InRegion() string {
	if k.Region != "" {
		return k.Region
	}
	if m := keyARNRe.FindStringSubmatch(k.ARN); m != nil {
		return m[1]
	}
	if k.Account != nil {
		return k.Account.Region
	}
	return ""
}

// Ref is the key's identifier as given: its ARN or its alias.
func (k *Key) Ref() string {
	if k.ARN != "" {
		return k.ARN
	}
	return k.Alias
}

// Bucket is an S3 bucket, optionally encrypted with a customer-managed key.
type Bucket struct {
	Name       string // block label
	Account    *Account
	BucketName string // the S3 bucket name
	Key        *Key   // nil when the bucket is not SSE-KMS with a CMK
	// Region is the region the configuration says the bucket is in: its
	// region attribute, else its account's. A Bucket built by hand may
	// leave it empty: see InRegion.
	Region string
	// RegionRange is where the region attribute is written; nil when the
	// bucket takes its account's region.
	RegionRange *hcl.Range
	// Policy says who writes the bucket policy and settings: lakesync
	// (Managed) or another tool (External).
	Policy Ownership
	// Create says lakesync creates the bucket when it does not exist (an
	// existing bucket of the account is adopted); removing the block never
	// deletes it. Versioning enables versioning on the bucket it creates.
	Create, Versioning bool
	DeclRange          hcl.Range
}

// InRegion is the region the configuration says the bucket is in: Region,
// else its account's.
func (b *Bucket) InRegion() string {
	if b.Region != "" || b.Account == nil {
		return b.Region
	}
	return b.Account.Region
}

// ARN is the bucket's ARN.
func (b *Bucket) ARN() string { return "arn:aws:s3:::" + b.BucketName }

// Role is an IAM role whose inline policy lakesync manages: the copier.
type Role struct {
	Name     string // block label
	Account  *Account
	RoleName string
	// Policy says who writes the role's policies: lakesync, its inline
	// policy "lakesync" (Managed), or another tool (External: lakesync
	// writes none and evaluates its attached and inline policies).
	Policy    Ownership
	DeclRange hcl.Range
}

// ARN is the role's ARN.
func (r *Role) ARN() string {
	return fmt.Sprintf("arn:aws:iam::%s:role/%s", r.Account.ID, r.RoleName)
}

// Mode says what a job copies.
type Mode string

// Modes of a sync job.
const (
	ModeCp   Mode = "cp"   // copy every selected object, every run
	ModeSync Mode = "sync" // copy only new or changed objects
)

// Transfer says how bytes move.
type Transfer string

// Transfers of a sync job.
const (
	TransferServerSide Transfer = "server-side" // CopyObject / UploadPartCopy as the copier role
	TransferStream     Transfer = "stream"      // GET with source credentials, PUT with destination credentials
)

// Archived says what a job does with archived source objects.
type Archived string

// The values of archived.
const (
	ArchivedSkip    Archived = "skip"    // count them, copy the others, succeed
	ArchivedRestore Archived = "restore" // request a restore once, copy them once restored
	ArchivedFail    Archived = "fail"    // fail the run, naming each of them
)

// Restore tiers (S3's Tier values) and the defaults of a restore request.
const (
	RestoreTierBulk      = "Bulk"
	RestoreTierStandard  = "Standard"
	RestoreTierExpedited = "Expedited"

	DefaultRestoreTier = RestoreTierBulk
	DefaultRestoreDays = 3
)

// Job is one copy job: a sync block.
type Job struct {
	Name              string
	Source            *Bucket
	Destination       *Bucket
	Role              *Role // nil with TransferStream, or within one account
	Mode              Mode
	SourcePrefix      string
	DestinationPrefix string
	Include           []string
	Exclude           []string
	Delete            bool
	Transfer          Transfer
	// Concurrency is the requests in flight: a number from 1 to
	// MaxConcurrency fixes it; ConcurrencyAuto (0: "auto", the default)
	// lets the copier adapt it (limit.Adaptive).
	Concurrency        int
	ListParallelism    int // key ranges listed at once; ListParallelismAuto (0): the run chooses
	MultipartThreshold int64
	PartSize           int64
	StorageClass       string // empty: the bucket's default
	// Archived says what a run does with source objects that cannot be
	// read until restored (GLACIER, DEEP_ARCHIVE, the archive tiers of
	// INTELLIGENT_TIERING); RestoreTier and RestoreDays are the restore
	// requests of ArchivedRestore.
	Archived    Archived
	RestoreTier string
	RestoreDays int
	// SourceInventory, when set, is where the source bucket's S3
	// Inventory reports land; the newest one is the source listing.
	SourceInventory *InventoryLocation
	// MaxRequestsPerSecond caps the request attempts the job makes per
	// second, retries included (0: no cap).
	MaxRequestsPerSecond float64
	// Bandwidth caps the bytes per second a stream job reads through the
	// machine (0: no cap); refused on a server-side job.
	Bandwidth int64
	DeclRange hcl.Range
	// SourceAsOf, when not zero, is the time whose versions of the source
	// are copied (source_as_of): for each key the newest version modified
	// at or before it; a key deleted or not yet written then is absent.
	SourceAsOf time.Time
	// ObjectLock says whether a copy carries the source object's Object
	// Lock retention and legal hold (ObjectLockCopy) or leaves them to the
	// destination bucket's default (ObjectLockBucketDefault, the default).
	ObjectLock ObjectLock
}

// ID is the job name in the alphanumeric form used in policy statement
// ids (see JobID).
func (j *Job) ID() string { return JobID(j.Name) }

// Variable is an input variable, set by --var or LAKESYNC_VAR_NAME.
type Variable struct {
	Name        string
	Description string
	Default     *string // nil: the variable is required
	DeclRange   hcl.Range
}

// State says where the state store lives: a local file (Backend
// StateBackendLocal, Path) or an object in S3 (StateBackendS3: Bucket, Key,
// Account), downloaded for the run and uploaded back under a lock.
type State struct {
	Backend   string // StateBackendLocal (default) or StateBackendS3
	Path      string // local file; DefaultStatePath when unset; empty with S3
	Bucket    string // S3: bucket name
	Key       string // S3: object key of the state; the lock is Key+".lock"
	Account   *Account
	DeclRange hcl.Range
}

// StateKMSKey is the key of the bucket block naming the S3 state bucket in the
// state's account, or nil: the state is then encrypted as the bucket's
// default encryption says.
func (c *Config) StateKMSKey() *Key {
	st := c.State
	if st == nil || st.Backend != StateBackendS3 {
		return nil
	}
	for _, b := range c.Buckets {
		if b.BucketName == st.Bucket && b.Account == st.Account && b.Key != nil {
			return b.Key
		}
	}
	return nil
}

// Job returns the job named name, or nil.
func (c *Config) Job(name string) *Job {
	for _, j := range c.Jobs {
		if j.Name == name {
			return j
		}
	}
	return nil
}
