package policy

import (
	"fmt"
	"sort"
	"strings"
)

// Names of the documents a request can be evaluated against; Request.Policy
// says which resource policy applies, and the messages use these names.
const (
	SourceBucketDoc = "source bucket policy"
	DestBucketDoc   = "destination bucket policy"
	SourceKeyDoc    = "source key policy"
	DestKeyDoc      = "destination key policy"
)

// Request is one call the copier makes, as the evaluator sees it: one API
// call and one IAM action it needs (CopyObject needs s3:PutObject on the
// destination and s3:GetObject on the source: two requests).
type Request struct {
	Job string // the job making it
	// API is the S3 API call ("CopyObject", "UploadPartCopy"); "" for the
	// KMS requests S3 makes on the copier's behalf. Calls that need the same
	// action may carry different request contexts.
	API string
	// Multipart is "" for a call made for any object, else MultipartPossible
	// or MultipartPlanned: the call is made only for objects copied in parts.
	Multipart string
	// MultipartThreshold is the job's: objects above it are copied in parts
	// (0: the default, 5 GiB).
	MultipartThreshold int64
	Principal          string // ARN of the copier role
	PrincipalAccount   string
	Action             string // e.g. "s3:PutObject"
	// Resource is the ARN acted on. A trailing "*" stands for every object
	// under a prefix: it is allowed only if a statement covers all of them.
	Resource        string
	ResourceAccount string
	Policy          string // the resource policy that applies (a *Doc name)
	Context         Context
}

// Documents are the policies in force: every identity-based policy of the
// principal by name (its inline policies and attached managed policies),
// and the resource policies by *Doc name. A missing bucket policy means the
// bucket has none. A missing key policy is assumed to be the default one,
// which delegates to the key account's IAM policies.
type Documents struct {
	Identity map[string]*Document
	Resource map[string]*Document
}

// StatementRef points at one statement of one document.
type StatementRef struct {
	Document string `json:"document"`
	Index    int    `json:"index"`
	Sid      string `json:"sid,omitempty"`
	Certain  bool   `json:"certain"` // false: its conditions could not be decided
	// ConditionKeys are the keys of its conditions lakesync could not
	// decide for the request (none when Certain).
	ConditionKeys []string `json:"condition_keys,omitempty"`
}

func (r StatementRef) String() string {
	if r.Sid != "" {
		return fmt.Sprintf("%s statement %q", r.Document, r.Sid)
	}
	return fmt.Sprintf("%s statement #%d", r.Document, r.Index)
}

// Outcomes of an evaluation.
const (
	Allowed   = "allowed"
	Denied    = "denied"
	Uncertain = "uncertain" // depends on conditions the context does not decide
)

// Decision is the result of evaluating one request.
type Decision struct {
	Request Request `json:"request"`
	Outcome string  `json:"outcome"`
	// Allow is what the Allow statements alone say (Allowed, Denied or
	// Uncertain), before any explicit Deny.
	Allow    string         `json:"allow"`
	DeniedBy []StatementRef `json:"denied_by,omitempty"` // explicit Deny statements that (may) apply
	Missing  []string       `json:"missing,omitempty"`   // what each document lacks
}

// Allowed reports whether the request is certainly allowed.
func (d Decision) Allowed() bool { return d.Outcome == Allowed }

// Evaluate applies AWS's policy evaluation logic to one request: an explicit
// Deny in any applicable policy wins; within one account an Allow in the
// identity policies or (naming the principal itself) in the bucket policy
// suffices; across accounts both the identity policies and the resource
// policy must allow. For KMS the key policy must allow the principal, or
// allow its account (root or account id), which delegates to IAM, in which
// case an identity policy must allow too; IAM alone never suffices.
func Evaluate(req Request, docs Documents) Decision {
	d := Decision{Request: req}
	kms := strings.HasPrefix(strings.ToLower(req.Action), "kms:")
	same := req.PrincipalAccount == req.ResourceAccount

	// Explicit denies, in deterministic document order.
	for _, name := range sortedKeys(docs.Identity) {
		d.DeniedBy = append(d.DeniedBy, denies(name, docs.Identity[name], req, false)...)
	}
	resDoc := docs.Resource[req.Policy]
	if resDoc != nil {
		d.DeniedBy = append(d.DeniedBy, denies(req.Policy, resDoc, req, true)...)
	}

	identity := no
	for _, name := range sortedKeys(docs.Identity) {
		identity = max(identity, allows(docs.Identity[name], req, false).direct)
	}
	var res grantMatch
	if resDoc != nil {
		res = allows(resDoc, req, true)
	} else if kms && req.Policy != "" && same {
		res.account = yes // default key policy: the account delegates to IAM
	}

	var allow match
	switch {
	case kms && same:
		allow = max(res.direct, and(res.account, identity))
	case same:
		allow = max(identity, res.direct)
	default:
		allow = and(identity, max(res.direct, res.account))
	}
	d.Allow = [...]string{no: Denied, maybe: Uncertain, yes: Allowed}[allow]
	if allow != yes {
		d.Missing = missing(req, kms, same, identity, res)
	}

	sure := true
	for _, r := range d.DeniedBy {
		if r.Certain {
			d.Outcome = Denied
			return d
		}
		sure = false
	}
	if allow == no {
		d.Outcome = Denied
	} else if allow == yes && sure {
		d.Outcome = Allowed
	} else {
		d.Outcome = Uncertain
	}
	return d
}

