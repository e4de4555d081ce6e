package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Size limits of the documents lakesync writes.
const (
	BucketPolicyLimit = 20480 // bytes of the bucket policy
	KeyPolicyLimit    = 32768 // bytes of the key policy
	RoleInlineLimit   = 10240 // characters, without whitespace, of all inline policies of a role
)

// Checks, as named in findings.
const (
	CheckSize       = "size"
	CheckManagedKey = "aws-managed-key"
	CheckDeny       = "foreign-deny"
	CheckKeyLockout = "key-lockout"
	CheckAccess     = "access"
)

// Finding is a problem a check found. Blocking findings must stop an apply;
// the others are warnings the plan shows.
type Finding struct {
	Check    string `json:"check"`
	Document string `json:"document,omitempty"`
	Sid      string `json:"sid,omitempty"`
	Index    int    `json:"index"` // statement index; -1 for the whole document
	Blocking bool   `json:"blocking"`
	Message  string `json:"message"`

	// Foreign Deny findings (CheckDeny) say more, for people and machines:
	// the job, the bucket or key whose policy holds the statement (the role
	// for identity policies), the condition keys lakesync cannot evaluate,
	// the IAM actions and the calls of the job it blocks or may block, and
	// what the user must make sure of.
	Job           string       `json:"job,omitempty"`
	Resource      string       `json:"resource,omitempty"`
	ConditionKeys []string     `json:"condition_keys,omitempty"`
	Actions       []string     `json:"actions,omitempty"`
	Calls         []DeniedCall `json:"calls,omitempty"`
	Advice        []string     `json:"advice,omitempty"`
	// Principal is the principal a grant is for (findings about a grant a
	// document lacks: plan's external-grant).
	Principal string `json:"principal,omitempty"`
}

func (f Finding) Error() string { return f.Message }

// Blocking reports whether any finding must stop an apply.
func Blocking(fs []Finding) bool {
	for _, f := range fs {
		if f.Blocking {
			return true
		}
	}
	return false
}

// CheckBucketPolicySize checks a bucket policy's compact JSON against 20 KB.
func CheckBucketPolicySize(name string, doc *Document) []Finding {
	return checkBytes(name, doc, BucketPolicyLimit)
}

// CheckKeyPolicySize checks a key policy's compact JSON against 32 KB.
func CheckKeyPolicySize(name string, doc *Document) []Finding {
	return checkBytes(name, doc, KeyPolicyLimit)
}

func checkBytes(name string, doc *Document, limit int) []Finding {
	if doc.Empty() {
		return nil
	}
	n, err := compactSize(doc)
	if err != nil {
		return []Finding{{Check: CheckSize, Document: name, Index: -1, Blocking: true, Message: fmt.Sprintf("%s: %v", name, err)}}
	}
	if n > limit {
		return []Finding{{Check: CheckSize, Document: name, Index: -1, Blocking: true,
			Message: fmt.Sprintf("%s would be %d bytes, over the limit of %d", name, n, limit)}}
	}
	return nil
}

func compactSize(doc *Document) (int, error) {
	js, err := doc.JSON()
	if err != nil {
		return 0, err
	}
	var b bytes.Buffer
	if err := json.Compact(&b, js); err != nil {
		return 0, fmt.Errorf("compact policy: %w", err)
	}
	return b.Len(), nil
}

// CheckRolePolicySize checks all inline policies of a role together (the
// lakesync policy after the merge and every other inline policy, by name)
// against IAM's 10,240 characters. IAM does not count whitespace; this count
// drops every whitespace character, inside strings too.
func CheckRolePolicySize(role string, inline map[string]*Document) []Finding {
	total := 0
	for _, name := range sortedKeys(inline) {
		if inline[name].Empty() {
			continue
		}
		js, err := inline[name].JSON()
		if err != nil {
			return []Finding{{Check: CheckSize, Document: name, Index: -1, Blocking: true, Message: fmt.Sprintf("inline policy %q of %s: %v", name, role, err)}}
		}
		total += utf8.RuneCount(js) - countSpace(js)
	}
	if total > RoleInlineLimit {
		return []Finding{{Check: CheckSize, Document: RolePolicyName, Index: -1, Blocking: true,
			Message: fmt.Sprintf("inline policies of %s would total %d characters without whitespace, over the limit of %d", role, total, RoleInlineLimit)}}
	}
	return nil
}

func countSpace(b []byte) int {
	n := 0
	for _, r := range string(b) {
		if unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// CheckDestinationKey refuses an AWS-managed key: a key reference (ARN or
// alias) under "alias/aws/", or keyManager "AWS" as DescribeKey reports it
// ("" when unknown). AWS-managed keys cannot be shared across accounts.
func CheckDestinationKey(ref, keyManager string) []Finding {
	if strings.HasPrefix(ref, "alias/aws/") || strings.Contains(ref, ":alias/aws/") || keyManager == "AWS" {
		return []Finding{{Check: CheckManagedKey, Document: DestKeyDoc, Index: -1, Blocking: true,
			Message: fmt.Sprintf("destination key %s is AWS managed: its key policy cannot be changed and other accounts cannot use it; use a customer managed key", ref)}}
	}
	return nil
}

// CheckAccessAll evaluates every request and reports each action and
// resource whose grants are missing (blocking when certainly missing, a
// warning when undecided) or that a Deny statement lakesync owns blocks.
// Requests refused only by Deny statements lakesync does not own are left
// to CheckDenies, which reports each such statement once. Calls needing the
// same action on the same resource give one finding.
func CheckAccessAll(reqs []Request, docs Documents) []Finding {
	var out []Finding
	seen := map[string]bool{}
	for _, r := range reqs {
		d := Evaluate(r, docs)
		if d.Allowed() {
			continue
		}
		// The first lakesync Deny that certainly applies, else the first
		// that may.
		var owned *StatementRef
		for i, ref := range d.DeniedBy {
			if Owned(ref.Sid) && (owned == nil || ref.Certain && !owned.Certain) {
				owned = &d.DeniedBy[i]
			}
		}
		if d.Allow == Allowed && owned == nil {
			continue // only foreign Deny statements: see CheckDenies
		}
		// Without a lakesync Deny the Allow statements do not suffice, and
		// Missing says what they lack.
		outcome, why := d.Allow, strings.Join(d.Missing, "; ")
		if owned != nil {
			why = "denied by " + owned.String()
			if owned.Certain {
				outcome = Denied
			} else if outcome == Allowed {
				outcome = Uncertain
			}
		}
		msg := fmt.Sprintf("%s on %s is %s: %s", r.Action, r.Resource, outcome, why)
		if seen[msg] {
			continue
		}
		seen[msg] = true
		out = append(out, Finding{Check: CheckAccess, Document: r.Policy, Index: -1, Blocking: outcome == Denied, Message: msg})
	}
	return out
}

func appendUnique(list []string, ss ...string) []string {
next:
	for _, s := range ss {
		for _, x := range list {
			if x == s {
				continue next
			}
		}
		list = append(list, s)
	}
	return list
}
