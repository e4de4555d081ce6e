package plan

// Observed is what exec read from the accounts before planning: plain data,
// keyed by the names the config uses. A nil pointer or a missing map entry
// means "not observed" (for example a bucket in an account lakesync could
// not reach); an observed absence is recorded explicitly (Exists false).
type Observed struct {
	Buckets map[string]*ObservedBucket // by bucket block name
	Keys    map[string]*ObservedKey    // by key block name
	Roles   map[string]*ObservedRole   // by role block name
	// Data is what a run of each job would do, by job name; nil when the
	// data was not observed (plan --skip-data).
	Data map[string]*JobObservation
	// DataNotListed is why Data lacks a job: DataWhileCopying (apply
	// without a saved plan lists the data as it copies) or, when empty,
	// DataSkipped (plan --skip-data).
	DataNotListed DataListing
	// Prices override DefaultPrices for the estimate; nil for defaults.
	Prices *Prices
	// Migrations is how far each migration block got, by name, as the
	// state records it (absent: not started); nil when the state was not
	// read (plan --skip-data).
	Migrations map[string]*MigrationProgress
}

// ObservedBucket is the state of one bucket's settings lakesync manages.
type ObservedBucket struct {
	Exists bool
	// HeldByOther is set, with Exists false, when the bucket name belongs
	// to another account (observed for buckets with create = true only).
	HeldByOther bool
	Region      string // the bucket's region as S3 reports it
	// Policy is the bucket policy exactly as S3 returned it; nil when the
	// bucket has none.
	Policy []byte
	// ObjectOwnership is the ownership controls rule ("BucketOwnerEnforced",
	// "BucketOwnerPreferred", "ObjectWriter"), empty when none is set.
	ObjectOwnership string
	// Encryption is the default encryption rule, nil when none is set.
	Encryption *BucketEncryption
	// AbortIncompleteDays is the days-after-initiation of a lifecycle rule
	// that aborts incomplete multipart uploads for the whole bucket, 0 when
	// there is none.
	AbortIncompleteDays int32
	// Lifecycle is the lifecycle configuration exactly as read (JSON of
	// the SDK's rules), kept so that adding a rule never drops others.
	Lifecycle []byte
	// Versioning is the bucket's versioning status: "Enabled",
	// "Suspended", or empty when versioning was never enabled.
	Versioning string
	// ObjectLock is the bucket's Object Lock configuration, nil when the
	// bucket has no Object Lock.
	ObjectLock *BucketObjectLock
}

// BucketObjectLock is a bucket's Object Lock configuration: enabled, with
// the default retention new objects get (Mode empty: none).
type BucketObjectLock struct {
	Mode  string // "GOVERNANCE" or "COMPLIANCE"; empty: no default retention
	Days  int32
	Years int32
}

// BucketEncryption is a bucket's default encryption rule.
type BucketEncryption struct {
	Algorithm        string // "aws:kms", "AES256", "aws:kms:dsse"
	KMSKeyID         string // as configured: ARN, key id or alias
	BucketKeyEnabled bool
}

// ObservedKey is a KMS key as DescribeKey and GetKeyPolicy report it.
type ObservedKey struct {
	Exists     bool
	ARN        string // resolved key ARN (aliases resolved)
	KeyManager string // "CUSTOMER" or "AWS"
	KeyState   string // "Enabled", "Disabled", "PendingDeletion", ...
	KeySpec    string // "SYMMETRIC_DEFAULT", ...
	KeyUsage   string // "ENCRYPT_DECRYPT", ...
	// Policy is the "default" key policy exactly as KMS returned it.
	Policy []byte
}

// ObservedRole is an IAM role and its inline policies.
type ObservedRole struct {
	Exists bool
	ARN    string
	// InlinePolicies maps policy name to the document exactly as IAM
	// returned it (URL-decoded).
	InlinePolicies map[string][]byte
	// AttachedPolicies maps the ARN of each managed policy attached to the
	// role to its default version's document (URL-decoded). It is read for
	// roles with policy = "external" only: lakesync evaluates what another
	// tool gives them.
	AttachedPolicies map[string][]byte
}
