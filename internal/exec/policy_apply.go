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
	Address plan.Ref // the block written: bucket.lake
	What    string   // "bucket policy", "key policy", "object ownership", ...
	Action  string   // plan.ActionCreate, ActionUpdate, ActionDelete
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
	record := func(addr plan.Ref, what, action string, err error) error {
		notify(PolicyEvent{Address: addr, What: what, Action: action, Err: err})
		if err != nil {
			done := "nothing was written"
			if len(written) > 0 {
				done = fmt.Sprintf("already written: %v", written)
			}
			return fmt.Errorf("apply %s of %s: %w (%s; run lakesync plan to see what is left)", what, addr, err, done)
		}
		written = append(written, addr.String()+" "+what)
		return nil
	}
	writeDocuments := func(kind string) error {
		for _, d := range p.Documents {
			if d.Kind != kind || d.Action == plan.ActionNoOp {
				continue
			}
			what := kindLabel(kind)
			err := retry.Do(ctx, d.Address.String()+" "+what, func(ctx context.Context) error {
				return writeDocument(ctx, cfg, acc, d)
			})
			if err := record(d.Address, what, d.Action, err); err != nil {
				return err
			}
		}
		return nil
	}
	for _, bc := range p.Creations {
		b, ok := resolve(cfg, bc.Address).(*config.Bucket)
		if !ok {
			return notInConfig(bc.Address)
		}
		if err := record(bc.Address, "bucket", plan.ActionCreate, CreateBucket(ctx, acc, b, bc)); err != nil {
			return err
		}
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
	block := resolve(cfg, d.Address)
	if err := refuseExternal(block, d.Address); err != nil {
		return err
	}
	switch d.Kind {
	case plan.BucketPolicy:
		if b, ok := block.(*config.Bucket); ok {
			return PutBucketPolicy(ctx, acc, b, doc)
		}
	case plan.KeyPolicy:
		if k, ok := block.(*config.Key); ok {
			return PutKeyPolicy(ctx, acc, k, doc)
		}
	case plan.RolePolicy:
		if r, ok := block.(*config.Role); ok {
			return PutRolePolicy(ctx, acc, r, d.PolicyName, doc)
		}
	default:
		return fmt.Errorf("unknown document kind %q", d.Kind)
	}
	return notInConfig(d.Address)
}

func writeSetting(ctx context.Context, cfg *config.Config, acc *Accounts, s *plan.SettingChange) error {
	b, ok := resolve(cfg, s.Address).(*config.Bucket)
	if !ok {
		return notInConfig(s.Address)
	}
	if err := refuseExternal(b, s.Address); err != nil {
		return err
	}
	after := s.After
	switch {
	case s.Setting == plan.SettingObjectOwnership && after.ObjectOwnership == plan.OwnershipEnforced:
		return PutBucketOwnershipEnforced(ctx, acc, b)
	case s.Setting == plan.SettingDefaultEncryption && after.Encryption != nil &&
		after.Encryption.Algorithm == "aws:kms" && after.Encryption.KMSKeyID != "" && after.Encryption.BucketKeyEnabled:
		return PutBucketEncryptionKMS(ctx, acc, b, after.Encryption.KMSKeyID)
	case s.Setting == plan.SettingAbortIncomplete && after.AbortIncompleteDays > 0:
		return PutAbortIncompleteRule(ctx, acc, b, after.AbortIncompleteDays)
	}
	return fmt.Errorf("the plan sets %s of %s to %q, which lakesync does not write: run lakesync plan again", s.Setting, s.Address, after)
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
	switch block := resolve(cfg, d.Address).(type) {
	case *config.Bucket:
		if ob := obs.Buckets[block.Name]; d.Kind == plan.BucketPolicy && ob != nil {
			return ob.Policy
		}
	case *config.Key:
		if ok := obs.Keys[block.Name]; d.Kind == plan.KeyPolicy && ok != nil {
			return ok.Policy
		}
	case *config.Role:
		if or := obs.Roles[block.Name]; d.Kind == plan.RolePolicy && or != nil {
			return or.InlinePolicies[d.PolicyName]
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

// resolve finds the block ref names in cfg: a *config.Bucket, *config.Key
// or *config.Role, or nil when cfg declares no such block.
func resolve(cfg *config.Config, ref plan.Ref) any {
	switch ref.Kind {
	case plan.KindBucket:
		for _, b := range cfg.Buckets {
			if b.Name == ref.Name {
				return b
			}
		}
	case plan.KindKey:
		for _, k := range cfg.Keys {
			if k.Name == ref.Name {
				return k
			}
		}
	case plan.KindRole:
		for _, r := range cfg.Roles {
			if r.Name == ref.Name {
				return r
			}
		}
	}
	return nil
}

// notInConfig refuses a plan entry whose block the configuration lacks:
// the plan was made from another configuration.
func notInConfig(addr plan.Ref) error {
	return fmt.Errorf("the plan changes %s, which the configuration does not declare: the plan was made from another configuration; run lakesync plan again", addr)
}

// refuseExternal refuses to write a document or setting of a block with
// policy = "external": the plan was made from another configuration.
func refuseExternal(block any, addr plan.Ref) error {
	var o config.Ownership
	switch b := block.(type) {
	case *config.Bucket:
		o = b.Policy
	case *config.Key:
		o = b.Policy
	case *config.Role:
		o = b.Policy
	}
	if o.External() {
		return fmt.Errorf("the plan writes %s, which has policy = \"external\": lakesync never writes an external document; run lakesync plan again", addr)
	}
	return nil
}
