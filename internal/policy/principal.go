package policy

import "strings"

// SessionName is the role session name lakesync uses whenever it assumes a
// role (exec.SessionName must be the same): the copier's requests come from
// the session arn:aws:sts::ACCOUNT:assumed-role/ROLE/lakesync.
const SessionName = "lakesync"

// principalMatch says whether a resource-policy statement names the request's
// principal directly ("*", its ARN) or through its account (account root ARN
// or account id, which delegates to the account's IAM policies).
//
// NotPrincipal applies to everyone it does not list. IAM's "NotPrincipal"
// page says that with Deny AWS may evaluate the account, then the role, then
// the assumed-role session, and shows a statement that spares a role's
// session by listing all three. So a NotPrincipal that lists the copier's
// session (its exact session name), its role and its account spares it
// (no); one that lists some of them "might deny" (maybe); one that lists
// none applies (yes).
func principalMatch(s Statement, req Request) (direct, account match) {
	if s.NotPrincipal != nil {
		listed, missing := notPrincipalNames(s.NotPrincipal, req)
		if len(missing) == 0 {
			return no, no
		}
		if len(listed) > 0 {
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
		if v == "*" || v == req.Principal {
			direct = yes
		} else if v == rootARN(req.PrincipalAccount) || v == req.PrincipalAccount && req.PrincipalAccount != "" {
			account = yes
		}
	}
	return direct, account
}

// notPrincipalNames splits the three names of the copier that a Deny's
// NotPrincipal must list to spare it (session, role, account) into those it
// lists and those it lacks. "*" lists them all.
func notPrincipalNames(p *Principal, req Request) (listed, missing []string) {
	ids := p.IDs["AWS"]
	has := func(names ...string) bool {
		if p.All {
			return true
		}
		for _, v := range ids {
			for _, n := range names {
				if n != "" && v == n {
					return true
				}
			}
		}
		return false
	}
	session := ""
	if pre := assumedRolePrefix(req.Principal); pre != "" {
		session = pre + SessionName
	}
	for _, n := range []struct {
		name    string
		aliases []string
	}{
		{session, []string{session}},
		{req.Principal, []string{req.Principal}},
		{rootARN(req.PrincipalAccount), []string{rootARN(req.PrincipalAccount), req.PrincipalAccount}},
	} {
		if n.name == "" {
			continue
		}
		if has(n.aliases...) {
			listed = append(listed, n.name)
		} else {
			missing = append(missing, n.name)
		}
	}
	return listed, missing
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
