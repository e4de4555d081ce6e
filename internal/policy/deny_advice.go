package policy

import (
	"fmt"
	"strings"
)

// The advice of a deny finding: which terms hold because a call lacks
// their key, and what the user must make sure of.

// absentTerm is a condition that holds because the calls do not carry its
// key.
type absentTerm struct {
	t    term
	apis []string
	sent []string // the values the calls carry (presentTerms)
}

func absentTerms(cs []callHit) []absentTerm {
	return holdingTerms(cs, func(t term) bool { return t.Absent && t.Match == yes }, false)
}

// presentTerms are the conditions that hold on a value the calls carry.
func presentTerms(cs []callHit) []absentTerm {
	return holdingTerms(cs, func(t term) bool { return t.Known && !t.Absent && t.Match == yes && len(t.Values) > 0 }, true)
}

// holdingTerms gathers the terms of the calls that keep selects, once per
// operator and key, with the API calls they hold for (and, when sent, the
// values the first such call carries).
func holdingTerms(cs []callHit, keep func(term) bool, sent bool) []absentTerm {
	var out []absentTerm
	idx := map[string]int{}
	for _, c := range cs {
		for _, t := range c.hit.terms {
			if !keep(t) {
				continue
			}
			k := t.Op + "\x00" + t.Key
			i, ok := idx[k]
			if !ok {
				i = len(out)
				idx[k] = i
				at := absentTerm{t: t}
				if sent {
					at.sent = c.req.Context[t.Key]
				}
				out = append(out, at)
			}
			if c.req.API != "" {
				out[i].apis = appendUnique(out[i].apis, c.req.API)
			}
		}
	}
	return out
}

// absentReasons explain the conditions that hold on a missing key, and
// those on the condition keys lakesync sends that only hold because of
// what it sends.
func absentReasons(cs []callHit) []string {
	var out []string
	for _, p := range presentTerms(cs) {
		if !strings.HasPrefix(p.t.Key, "s3:") || len(p.sent) == 0 {
			continue // aws:SecureTransport, aws:PrincipalArn, ...: the statement is about the principal
		}
		out = append(out, fmt.Sprintf("%s send %s = %s, for which %s %s holds",
			joinAnd(p.apis), p.t.Key, strings.Join(p.sent, ", "), p.t.Op, strings.Join(p.t.Values, ", ")))
	}
	for _, a := range absentTerms(cs) {
		calls := joinAnd(a.apis)
		if calls == "" {
			calls = "these requests"
		}
		out = append(out, fmt.Sprintf("%s carry no %s, and %s holds when the request lacks the key", calls, a.t.Key, a.t.Op))
	}
	return out
}

// certainAdvice says what to change when a statement certainly denies.
func certainAdvice(d *denyReport, cs []callHit) []string {
	if len(cs) == 0 {
		return nil
	}
	effect := "the job fails"
	multipartOnly := true
	for _, c := range cs {
		if c.req.Multipart == "" {
			multipartOnly = false
		}
	}
	if multipartOnly {
		effect = "objects over " + d.threshold() + " cannot be copied"
	}
	var out []string
	for _, a := range absentTerms(cs) {
		_, base, _, _ := splitOperator(a.t.Op)
		if base == "Null" {
			out = append(out, fmt.Sprintf("the Null condition on %s denies every call without that header (%s), and no condition key tells these calls apart: rely on the bucket's default encryption (lakesync sets it) instead of this statement, or %s",
				a.t.Key, joinAnd(a.apis), effect))
		} else if strings.Contains(base, "Not") {
			// A negated operator holds on a missing key, and so does
			// ...IfExists: only a Null check can exempt the calls that do
			// not carry the key.
			out = append(out, fmt.Sprintf(`add "Null": {"%s": "false"} to this statement, so that it denies only requests that carry %s with another value (S3 encrypts the others with the bucket's default encryption, which lakesync sets), or %s`,
				a.t.Key, a.t.Key, effect))
		}
	}
	// The calls denied although they carry every key the statement tests.
	var rest []callHit
	for _, c := range cs {
		absent := false
		for _, t := range c.hit.terms {
			absent = absent || t.Absent && t.Match == yes
		}
		if !absent {
			rest = append(rest, c)
		}
	}
	if len(rest) > 0 {
		out = append(out, fmt.Sprintf("the statement denies %s to the copier whatever lakesync sends: change the statement, or the job; until then %s",
			callList(rest), effect))
	}
	return out
}

// undecidedPrincipal reports whether some call is touched only because the
// statement's NotPrincipal lists the copier in part.
func undecidedPrincipal(cs []callHit) bool {
	for _, c := range cs {
		if c.hit.principal == maybe {
			return true
		}
	}
	return false
}

// joinAnd joins "a", "a and b", "a, b and c".
func joinAnd(ss []string) string {
	if len(ss) < 2 {
		return strings.Join(ss, "")
	}
	return strings.Join(ss[:len(ss)-1], ", ") + " and " + ss[len(ss)-1]
}

