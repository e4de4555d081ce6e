package policy

import (
	"fmt"
	"strings"
)

// DeniedCall is one call of a job that a Deny statement blocks or may block.
type DeniedCall struct {
	API       string `json:"api,omitempty"` // "UploadPartCopy"; "" for KMS requests S3 makes
	Action    string `json:"action"`
	Resource  string `json:"resource"`
	Outcome   string `json:"outcome"`             // Denied or Uncertain
	Multipart string `json:"multipart,omitempty"` // as Request.Multipart
}

// CheckDenies finds the explicit Deny statements lakesync does not own that
// block (Blocking) or may block (a warning) the requests of one job, and
// gives one finding per statement, whatever the number of requests it
// touches: where the statement is, the condition keys lakesync cannot
// evaluate, the actions and calls of the job it blocks, and what the user
// must make sure of. A statement that certainly denies only multipart calls
// blocks when the plan copies objects in parts, and warns otherwise.
func CheckDenies(reqs []Request, docs Documents) []Finding {
	type key struct {
		doc      string
		idx      int
		identity bool
	}
	var order []key
	found := map[key]*denyReport{}
	covered := map[string]int{} // document -> requests of the job it governs
	for _, r := range reqs {
		add := func(name string, doc *Document, identity, resourcePolicy bool) {
			for _, h := range denyHits(name, doc, r, resourcePolicy) {
				if Owned(h.ref.Sid) {
					continue
				}
				k := key{name, h.ref.Index, identity}
				rep, ok := found[k]
				if !ok {
					rep = &denyReport{doc: name, identity: identity, stmt: h.stmt, ref: h.ref, first: r}
					found[k] = rep
					order = append(order, k)
				}
				rep.hits = append(rep.hits, callHit{req: r, hit: h})
			}
		}
		for _, name := range sortedKeys(docs.Identity) {
			covered[name]++
			add(name, docs.Identity[name], true, false)
		}
		if d := docs.Resource[r.Policy]; d != nil {
			covered[r.Policy]++
			add(r.Policy, d, false, true)
		}
	}
	out := make([]Finding, 0, len(order))
	for _, k := range order {
		rep := found[k]
		out = append(out, rep.finding(len(rep.hits) == covered[k.doc]))
	}
	return out
}

// denyReport gathers what one Deny statement does to one job's requests.
type denyReport struct {
	doc      string
	identity bool
	stmt     Statement
	ref      StatementRef
	first    Request
	hits     []callHit
}

type callHit struct {
	req Request
	hit denyHit
}

