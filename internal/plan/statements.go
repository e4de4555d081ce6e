package plan

import (
	"fmt"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/policy"
)

// DocumentStatements are the statements lakesync owns in one document:
// those plan and apply merge into it when it is managed, and those the
// tool that owns it must hold when it is external.
type DocumentStatements struct {
	Address   Ref
	Kind      string // BucketPolicy, KeyPolicy, RolePolicy
	AccountID string
	// Resource is the bucket name, the key ARN or the role name.
	Resource   string
	External   bool
	Statements []policy.Statement
}

// Statements lists, for every document the jobs need (managed or
// external), the statements lakesync owns in it, in the order plan lists
// documents (buckets, keys, roles, as declared). They are the statements
// Compute merges: both come from the same generation. keyARN maps each
// key block's name to its ARN (aliases resolved). A job other than ""
// limits the list to that job's statements.
func Statements(cfg *config.Config, keyARN map[string]string, job string) ([]DocumentStatements, error) {
	if job != "" && cfg.Job(job) == nil {
		return nil, fmt.Errorf("no sync %q in the configuration", job)
	}
	c := &computer{cfg: cfg, obs: &Observed{}, keyARN: keyARN, desired: map[Ref][]policy.Statement{}}
	for _, j := range cfg.Jobs {
		if job != "" && j.Name != job {
			continue
		}
		if _, err := c.job(j); err != nil {
			return nil, err
		}
	}
	var out []DocumentStatements
	add := func(d DocumentStatements) {
		if d.Statements = c.desired[d.Address]; len(d.Statements) > 0 {
			out = append(out, d)
		}
	}
	for _, b := range cfg.Buckets {
		add(DocumentStatements{Address: BucketRef(b), Kind: BucketPolicy, AccountID: b.Account.ID, Resource: b.BucketName, External: b.Policy.External()})
	}
	for _, k := range cfg.Keys {
		add(DocumentStatements{Address: KeyRef(k), Kind: KeyPolicy, AccountID: k.Account.ID, Resource: keyARN[k.Name], External: k.Policy.External()})
	}
	for _, r := range cfg.Roles {
		add(DocumentStatements{Address: RoleRef(r), Kind: RolePolicy, AccountID: r.Account.ID, Resource: r.RoleName, External: r.Policy.External()})
	}
	return out, nil
}