// grantMatch is how far a resource policy allows a request: naming the
// principal (direct) or naming its account (delegating to IAM).
type grantMatch struct{ direct, account match }

func allows(doc *Document, req Request, resourcePolicy bool) grantMatch {
	var g grantMatch
	for _, s := range doc.Statements {
		if s.Effect != Allow {
			continue
		}
		base := applies(s, req)
		if base == no {
			continue
		}
		if !resourcePolicy {
			g.direct = max(g.direct, base)
			continue
		}
		direct, account := principalMatch(s, req)
		g.direct = max(g.direct, and(base, direct))
		g.account = max(g.account, and(base, account))
	}
	return g
}

func denies(name string, doc *Document, req Request, resourcePolicy bool) []StatementRef {
	var out []StatementRef
	for _, h := range denyHits(name, doc, req, resourcePolicy) {
		out = append(out, h.ref)
	}
	return out
}

// denyHit is a Deny statement that applies, or may apply, to a request,
// with each part of the answer: the request's action, its resource, the
// statement's principal (resource policies) and its condition terms.
type denyHit struct {
	ref                         StatementRef
	stmt                        Statement
	action, resource, principal match
	terms                       []term
}

func denyHits(name string, doc *Document, req Request, resourcePolicy bool) []denyHit {
	if doc == nil {
		return nil
	}
	var out []denyHit
	for i, s := range doc.Statements {
		if s.Effect != Deny {
			continue
		}
		h := denyHit{stmt: s, action: actionMatch(s, req.Action), resource: resourceMatch(s, req.Resource), principal: yes}
		if resourcePolicy {
			direct, account := principalMatch(s, req)
			h.principal = max(direct, account)
		}
		h.terms = conditionTerms(s.Condition, req.Context)
		cond := yes
		for _, t := range h.terms {
			cond = and(cond, t.Match)
		}
		m := and(h.action, h.resource, h.principal, cond)
		if m == no {
			continue
		}
		h.ref = StatementRef{Document: name, Index: i, Sid: s.Sid, Certain: m == yes}
		if cond == maybe {
			h.ref.ConditionKeys = undecidedKeys(h.terms)
		}
		out = append(out, h)
	}
	return out
}

// applies is whether a statement's actions, resources and conditions cover
// the request, whatever its effect and principal.
func applies(s Statement, req Request) match {
	return and(actionMatch(s, req.Action), resourceMatch(s, req.Resource), evalCondition(s.Condition, req.Context))
}

func actionMatch(s Statement, action string) match {
	if s.Action != nil {
		return matchAny(s.Action, action, true)
	}
	if s.NotAction != nil {
		return matchNot(s.NotAction, action, true)
	}
	return no
}

func resourceMatch(s Statement, resource string) match {
	if s.Resource != nil {
		return matchAny(s.Resource, resource, false)
	}
	if s.NotResource != nil {
		return matchNot(s.NotResource, resource, false)
	}
	return yes // key policies may omit Resource; the policy is attached to the resource
}

func missing(req Request, kms, same bool, identity match, res grantMatch) []string {
	what := fmt.Sprintf("for %s on %s", req.Action, req.Resource)
	lacks := func(m match) string {
		if m == maybe {
			return "may have no Allow (undecided conditions)"
		}
		return "has no Allow"
	}
	idDoc := "the identity policies of " + req.Principal
	var out []string
	switch {
	case kms && same:
		if res.direct != yes && res.account != yes {
			out = append(out, fmt.Sprintf("%s %s %s for %s or its account %s", req.Policy, lacks(max(res.direct, res.account)), what, req.Principal, req.PrincipalAccount))
		} else {
			out = append(out, fmt.Sprintf("%s %s %s (the %s delegates to IAM)", idDoc, lacks(identity), what, req.Policy))
		}
	case same:
		out = append(out, fmt.Sprintf("neither %s nor the %s allow %s on %s", idDoc, req.Policy, req.Action, req.Resource))
	default:
		if identity != yes {
			out = append(out, fmt.Sprintf("%s %s %s", idDoc, lacks(identity), what))
		}
		if r := max(res.direct, res.account); r != yes {
			out = append(out, fmt.Sprintf("%s %s %s for %s", req.Policy, lacks(r), what, req.Principal))
		}
	}
	sort.Strings(out)
	return out
}
