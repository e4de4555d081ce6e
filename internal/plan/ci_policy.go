package plan

import (
	"fmt"
	"slices"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/policy"
)

// CIRole is one of the two roles a CI pipeline uses in every account.
type CIRole string

// CI roles.
const (
	// CIPlanRole runs lakesync plan on pull requests: it reads policies and
	// bucket settings and writes nothing.
	CIPlanRole CIRole = "plan"
	// CIApplyRole runs lakesync apply on merge and on a schedule: it reads
	// what the planning role reads and writes the policies, the settings
	// and the data of stream jobs and of server-side jobs without a copier
	// role (within one account, with its credentials).
	CIApplyRole CIRole = "apply"
	// CIMigrateRole runs lakesync migrate: what the applying role does,
	// for the configuration with the migrations' buckets and copies, and
	// the migrations' own bucket operations, which delete the moved
	// bucket and the temporary one. Keep it apart from the applying role
	// and give it to CI only for the run of a migration.
	CIMigrateRole CIRole = "migrate"
)

// CIPolicyOptions say which CI policy to generate.
type CIPolicyOptions struct {
	Role CIRole
	// PlanData lets the planning role observe data: list the buckets of
	// stream jobs (and of server-side jobs without a copier role) and
	// assume the copier role of server-side jobs, whose
	// listings run as the copier. Without it the planning role only reads
	// policies and settings, and CI plans with --skip-data. Assuming the
	// copier gives the planning role the copier's rights (read the source
	// prefix, write the destination prefix). The applying role always
	// observes data.
	PlanData bool
}

// CIPolicy is the identity policy of a CI role acting as one account. Each
// account's role is assumed separately (a profile or role_arn per account
// block), so each gets its own policy, naming only that account's
// resources.
type CIPolicy struct {
	Account  *config.Account
	Role     CIRole
	Document *policy.Document
}

// CIPolicies generates the least-privilege policy of a CI role for every
// account of cfg that holds a bucket, key or role. Resources are exactly
// the configuration's bucket, object-prefix, key and role ARNs, with one
// exception: a key named by alias has no ARN before it is looked up, and
// IAM matches KMS key operations only against key ARNs (never alias ARNs),
// so its statement names the account's keys in the account's region
// (key/*) limited by kms:ResourceAliases to keys carrying that alias.
// Naming such keys by ARN in the configuration gives the exact ARN instead.
//
// sts:GetCallerIdentity, with which lakesync checks every account's
// credentials, needs no permission (AWS allows it to every principal and
// a policy cannot deny it), so no policy grants it.
func CIPolicies(cfg *config.Config, opts CIPolicyOptions) ([]CIPolicy, error) {
	if opts.Role != CIPlanRole && opts.Role != CIApplyRole && opts.Role != CIMigrateRole {
		return nil, fmt.Errorf("CI role %q is none of %q, %q and %q", opts.Role, CIPlanRole, CIApplyRole, CIMigrateRole)
	}
	var out []CIPolicy
	for _, a := range cfg.Accounts {
		var sts []policy.Statement
		if opts.Role == CIMigrateRole {
			sts = migrateStatements(cfg, a)
		} else {
			sts = ciStatements(cfg, a, opts)
		}
		if len(sts) == 0 {
			continue
		}
		out = append(out, CIPolicy{Account: a, Role: opts.Role,
			Document: &policy.Document{Version: policy.DefaultVersion, Statements: sts}})
	}
	return out, nil
}

// ciAccount is what of a configuration lives in one account.
type ciAccount struct {
	buckets, destinations []string // bucket ARNs; destinations of jobs
	keys                  []*config.Key
	roles                 []string // role ARNs
	copiers               []string // role ARNs of server-side jobs' copiers
	listed                []string // bucket ARNs of stream jobs
	// ownListed are the bucket ARNs of server-side jobs without a copier
	// role, which copy within the account with its own credentials.
	ownListed []string
}

