package exec

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/plan"
)

// PolicyEvent reports one document or setting write of an apply.
type PolicyEvent struct {
	Address string // "bucket.lake"
	What    string // "bucket policy", "key policy", "object ownership", ...
	Action  string // plan.ActionCreate, ActionUpdate, ActionDelete
	Err     error
}

// ApplyPolicies makes the policy and bucket-setting changes of p, in an
// order where every grant exists before anything relies on it: key
// policies, then bucket policies, then bucket settings (default encryption
// names the key), then the copier role's own policy. Each document is
// written whole, so a failure leaves every document either as it was or as
// planned; the error says which were written and the next plan shows
// exactly what is left.
//
// Before writing, every document is read again and compared with the hash
// the plan recorded: a document that changed since the plan was made makes
// the plan stale and nothing is written.
//
// A write refused for IAM's eventual consistency (a principal created
// seconds ago, a grant not yet visible) is retried by retry, whose Notify
// tells the user why.
func ApplyPolicies(ctx context.Context, cfg *config.Config, acc *Accounts, p *plan.Plan, retry PropagationRetry, notify func(PolicyEvent)) error {
	if !p.PolicyChanges() {
		return nil
	}
	if err := checkStale(ctx, cfg, acc, p); err != nil {
		return err
	}
	if notify == nil {
		notify = func(PolicyEvent) {}
	}
	var written []string
	// record reports one write and, when it failed, says what was
	// written before it.
	record := func(addr, what, action string, err error) error {
		notify(PolicyEvent{Address: addr, What: what, Action: action, Err: err})
		if err != nil {
			done := "nothing was written"
			if len(written) > 0 {
				done = fmt.Sprintf("already written: %v", written)
			}
			return fmt.Errorf("apply %s of %s: %w (%s; run lakesync plan to see what is left)", what, addr, err, done)
		}
		written = append(written, addr+" "+what)
		return nil
	}
	writeDocuments := func(kind string) error {
		for _, d := range p.Documents {
			if d.Kind != kind || d.Action == plan.ActionNoOp {
				continue
			}
			what := kindLabel(kind)
			err := retry.Do(ctx, d.Address+" "+what, func(ctx context.Context) error {
				return writeDocument(ctx, cfg, acc, d)
			})
			if err := record(d.Address, what, d.Action, err); err != nil {
				return err
			}
		}
		return nil
	}
	for _, kind := range []string{plan.KeyPolicy, plan.BucketPolicy} {
		if err := writeDocuments(kind); err != nil {
			return err
		}
	}
	for _, s := range p.Settings {
		if s.Action == plan.ActionNoOp {
			continue
		}
		if err := record(s.Address, s.Setting, s.Action, writeSetting(ctx, cfg, acc, s)); err != nil {
			return err
		}
	}
	return writeDocuments(plan.RolePolicy)
}

func kindLabel(kind string) string {
	switch kind {
	case plan.BucketPolicy:
		return "bucket policy"
	case plan.KeyPolicy:
		return "key policy"
	default:
		return "role policy"
	}
}

func writeDocument(ctx context.Context, cfg *config.Config, acc *Accounts, d *plan.DocumentChange) error {
	var doc []byte
	if d.Action != plan.ActionDelete {
		doc = d.After
	}
	switch d.Kind {
	case plan.BucketPolicy:
		b := findBucket(cfg, d.Address)
		if b == nil {
			return notInConfig(d.Address)
		}
		return PutBucketPolicy(ctx, acc, b, doc)
	case plan.KeyPolicy:
		k := findKey(cfg, d.Address)
		if k == nil {
			return notInConfig(d.Address)
		}
		return PutKeyPolicy(ctx, acc, k, doc)
	case plan.RolePolicy:
		r := findRole(cfg, d.Address)
		if r == nil {
			return notInConfig(d.Address)
		}
		return PutRolePolicy(ctx, acc, r, d.PolicyName, doc)
	}
	return fmt.Errorf("unknown document kind %q", d.Kind)
}

func writeSetting(ctx context.Context, cfg *config.Config, acc *Accounts, s *plan.SettingChange) error {
	b := findBucket(cfg, s.Address)
	if b == nil {
		return notInConfig(s.Address)
	}
	switch s.Setting {
	case plan.SettingObjectOwnership:
		return PutBucketOwnershipEnforced(ctx, acc, b)
	case plan.SettingDefaultEncryption:
		return PutBucketEncryptionKMS(ctx, acc, b, s.KeyARN)
	case plan.SettingAbortIncomplete:
		return PutAbortIncompleteRule(ctx, acc, b)
	}
	return fmt.Errorf("unknown bucket setting %q", s.Setting)
}

// checkStale re-reads the documents the plan changes and refuses the plan
// if any differs from what was read when it was made.
func checkStale(ctx context.Context, cfg *config.Config, acc *Accounts, p *plan.Plan) error {
	now, err := Observe(ctx, cfg, acc)
	if err != nil {
		return fmt.Errorf("re-reading the documents before applying: %w", err)
	}
	var stale []error
	for _, d := range p.Documents {
		if d.Action == plan.ActionNoOp {
			continue
		}
		if got := hashOf(currentDocument(cfg, now, d)); got != d.BeforeSHA256 {
			stale = append(stale, fmt.Errorf("%s (%s %s in account %s) changed since the plan was made", d.Address, kindLabel(d.Kind), d.Resource, d.AccountID))
		}
	}
	if len(stale) > 0 {
		return fmt.Errorf("stale plan, nothing was written: %w; run lakesync plan again and review the new plan", errors.Join(stale...))
	}
	return nil
}

func currentDocument(cfg *config.Config, obs *plan.Observed, d *plan.DocumentChange) []byte {
	switch d.Kind {
	case plan.BucketPolicy:
		if b := findBucket(cfg, d.Address); b != nil && obs.Buckets[b.Name] != nil {
			return obs.Buckets[b.Name].Policy
		}
	case plan.KeyPolicy:
		if k := findKey(cfg, d.Address); k != nil && obs.Keys[k.Name] != nil {
			return obs.Keys[k.Name].Policy
		}
	case plan.RolePolicy:
		if r := findRole(cfg, d.Address); r != nil && obs.Roles[r.Name] != nil {
			return obs.Roles[r.Name].InlinePolicies[d.PolicyName]
		}
	}
	return nil
}

func hashOf(raw []byte) string {
	if raw == nil {
		return ""
	}
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

func findBucket(cfg *config.Config, addr string) *config.Bucket {
	for _, b := range cfg.Buckets {
		if "bucket."+b.Name == addr {
			return b
		}
	}
	return nil
}

func findKey(cfg *config.Config, addr string) *config.Key {
	for _, k := range cfg.Keys {
		if "key."+k.Name == addr {
			return k
		}
	}
	return nil
}

func findRole(cfg *config.Config, addr string) *config.Role {
	for _, r := range cfg.Roles {
		if "role."+r.Name == addr {
			return r
		}
	}
	return nil
}

// notInConfig refuses a plan entry whose block the configuration lacks:
// the plan was made from another configuration.
func notInConfig(addr string) error {
	return fmt.Errorf("the plan changes %s, which the configuration does not declare: the plan was made from another configuration; run lakesync plan again", addr)
}
