package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/policy"
)

// documents merges the desired statements into every document of every
// bucket, key and role the configuration declares: a document no job needs
// any more loses lakesync's statements. A document with policy =
// "external" is never changed: it has no DocumentChange, and it is in
// force as read.
func (c *computer) documents() ([]*DocumentChange, error) {
	var jobIDs []string
	for _, j := range c.cfg.Jobs {
		jobIDs = append(jobIDs, j.ID())
	}
	c.after = map[Ref]*policy.Document{}
	var out []*DocumentChange
	var errs []error
	merge := func(dc *DocumentChange, raw []byte) {
		ch, after, err := diffDocument(dc, raw, c.desired[dc.Address], jobIDs)
		if err != nil {
			errs = append(errs, err)
			return
		}
		c.after[dc.Address] = after
		out = append(out, ch)
	}
	// An external document is never written: it is in force as read.
	external := func(addr Ref, kind, resource string, acct *config.Account, raw []byte) {
		d, err := observedDocument(kind, resource, acct, raw)
		if err != nil {
			errs = append(errs, err)
			return
		}
		c.after[addr] = d
	}
	for _, b := range c.cfg.Buckets {
		ob := c.obs.Buckets[b.Name]
		if err := checkBucket(b, ob); err != nil {
			errs = append(errs, err)
			continue
		}
		if b.Policy.External() {
			external(BucketRef(b), BucketPolicy, b.BucketName, b.Account, ob.Policy)
			continue
		}
		merge(&DocumentChange{Address: BucketRef(b), Kind: BucketPolicy, AccountName: b.Account.Name, AccountID: b.Account.ID, Resource: b.BucketName}, ob.Policy)
	}
	for _, k := range c.cfg.Keys {
		ok := c.obs.Keys[k.Name]
		if ok == nil || !ok.Exists {
			continue // reported by resolveKeys
		}
		if err := checkKey(k, ok); err != nil {
			errs = append(errs, err)
			continue
		}
		if k.Policy.External() {
			external(KeyRef(k), KeyPolicy, ok.ARN, k.Account, ok.Policy)
			continue
		}
		merge(&DocumentChange{Address: KeyRef(k), Kind: KeyPolicy, AccountName: k.Account.Name, AccountID: k.Account.ID, Resource: ok.ARN, PolicyName: "default"}, ok.Policy)
	}
	for _, r := range c.cfg.Roles {
		or := c.obs.Roles[r.Name]
		if or == nil || !or.Exists {
			errs = append(errs, fmt.Errorf("role.%s: the role %s does not exist in account %s (%s): create it (lakesync manages its inline policy %q, not the role itself), or fix its name", r.Name, r.RoleName, r.Account.Name, r.Account.ID, policy.RolePolicyName))
			continue
		}
		if r.Policy.External() {
			continue // its policies are read as they are (accessDocuments)
		}
		merge(&DocumentChange{Address: RoleRef(r), Kind: RolePolicy, AccountName: r.Account.Name, AccountID: r.Account.ID, Resource: r.RoleName, PolicyName: policy.RolePolicyName}, or.InlinePolicies[policy.RolePolicyName])
	}
	return out, errors.Join(errs...)
}

// diffDocument merges desired into the document read as raw and
// describes the change.
func diffDocument(dc *DocumentChange, raw []byte, desired []policy.Statement, jobIDs []string) (*DocumentChange, *policy.Document, error) {
	var before *policy.Document
	if raw != nil {
		sum := sha256.Sum256(raw)
		dc.BeforeSHA256 = hex.EncodeToString(sum[:])
		var err error
		if before, err = parseObserved(dc.Kind, dc.Resource, dc.AccountName, dc.AccountID, raw); err != nil {
			return nil, nil, err
		}
		dc.Before = compact(before)
	}
	after, err := policy.Merge(before, desired, jobIDs)
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s in account %s (%s): %w", kindName(dc.Kind), dc.Resource, dc.AccountName, dc.AccountID, err)
	}
	switch {
	case after == nil || after.Empty():
		if before != nil && !before.Empty() {
			dc.Action = ActionDelete
		} else {
			dc.Action = ActionNoOp
			dc.Before = nil
		}
		after = nil
	case before == nil || before.Empty():
		dc.Action = ActionCreate
		dc.After = compact(after)
	default:
		dc.After = compact(after)
		dc.Action = ActionNoOp
		if string(dc.Before) != string(dc.After) {
			dc.Action = ActionUpdate
		}
	}
	dc.Statements = policy.Diff(before, after)
	if dc.Action == ActionUpdate && !policy.Changed(dc.Statements) {
		// Only the encoding differs (for example Version added): nothing
		// a reviewer needs to see, but the document is rewritten.
		dc.Action = ActionNoOp
		dc.After = dc.Before
	}
	return dc, after, nil
}

// parseObserved parses a document read from an account; one that is not
// policy JSON is refused, naming where it is: lakesync never plans over
// (and so never overwrites) a document it cannot read.
func parseObserved(kind, resource, accountName, accountID string, raw []byte) (*policy.Document, error) {
	d, err := policy.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%s %s in account %s (%s) is not a valid policy document, so lakesync will not plan over it: %w; fix or remove it by hand first",
			kindName(kind), resource, accountName, accountID, err)
	}
	return d, nil
}

func compact(d *policy.Document) []byte {
	b, err := d.JSON()
	if err != nil {
		return nil
	}
	return b
}

func kindName(kind string) string {
	switch kind {
	case BucketPolicy:
		return "the bucket policy of"
	case KeyPolicy:
		return "the key policy of"
	default:
		return "the inline policy of role"
	}
}

func checkBucket(b *config.Bucket, ob *ObservedBucket) error {
	switch {
	case ob == nil:
		return fmt.Errorf("bucket.%s (%s in account %s %s) was not observed", b.Name, b.BucketName, b.Account.Name, b.Account.ID)
	case !ob.Exists:
		return fmt.Errorf("bucket.%s: the bucket %s does not exist or is not in account %s (%s): create it, fix its name, or set create = true in bucket %q for lakesync to create it", b.Name, b.BucketName, b.Account.Name, b.Account.ID, b.Name)
	}
	return nil
}

func checkKey(k *config.Key, ok *ObservedKey) error {
	where := fmt.Sprintf("key.%s (%s in account %s %s)", k.Name, ok.ARN, k.Account.Name, k.Account.ID)
	switch {
	case ok.KeyManager == "AWS":
		return fmt.Errorf("%s is AWS-managed: its policy cannot be changed and no other account can use it; create a customer-managed key", where)
	case ok.KeyState != "" && ok.KeyState != "Enabled":
		return fmt.Errorf("%s is %s: enable it (or cancel its deletion) before lakesync can use it", where, ok.KeyState)
	case ok.KeySpec != "" && ok.KeySpec != "SYMMETRIC_DEFAULT":
		return fmt.Errorf("%s is a %s key: S3 encrypts with symmetric keys only (SYMMETRIC_DEFAULT)", where, ok.KeySpec)
	case ok.KeyUsage != "" && ok.KeyUsage != "ENCRYPT_DECRYPT":
		return fmt.Errorf("%s has usage %s: S3 needs ENCRYPT_DECRYPT", where, ok.KeyUsage)
	}
	return nil
}
