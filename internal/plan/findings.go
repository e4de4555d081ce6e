package plan

import (
	"sort"

	"github.com/lakesync/lakesync/internal/policy"
)

// findings runs the checks that depend on the documents after the change.
func (c *computer) findings(docs []*DocumentChange) []policy.Finding {
	var out []policy.Finding
	for _, dc := range docs {
		after := c.after[dc.Address]
		name := dc.Address.String()
		switch dc.Kind {
		case BucketPolicy:
			out = append(out, policy.CheckBucketPolicySize(name, after)...)
		case KeyPolicy:
			if after == nil {
				// A key always has a policy; one left without statements
				// would lock everybody out.
				after = &policy.Document{Version: policy.DefaultVersion}
			}
			out = append(out, policy.CheckKeyPolicySize(name, after)...)
			if dc.Action != ActionNoOp {
				out = append(out, policy.CheckKeyAdmin(name, after, dc.AccountID)...)
			}
		case RolePolicy:
			inline := map[string]*policy.Document{}
			for _, r := range c.cfg.Roles {
				if RoleRef(r) != dc.Address {
					continue
				}
				for pname, raw := range c.obs.Roles[r.Name].InlinePolicies {
					if pname == policy.RolePolicyName {
						continue
					}
					if d, err := policy.Parse(raw); err == nil {
						inline[pname] = d
					}
				}
			}
			if after != nil {
				inline[policy.RolePolicyName] = after
			}
			out = append(out, policy.CheckRolePolicySize(name, inline)...)
		}
	}
	for _, j := range c.cfg.Jobs {
		if j.Destination.Key != nil {
			if ok := c.obs.Keys[j.Destination.Key.Name]; ok != nil {
				out = append(out, policy.CheckDestinationKey(j.Destination.Key.Ref(), ok.KeyManager)...)
			}
		}
	}
	for _, g := range c.grants {
		reqs := policy.Required(g)
		docs := c.accessDocuments(g)
		out = append(out, policy.CheckDenies(reqs, docs)...)
		// A grant an external document lacks is a warning: apply writes
		// the managed documents and refuses to copy that job only.
		gaps, covered := c.externalGaps(c.cfg.Job(g.Job), reqs, docs)
		out = append(out, gaps...)
		out = append(out, policy.CheckAccessAll(uncovered(reqs, covered), docs)...)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Blocking && !out[j].Blocking })
	return out
}

// accessDocuments are the documents in force for a job after the change.
func (c *computer) accessDocuments(g policy.Grant) policy.Documents {
	docs := policy.Documents{Identity: map[string]*policy.Document{}, Resource: map[string]*policy.Document{}}
	job := c.cfg.Job(g.Job)
	if job.Role != nil && job.Role.Policy.External() {
		// Another tool owns the role's policies: in force as read,
		// attached and inline.
		if or := c.obs.Roles[job.Role.Name]; or != nil {
			for _, m := range []map[string][]byte{or.InlinePolicies, or.AttachedPolicies} {
				for pname, raw := range m {
					if d, err := policy.Parse(raw); err == nil {
						docs.Identity[pname] = d
					}
				}
			}
		}
	} else if job.Role != nil {
		if or := c.obs.Roles[job.Role.Name]; or != nil {
			for pname, raw := range or.InlinePolicies {
				if d, err := policy.Parse(raw); err == nil {
					docs.Identity[pname] = d
				}
			}
		}
		if d := c.after[RoleRef(job.Role)]; d != nil {
			docs.Identity[policy.RolePolicyName] = d
		} else {
			delete(docs.Identity, policy.RolePolicyName)
		}
	}
	put := func(name string, addr Ref) {
		if d := c.after[addr]; d != nil {
			docs.Resource[name] = d
		}
	}
	put(policy.SourceBucketDoc, BucketRef(job.Source))
	put(policy.DestBucketDoc, BucketRef(job.Destination))
	if job.Source.Key != nil {
		put(policy.SourceKeyDoc, KeyRef(job.Source.Key))
	}
	if job.Destination.Key != nil {
		put(policy.DestKeyDoc, KeyRef(job.Destination.Key))
	}
	return docs
}
