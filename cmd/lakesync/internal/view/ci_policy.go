package view

import (
	"encoding/json"
	"fmt"
	"io"
)

// CIPolicies are the policies of lakesync ci-policy, one per role and
// account, as --json serialises them.
type CIPolicies struct {
	Policies []CIPolicyEntry `json:"policies"`
}

// CIPolicyEntry is the policy of one CI role in one account.
type CIPolicyEntry struct {
	Role        string          `json:"role"` // "plan", "apply" or "migrate"
	AccountName string          `json:"account_name"`
	AccountID   string          `json:"account_id"`
	Policy      json.RawMessage `json:"policy"`
	// AssumedRoles are the roles whose trust policy must trust this role.
	AssumedRoles []string `json:"assumed_roles,omitempty"`
}

// CIPolicy shows lakesync ci-policy.
type CIPolicy interface {
	Policies(ps CIPolicies) error
}

// NewCIPolicy is ci-policy's view: one JSON document with JSON; else each
// policy, indented, under comments saying where it goes.
func NewCIPolicy(f Format, w io.Writer) CIPolicy {
	if f == JSON {
		return jsonCIPolicy{w}
	}
	return humanCIPolicy{w}
}

type jsonCIPolicy struct{ w io.Writer }

func (v jsonCIPolicy) Policies(ps CIPolicies) error { return WriteJSON(v.w, ps) }

type humanCIPolicy struct{ w io.Writer }

func (v humanCIPolicy) Policies(ps CIPolicies) error {
	w := v.w
	for i, e := range ps.Policies {
		if i > 0 {
			fmt.Fprintln(w)
		}
		what := map[string]string{"plan": "Planning role", "apply": "Applying role", "migrate": "Migrating role"}[e.Role]
		fmt.Fprintf(w, "# %s in account %s (%s): attach this policy to the role CI assumes for that account.\n", what, e.AccountName, e.AccountID)
		if e.Role == "migrate" {
			fmt.Fprintln(w, "# It deletes the buckets the migrations move: assume it only to run lakesync migrate, never for apply.")
		}
		for _, r := range e.AssumedRoles {
			fmt.Fprintf(w, "# The trust policy of %s must allow this role to sts:AssumeRole it (lakesync does not manage trust policies).\n", r)
		}
		b, err := json.MarshalIndent(e.Policy, "", "  ")
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s\n", b)
	}
	return nil
}