func collect(cfg *config.Config, a *config.Account) ciAccount {
	var c ciAccount
	add := func(list *[]string, v string) { *list = appendNew(*list, v) }
	for _, b := range cfg.Buckets {
		if b.Account == a {
			add(&c.buckets, b.ARN())
		}
	}
	for _, k := range cfg.Keys {
		if k.Account == a {
			c.keys = append(c.keys, k)
		}
	}
	for _, r := range cfg.Roles {
		if r.Account == a {
			add(&c.roles, r.ARN())
		}
	}
	for _, j := range cfg.Jobs {
		if j.Destination.Account == a {
			add(&c.destinations, j.Destination.ARN())
		}
		switch {
		case j.Transfer == config.TransferStream || j.Role == nil:
			list := &c.listed
			if j.Transfer != config.TransferStream {
				list = &c.ownListed
			}
			for _, b := range []*config.Bucket{j.Source, j.Destination} {
				if b.Account == a {
					add(list, b.ARN())
				}
			}
		case j.Role.Account == a:
			add(&c.copiers, j.Role.ARN())
		}
	}
	return c
}

func ciStatements(cfg *config.Config, a *config.Account, opts CIPolicyOptions) []policy.Statement {
	c := collect(cfg, a)
	apply := opts.Role == CIApplyRole
	var out []policy.Statement
	allow := func(sid string, actions []string, resources []string) {
		if len(resources) > 0 {
			out = append(out, policy.Statement{Sid: sid, Effect: policy.Allow, Action: policy.Values(actions), Resource: policy.Values(resources)})
		}
	}
	allow("CIReadBuckets", []string{"s3:GetBucketLocation", "s3:GetBucketPolicy", "s3:GetBucketOwnershipControls",
		"s3:GetEncryptionConfiguration", "s3:GetLifecycleConfiguration", "s3:GetBucketVersioning", "s3:GetBucketObjectLockConfiguration"}, c.buckets)
	out = append(out, keyStatements("CIReadKeys", []string{"kms:DescribeKey", "kms:GetKeyPolicy"}, c.keys)...)
	allow("CIReadRoles", []string{"iam:GetRole", "iam:ListRolePolicies", "iam:GetRolePolicy"}, c.roles)
	out = append(out, externalRoleStatements(cfg, a)...)
	out = append(out, stateStatements(cfg, a, apply)...)
	out = append(out, createStatements(cfg, a, apply)...)
	if apply || opts.PlanData {
		allow("CIListStreamBuckets", []string{"s3:ListBucket"}, c.listed)
		allow("CIListSameAccountBuckets", []string{"s3:ListBucket"}, c.ownListed)
		allow("CIAssumeCopiers", []string{"sts:AssumeRole"}, c.copiers)
	}
	if !apply {
		return out
	}
	allow("CIWriteBucketPolicies", []string{"s3:PutBucketPolicy", "s3:DeleteBucketPolicy"}, c.buckets)
	allow("CIWriteBucketSettings", []string{"s3:PutBucketOwnershipControls", "s3:PutEncryptionConfiguration",
		"s3:PutLifecycleConfiguration"}, c.destinations)
	out = append(out, keyStatements("CIWriteKeyPolicies", []string{"kms:PutKeyPolicy"}, c.keys)...)
	allow("CIWriteRolePolicies", []string{"iam:PutRolePolicy", "iam:DeleteRolePolicy"}, c.roles)
	for _, j := range cfg.Jobs {
		switch {
		case j.Transfer == config.TransferStream:
			out = append(out, ownCopyStatements("CIStream"+j.ID(), j, a)...)
		case j.Role == nil:
			// Server-side within the account, as the account itself: CI's
			// role is the copier (CopyObject and UploadPartCopy need the
			// same rights on both sides as a stream).
			out = append(out, ownCopyStatements("CICopy"+j.ID(), j, a)...)
		}
		out = append(out, restoreStatements(j, a)...)
	}
	return out
}

// restoreStatements let the source account of a job with archived =
// "restore" send the restore requests of its archived objects: apply sends
// them with the source account's credentials, not the copier's.
func restoreStatements(j *config.Job, a *config.Account) []policy.Statement {
	if j.Archived != config.ArchivedRestore || j.Source.Account != a {
		return nil
	}
	return []policy.Statement{{Sid: "CIRestore" + j.ID(), Effect: policy.Allow,
		Action: policy.Values{"s3:RestoreObject"}, Resource: policy.Values{objectsARN(j.Source, j.SourcePrefix)}}}
}

