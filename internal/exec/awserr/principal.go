package awserr

import (
	"fmt"
	"strings"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/policy"
)

// SessionName is the role session name of every role lakesync assumes, so
// CloudTrail shows who acted, and the errors name the same session.
const SessionName = "lakesync"

// Principal is the identity that signs a request: the copier role, or the
// credentials of an account block. exec.Accounts knows it where it builds a
// client and attaches it to the client's failed requests (see
// WithPrincipal), so an Error names who was refused without every call
// site saying it.
type Principal struct {
	Role    *config.Role    // the copier role, assumed with SessionName; nil: account credentials
	Account *config.Account // whose credentials sign (or assume Role), and whose endpoint they reach
	ARN     string          // the caller's ARN from sts:GetCallerIdentity, when known
}

// String names the principal in the user's terms:
// `role arn:aws:iam::111111111111:role/lakesync-copier (session "lakesync")`
// or `credentials of account "prod" (111111111111) from profile "prod"`.
func (p Principal) String() string {
	if p.Role != nil {
		return fmt.Sprintf("role %s (session %q)", p.Role.ARN(), SessionName)
	}
	a := p.Account
	if a == nil {
		return "the credentials in use"
	}
	s := "credentials of account " + accountLabel(a)
	if a.Name == "" {
		return s // known by id only, as in a Batch request
	}
	s += " from " + credentialSource(a)
	if p.ARN != "" && a.RoleARN == "" {
		s += " (" + p.ARN + ")"
	}
	return s
}

// roleARN is the ARN of the role that signs, "" for a user or when unknown.
func (p Principal) roleARN() string {
	switch {
	case p.Role != nil:
		return p.Role.ARN()
	case p.Account != nil && p.Account.RoleARN != "":
		return p.Account.RoleARN
	case strings.Contains(p.ARN, ":assumed-role/") || strings.Contains(p.ARN, ":role/"):
		return p.ARN
	}
	return ""
}

// identityDocument names the policies of the principal itself.
func (p Principal) identityDocument() string {
	a := p.Account
	switch {
	case p.Role != nil:
		return fmt.Sprintf("the inline policy %q of role %s (role.%s), which lakesync writes", policy.RolePolicyName, p.Role.RoleName, p.Role.Name)
	case a == nil:
		return "the IAM policies of the credentials in use"
	case a.RoleARN != "":
		return fmt.Sprintf("the IAM policies of role %s (role_arn of account %q)", a.RoleARN, a.Name)
	case p.ARN != "":
		return fmt.Sprintf("the IAM policies of %s (%s)", p.ARN, credentialSource(a))
	case a.Name == "":
		return "the IAM policies of the credentials of account " + a.ID
	}
	return fmt.Sprintf("the IAM policies of the user or role behind %s", credentialSource(a))
}

// accountLabel is `"prod" (111111111111)`, or the id alone when the block
// is not known by name.
func accountLabel(a *config.Account) string {
	if a.Name == "" {
		return a.ID
	}
	return fmt.Sprintf("%q (%s)", a.Name, a.ID)
}

// credentialSource says where an account block's credentials come from,
// naming the session of an assumed role_arn.
func credentialSource(a *config.Account) string {
	s := "the ambient credential chain (environment, default profile, instance role)"
	if a.Profile != "" {
		s = fmt.Sprintf("profile %q", a.Profile)
	}
	if a.RoleARN != "" {
		s = fmt.Sprintf("role %s (session %q) assumed with %s", a.RoleARN, SessionName, s)
	}
	return s
}