func (d *denyReport) finding(all bool) Finding {
	f := Finding{Check: CheckDeny, Document: d.doc, Sid: d.ref.Sid, Index: d.ref.Index,
		Job: d.first.Job, Resource: d.resourceName()}
	var always, planned, possible, unsure []callHit
	for _, c := range d.hits {
		call := DeniedCall{API: c.req.API, Action: c.req.Action, Resource: c.req.Resource, Outcome: Uncertain, Multipart: c.req.Multipart}
		switch {
		case !c.hit.ref.Certain:
			unsure = append(unsure, c)
			f.ConditionKeys = appendUnique(f.ConditionKeys, c.hit.ref.ConditionKeys...)
		case c.req.Multipart == MultipartPlanned:
			planned = append(planned, c)
		case c.req.Multipart == MultipartPossible:
			possible = append(possible, c)
		default:
			always = append(always, c)
		}
		if c.hit.ref.Certain {
			call.Outcome = Denied
		}
		f.Calls = append(f.Calls, call)
		f.Actions = appendUnique(f.Actions, c.req.Action)
	}
	f.Blocking = len(always)+len(planned) > 0
	certain := append(append(append([]callHit(nil), always...), planned...), possible...)

	what := fmt.Sprintf("Deny %s %s", d.statementName(), d.where())
	job := fmt.Sprintf("sync %q", d.first.Job)
	var parts []string
	switch {
	case len(always) > 0:
		parts = append(parts, fmt.Sprintf("%s blocks %s: it denies %s", what, job, callList(certain)))
	case len(planned) > 0:
		parts = append(parts, fmt.Sprintf("%s blocks the multipart copies of %s (objects over %s, which this plan copies): it denies %s",
			what, job, d.threshold(), callList(certain)))
	case len(possible) > 0:
		parts = append(parts, fmt.Sprintf("%s blocks the multipart copies of %s (objects over %s): it denies %s",
			what, job, d.threshold(), callList(certain)))
	case all:
		parts = append(parts, fmt.Sprintf("%s may block %s: it may deny every request the job makes to it (%s)", what, job, strings.Join(f.Actions, ", ")))
	default:
		parts = append(parts, fmt.Sprintf("%s may block %s: it may deny %s", what, job, callList(unsure)))
	}
	if len(certain) > 0 && len(unsure) > 0 {
		parts = append(parts, "and may deny "+callList(unsure))
	}
	parts = append(parts, absentReasons(certain)...)
	if len(f.ConditionKeys) > 0 {
		parts = append(parts, fmt.Sprintf("it depends on %s, which lakesync cannot evaluate", joinAnd(f.ConditionKeys)))
	}
	if partialResource(unsure) {
		parts = append(parts, "its resource covers part of the job's objects")
	}
	if undecidedPrincipal(unsure) && d.stmt.NotPrincipal != nil {
		_, missing := notPrincipalNames(d.stmt.NotPrincipal, d.first)
		parts = append(parts, "its NotPrincipal does not list "+joinAnd(missing))
	}
	f.Message = strings.Join(parts, "; ")

	consequence := "the statement denies " + strings.Join(f.Actions, ", ")
	if all {
		consequence = "the statement denies every request"
	}
	f.Advice = append(f.Advice, certainAdvice(d, certain)...)
	f.Advice = append(f.Advice, d.undecidedAdvice(unsure, consequence)...)
	return f
}

// statementName is `statement "SID"`, or `statement #N` without a Sid.
func (d *denyReport) statementName() string {
	if d.ref.Sid != "" {
		return fmt.Sprintf("statement %q", d.ref.Sid)
	}
	return fmt.Sprintf("statement #%d (no Sid)", d.ref.Index)
}

// where names the document: "in the destination bucket policy of BUCKET",
// "in the destination key policy of key ARN", "in the policy NAME of role
// ARN".
func (d *denyReport) where() string {
	if d.identity {
		return fmt.Sprintf("in the policy %q of role %s", d.doc, d.first.Principal)
	}
	if strings.HasSuffix(d.doc, "key policy") {
		return fmt.Sprintf("in the %s of key %s", d.doc, d.resourceName())
	}
	return fmt.Sprintf("in the %s of bucket %s", d.doc, d.resourceName())
}

// resourceName is the bucket or key whose policy holds the statement, or
// the role for identity policies.
func (d *denyReport) resourceName() string {
	if d.identity {
		return d.first.Principal
	}
	r := d.first.Resource
	if b, ok := strings.CutPrefix(r, "arn:aws:s3:::"); ok {
		name, _, _ := strings.Cut(b, "/")
		return name
	}
	return r
}

func (d *denyReport) threshold() string {
	n := d.first.MultipartThreshold
	if n <= 0 {
		return "5 GiB"
	}
	return sizeText(n)
}

func sizeText(n int64) string {
	for _, u := range []struct {
		name string
		size int64
	}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.size && n%u.size == 0 {
			return fmt.Sprintf("%d %s", n/u.size, u.name)
		}
	}
	return fmt.Sprintf("%d bytes", n)
}

// callList names the actions of some calls with their API calls:
// "s3:PutObject (UploadPartCopy, CompleteMultipartUpload), s3:ListBucket
// (ListObjectsV2)".
func callList(cs []callHit) string {
	var actions []string
	apis := map[string][]string{}
	for _, c := range cs {
		actions = appendUnique(actions, c.req.Action)
		if c.req.API != "" {
			apis[c.req.Action] = appendUnique(apis[c.req.Action], c.req.API)
		}
	}
	out := make([]string, len(actions))
	for i, a := range actions {
		out[i] = a
		if len(apis[a]) > 0 {
			out[i] += " (" + strings.Join(apis[a], ", ") + ")"
		}
	}
	return strings.Join(out, ", ")
}