// partialResource reports whether some call is touched only because the
// statement's resource covers part of the job's objects.
func partialResource(cs []callHit) bool {
	for _, c := range cs {
		if c.hit.resource == maybe {
			return true
		}
	}
	return false
}

// undecidedAdvice says what the user must make sure of for the calls the
// statement may deny.
func (d *denyReport) undecidedAdvice(cs []callHit, consequence string) []string {
	if len(cs) == 0 {
		return nil
	}
	var terms []term
	seen := map[string]bool{}
	for _, c := range cs {
		for _, t := range c.hit.terms {
			if t.Match == maybe && !seen[t.Op+"\x00"+t.Key] {
				seen[t.Op+"\x00"+t.Key] = true
				terms = append(terms, t)
			}
		}
	}
	principal, resource := undecidedPrincipal(cs), partialResource(cs)
	var out []string
	switch len(terms) {
	case 0:
	case 1:
		out = append(out, keyAdvice(terms[0], d.first)+", or "+consequence)
	default:
		for _, t := range terms {
			out = append(out, keyAdvice(t, d.first))
		}
		out = append(out, "if none of these holds, "+consequence)
	}
	if principal && d.stmt.NotPrincipal != nil {
		_, missing := notPrincipalNames(d.stmt.NotPrincipal, d.first)
		out = append(out, fmt.Sprintf("its NotPrincipal spares the copier only if it lists the session, the role and the account (AWS may evaluate each): add %s, or %s",
			joinAnd(missing), consequence))
	}
	if resource {
		rs, verb := d.stmt.Resource, "under"
		if d.stmt.Resource == nil {
			rs, verb = d.stmt.NotResource, "outside"
		}
		out = append(out, fmt.Sprintf("the statement covers the job's objects %s %s: exclude them from the job, or copies of them fail", verb, strings.Join(rs, ", ")))
	}
	return out
}

// keyAdvice is what must be true of the copier's requests for one
// undecided condition not to hold. A Deny applies when its conditions
// hold: for a negated operator the request must match the values, for a
// positive one it must not.
func keyAdvice(t term, r Request) string {
	_, op, _, _ := splitOperator(t.Op)
	vals := strings.Join(t.Values, " or ")
	if op == "Null" {
		if len(t.Values) > 0 && strings.EqualFold(t.Values[0], "true") {
			return fmt.Sprintf("the copier's requests must carry %s", t.Key)
		}
		return fmt.Sprintf("the copier's requests must not carry %s", t.Key)
	}
	must := "must not"
	if strings.Contains(op, "Not") {
		must = "must"
	}
	role := roleName(r.Principal)
	lower := strings.ToLower(t.Key)
	if strings.HasPrefix(lower, "aws:principaltag/") {
		return fmt.Sprintf("the copier role %s %s carry the tag %s = %s (lakesync passes no session tags)", role, must, t.Key[len("aws:PrincipalTag/"):], vals)
	}
	switch lower {
	case "aws:principalorgid":
		return fmt.Sprintf("the copier role's account %s %s belong to organization %s", r.PrincipalAccount, must, vals)
	case "aws:principalorgpaths":
		return fmt.Sprintf("the copier role's account %s %s sit under the organization path %s (AWS Organizations: root and organizational units)", r.PrincipalAccount, must, vals)
	case "aws:sourcevpce":
		return fmt.Sprintf("lakesync's requests %s reach S3 through VPC endpoint %s: run it in a VPC whose route to S3 uses that endpoint", must, vals)
	case "aws:sourcevpc":
		return fmt.Sprintf("lakesync %s run in VPC %s and reach S3 through a VPC endpoint there", must, vals)
	case "aws:sourceip":
		return fmt.Sprintf("lakesync's requests %s come from an address in %s (the public address S3 sees: the host's, or its NAT gateway's; through a VPC endpoint S3 sees no public address)", must, vals)
	case "aws:principalarn":
		return fmt.Sprintf("the copier role's ARN %s %s match %s", r.Principal, must, vals)
	case "aws:principalaccount":
		return fmt.Sprintf("the copier role's account %s %s be %s", r.PrincipalAccount, must, vals)
	case strings.ToLower(KeySSE), strings.ToLower(KeySSEKeyID):
		return fmt.Sprintf("AWS does not document whether S3 evaluates %s for these actions (lakesync sends aws:kms and the key ARN with CopyObject and CreateMultipartUpload, and no encryption header with the other calls): make sure the condition %s %s %s does not deny them", t.Key, t.Op, t.Key, vals)
	case "aws:userid":
		return fmt.Sprintf("the copier's aws:userid, ROLEID:%s where ROLEID is what `aws iam get-role --role-name %s --query Role.RoleId` prints, %s match %s", SessionName, role, must, vals)
	}
	return fmt.Sprintf("lakesync cannot know %s for the copier's requests: make sure the condition %s %s %s does not hold for them", t.Key, t.Op, t.Key, vals)
}

// roleName is the name of a role ARN (without its path).
func roleName(arn string) string {
	a, ok := parseARN(arn)
	if !ok {
		return arn
	}
	return a.Resource[strings.LastIndexByte(a.Resource, '/')+1:]
}
