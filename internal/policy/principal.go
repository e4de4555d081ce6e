package policy

import "strings"

// principalMatch says whether a resource-policy statement names the request's
// principal directly ("*", its ARN) or through its account (account root ARN
// or account id, which delegates to the account's IAM policies).
//
// NotPrincipal applies to everyone it does not list. Listing only the role ARN
// does not exclude the role's sessions (AWS requires the assumed-role session
// ARN as well), so a NotPrincipal that mentions the role or its account in
// any form answers maybe.
func principalMatch(s Statement, req Request) (direct, account match) {
	if s.NotPrincipal != nil {
		if mentionsPrincipal(s.NotPrincipal, req) {
			return maybe, no
		}
		return yes, no
	}
	p := s.Principal
	if p == nil {
		return no, no
	}
	if p.All {
		return yes, no
	}
	direct, account = no, no
	for _, v := range p.IDs["AWS"] {
		switch {
		case v == "*", v == req.Principal:
			direct = yes
		case v == rootARN(req.PrincipalAccount), v == req.PrincipalAccount && req.PrincipalAccount != "":
			account = yes
		}
	}
	return direct, account
}

func mentionsPrincipal(p *Principal, req Request) bool {
	if p.All {
		return true
	}
	session := assumedRolePrefix(req.Principal)
	for _, v := range p.IDs["AWS"] {
		if v == req.Principal || v == rootARN(req.PrincipalAccount) || v == req.PrincipalAccount ||
			(session != "" && strings.HasPrefix(v, session)) {
			return true
		}
	}
	return false
}

// assumedRolePrefix turns arn:aws:iam::ACCT:role/path/NAME into the prefix
// arn:aws:sts::ACCT:assumed-role/NAME/ of its session ARNs.
func assumedRolePrefix(roleARN string) string {
	a, ok := parseARN(roleARN)
	if !ok || !strings.HasPrefix(a.Resource, "role/") {
		return ""
	}
	name := a.Resource[strings.LastIndexByte(a.Resource, '/')+1:]
	return "arn:" + a.Partition + ":sts::" + a.Account + ":assumed-role/" + name + "/"
}