// absentTerm is a condition that holds because the calls do not carry its
// key.
type absentTerm struct {
	t    term
	apis []string
	sent []string // the values the calls carry (presentTerms)
}

func absentTerms(cs []callHit) []absentTerm {
	var out []absentTerm
	idx := map[string]int{}
	for _, c := range cs {
		for _, t := range c.hit.terms {
			if !t.Absent || t.Match != yes {
				continue
			}
			k := t.Op + "\x00" + t.Key
			i, ok := idx[k]
			if !ok {
				i = len(out)
				idx[k] = i
				out = append(out, absentTerm{t: t})
			}
			if c.req.API != "" {
				out[i].apis = appendUnique(out[i].apis, c.req.API)
			}
		}
	}
	return out
}

// presentTerms are the conditions that hold on a value the calls carry.
func presentTerms(cs []callHit) []absentTerm {
	var out []absentTerm
	idx := map[string]int{}
	for _, c := range cs {
		for _, t := range c.hit.terms {
			if !t.Known || t.Absent || t.Match != yes || len(t.Values) == 0 {
				continue
			}
			k := t.Op + "\x00" + t.Key
			i, ok := idx[k]
			if !ok {
				i = len(out)
				idx[k] = i
				out = append(out, absentTerm{t: t, sent: c.req.Context[t.Key]})
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
		base := strings.TrimSuffix(a.t.Op, "IfExists")
		if i := strings.IndexByte(base, ':'); i >= 0 {
			base = base[i+1:]
		}
		switch {
		case base == "Null":
			out = append(out, fmt.Sprintf("the Null condition on %s denies every call without that header (%s), and no condition key tells these calls apart: rely on the bucket's default encryption (lakesync sets it) instead of this statement, or %s",
				a.t.Key, joinAnd(a.apis), effect))
		case strings.Contains(base, "Not"):
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
	op := t.Op
	if i := strings.IndexByte(op, ':'); i >= 0 {
		op = op[i+1:]
	}
	op = strings.TrimSuffix(op, "IfExists")
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
	switch {
	case lower == "aws:principalorgid":
		return fmt.Sprintf("the copier role's account %s %s belong to organization %s", r.PrincipalAccount, must, vals)
	case lower == "aws:principalorgpaths":
		return fmt.Sprintf("the copier role's account %s %s sit under the organization path %s (AWS Organizations: root and organizational units)", r.PrincipalAccount, must, vals)
	case lower == "aws:sourcevpce":
		return fmt.Sprintf("lakesync's requests %s reach S3 through VPC endpoint %s: run it in a VPC whose route to S3 uses that endpoint", must, vals)
	case lower == "aws:sourcevpc":
		return fmt.Sprintf("lakesync %s run in VPC %s and reach S3 through a VPC endpoint there", must, vals)
	case lower == "aws:sourceip":
		return fmt.Sprintf("lakesync's requests %s come from an address in %s (the public address S3 sees: the host's, or its NAT gateway's; through a VPC endpoint S3 sees no public address)", must, vals)
	case strings.HasPrefix(lower, "aws:principaltag/"):
		return fmt.Sprintf("the copier role %s %s carry the tag %s = %s (lakesync passes no session tags)", role, must, t.Key[len("aws:PrincipalTag/"):], vals)
	case lower == "aws:principalarn":
		return fmt.Sprintf("the copier role's ARN %s %s match %s", r.Principal, must, vals)
	case lower == "aws:principalaccount":
		return fmt.Sprintf("the copier role's account %s %s be %s", r.PrincipalAccount, must, vals)
	case lower == strings.ToLower(KeySSE), lower == strings.ToLower(KeySSEKeyID):
		return fmt.Sprintf("AWS does not document whether S3 evaluates %s for these actions (lakesync sends aws:kms and the key ARN with CopyObject and CreateMultipartUpload, and no encryption header with the other calls): make sure the condition %s %s %s does not deny them", t.Key, t.Op, t.Key, vals)
	case lower == "aws:userid":
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
