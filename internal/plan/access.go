package plan

import (
	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/policy"
)

// JobAccess is the access report of one job: every request the copier
// role makes and whether the documents in force allow it.
type JobAccess struct {
	Job       string            `json:"job"`
	Transfer  string            `json:"transfer"`
	Note      string            `json:"note,omitempty"`
	Decisions []policy.Decision `json:"decisions"`
	// Findings are the Deny statements lakesync does not own that block or
	// may block the job's requests, one per statement.
	Findings []policy.Finding `json:"findings,omitempty"`
	// External are the grants the job needs that its documents with
	// policy = "external" do not give (CheckExternal), one per document,
	// action and resource.
	External []policy.Finding `json:"external,omitempty"`
}

// Allowed reports whether every request of the job is allowed.
func (a JobAccess) Allowed() bool {
	for _, d := range a.Decisions {
		if !d.Allowed() {
			return false
		}
	}
	return true
}

// Access evaluates, for every job, the requests its copier role makes
// against the documents observed now (not the planned ones): it says what
// works today and, for what does not, which document lacks what.
func Access(cfg *config.Config, obs *Observed) ([]JobAccess, error) {
	c := &computer{cfg: cfg, obs: obs}
	if err := checkRegions(cfg, obs); err != nil {
		return nil, err
	}
	if err := c.resolveKeys(); err != nil {
		return nil, err
	}
	c.after = map[Ref]*policy.Document{}
	for _, b := range cfg.Buckets {
		if ob := obs.Buckets[b.Name]; ob != nil && ob.Policy != nil {
			d, err := parseObserved(BucketPolicy, b.BucketName, b.Account.Name, b.Account.ID, ob.Policy)
			if err != nil {
				return nil, err
			}
			c.after[BucketRef(b)] = d
		}
	}
	for _, k := range cfg.Keys {
		if ok := obs.Keys[k.Name]; ok != nil && ok.Policy != nil {
			d, err := parseObserved(KeyPolicy, ok.ARN, k.Account.Name, k.Account.ID, ok.Policy)
			if err != nil {
				return nil, err
			}
			c.after[KeyRef(k)] = d
		}
	}
	for _, r := range cfg.Roles {
		if or := obs.Roles[r.Name]; or != nil && or.InlinePolicies[policy.RolePolicyName] != nil {
			d, err := parseObserved(RolePolicy, r.RoleName, r.Account.Name, r.Account.ID, or.InlinePolicies[policy.RolePolicyName])
			if err != nil {
				return nil, err
			}
			c.after[RoleRef(r)] = d
		}
	}
	var out []JobAccess
	for _, j := range cfg.Jobs {
		ja := JobAccess{Job: j.Name, Transfer: string(j.Transfer)}
		if j.Transfer == config.TransferStream || j.Role == nil {
			ja.Note = policy.StreamNote
			if j.Role == nil && j.Transfer == config.TransferServerSide {
				ja.Note = "no copier role: the destination account's own credentials copy within the account"
			}
			out = append(out, ja)
			continue
		}
		g := c.grant(j)
		docs := c.accessDocuments(g)
		reqs := policy.Required(g)
		for _, req := range reqs {
			ja.Decisions = append(ja.Decisions, policy.Evaluate(req, docs))
		}
		ja.Findings = policy.CheckDenies(reqs, docs)
		ext, err := c.externalAccess(j, reqs, docs)
		if err != nil {
			return nil, err
		}
		ja.External = ext
		out = append(out, ja)
	}
	return out, nil
}