// stateStatements let the CI roles use a state kept in S3 in account a:
// the planning role reads it, the applying role also writes it and its
// lock (KEY.lock) and the states of shards (KEY.shard-I-of-N), all under
// KEY*; with the key of a declared bucket of that name to decrypt and
// encrypt it.
func stateStatements(cfg *config.Config, a *config.Account, apply bool) []policy.Statement {
	st := cfg.State
	if st == nil || st.Backend != config.StateBackendS3 || st.Account != a {
		return nil
	}
	res := policy.Values{"arn:aws:s3:::" + st.Bucket + "/" + st.Key + "*"}
	actions, kmsActions := []string{"s3:GetObject"}, []string{"kms:Decrypt"}
	if apply {
		actions = append(actions, "s3:PutObject", "s3:DeleteObject")
		kmsActions = append(kmsActions, "kms:GenerateDataKey")
	}
	out := []policy.Statement{{Sid: "CIState", Effect: policy.Allow, Action: policy.Values(actions), Resource: res}}
	for _, b := range cfg.Buckets {
		if b.BucketName == st.Bucket && b.Account == a && b.Key != nil {
			out = append(out, keyStatements("CIStateKey", kmsActions, []*config.Key{b.Key})...)
		}
	}
	return out
}

// ownCopyStatements are what a job's side in account a does with the
// account's own credentials, Sids starting with id: a stream job's, and a
// server-side job's without a copier role (within one account). Read the
// source prefix, or write the destination prefix, with the side's key.
func ownCopyStatements(id string, j *config.Job, a *config.Account) []policy.Statement {
	var out []policy.Statement
	if b := j.Source; b.Account == a {
		out = append(out, policy.Statement{Sid: id + "SourceRead", Effect: policy.Allow,
			Action: policy.Values{"s3:GetObject", "s3:GetObjectTagging"}, Resource: policy.Values{objectsARN(b, j.SourcePrefix)}})
		if b.Key != nil {
			out = append(out, keyStatements(id+"SourceKey", []string{"kms:Decrypt"}, []*config.Key{b.Key})...)
		}
	}
	if b := j.Destination; b.Account == a {
		// The same object actions as the copier's (policy.Generate): copies
		// carry the source's tags.
		write := []string{"s3:GetObject", "s3:PutObject", "s3:PutObjectTagging", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"}
		if j.Delete {
			write = append(write, "s3:DeleteObject")
		}
		out = append(out,
			policy.Statement{Sid: id + "DestUploads", Effect: policy.Allow,
				Action: policy.Values{"s3:ListBucketMultipartUploads"}, Resource: policy.Values{b.ARN()}},
			policy.Statement{Sid: id + "DestWrite", Effect: policy.Allow,
				Action: policy.Values(write), Resource: policy.Values{objectsARN(b, j.DestinationPrefix)}})
		if b.Key != nil {
			// Multipart uploads with SSE-KMS need kms:Decrypt as well.
			out = append(out, keyStatements(id+"DestKey", []string{"kms:GenerateDataKey", "kms:Decrypt"}, []*config.Key{b.Key})...)
		}
	}
	return out
}

func objectsARN(b *config.Bucket, prefix string) string { return b.ARN() + "/" + prefix + "*" }

// keyStatements allow actions on keys: one statement for the keys named by
// ARN, and one for the keys named by alias (see CIPolicies).
func keyStatements(sid string, actions []string, keys []*config.Key) []policy.Statement {
	var arns, aliasRes, aliases []string
	for _, k := range keys {
		if k.ARN != "" {
			arns = appendNew(arns, k.ARN)
			continue
		}
		region := k.InRegion() // its buckets' region
		if region == "" {
			region = "*" // the region comes from the account's profile
		}
		aliasRes = appendNew(aliasRes, fmt.Sprintf("arn:aws:kms:%s:%s:key/*", region, k.Account.ID))
		aliases = appendNew(aliases, k.Alias)
	}
	var out []policy.Statement
	if len(arns) > 0 {
		out = append(out, policy.Statement{Sid: sid, Effect: policy.Allow, Action: policy.Values(actions), Resource: policy.Values(arns)})
	}
	if len(aliases) > 0 {
		out = append(out, policy.Statement{Sid: sid + "ByAlias", Effect: policy.Allow, Action: policy.Values(actions),
			Resource:  policy.Values(aliasRes),
			Condition: policy.Condition{"ForAnyValue:StringEquals": {"kms:ResourceAliases": policy.Values(aliases)}}})
	}
	return out
}

func appendNew(list []string, v string) []string {
	if slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}
