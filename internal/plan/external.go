package plan

import (
	"fmt"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/policy"
)

// CheckExternal names the findings about a grant a job needs that a
// document with policy = "external" does not give.
const CheckExternal = "external-grant"

// externalDoc is a document of a job that another tool owns.
type externalDoc struct {
	ref  Ref
	kind string // BucketPolicy, KeyPolicy, RolePolicy
	// doc is the document's name in policy.Documents.Resource; "" for
	// the role's identity policies.
	doc  string
	what string // "the bucket policy of konfir-lake in account lake (222222222222)"
}

// externalDocs are the documents of j's requests that have policy =
// "external", destination first.
func (c *computer) externalDocs(j *config.Job) []externalDoc {
	var out []externalDoc
	bucket := func(b *config.Bucket, doc string) {
		if b.Policy.External() {
			out = append(out, externalDoc{ref: BucketRef(b), kind: BucketPolicy, doc: doc,
				what: fmt.Sprintf("the bucket policy of %s in account %s (%s)", b.BucketName, b.Account.Name, b.Account.ID)})
		}
	}
	key := func(k *config.Key, doc string) {
		if k != nil && k.Policy.External() {
			arn := c.keyARN[k.Name]
			if arn == "" {
				arn = k.Ref()
			}
			out = append(out, externalDoc{ref: KeyRef(k), kind: KeyPolicy, doc: doc,
				what: fmt.Sprintf("the key policy of %s in account %s (%s)", arn, k.Account.Name, k.Account.ID)})
		}
	}
	bucket(j.Destination, policy.DestBucketDoc)
	key(j.Destination.Key, policy.DestKeyDoc)
	bucket(j.Source, policy.SourceBucketDoc)
	key(j.Source.Key, policy.SourceKeyDoc)
	if r := j.Role; r != nil && r.Policy.External() {
		out = append(out, externalDoc{ref: RoleRef(r), kind: RolePolicy,
			what: fmt.Sprintf("the attached and inline policies of role %s in account %s (%s)", r.RoleName, r.Account.Name, r.Account.ID)})
	}
	return out
}

// externalGaps evaluates the requests of job j against docs, the
// documents in force, and reports each grant an external document lacks:
// a request docs do not allow, that they would allow with lakesync's
// statements in the external documents, and that the document named
// does not allow even with lakesync's statements in all the others. The
// comparison is by evaluation, so an equivalent statement written
// differently counts. covered marks the requests reported (nil when j
// has no external document), which the other access checks leave out.
func (c *computer) externalGaps(j *config.Job, reqs []policy.Request, docs policy.Documents) (gaps []policy.Finding, covered []bool) {
	ext := c.externalDocs(j)
	if len(ext) == 0 {
		return nil, nil
	}
	ideal := docs
	for _, e := range ext {
		ideal = c.withStatements(ideal, e)
	}
	covered = make([]bool, len(reqs))
	seen := map[string]bool{}
	for i, r := range reqs {
		if policy.Evaluate(r, docs).Allowed() || !policy.Evaluate(r, ideal).Allowed() {
			continue
		}
		covered[i] = true
		var blamed []externalDoc
		for _, e := range ext {
			if !policy.Evaluate(r, withDocument(ideal, docs, e)).Allowed() {
				blamed = append(blamed, e)
			}
		}
		if len(blamed) == 0 {
			blamed = ext // only both together lack it
		}
		for _, e := range blamed {
			id := e.ref.String() + " " + r.Action + " " + r.Resource
			if seen[id] {
				continue
			}
			seen[id] = true
			gaps = append(gaps, externalGap(j, e, r))
		}
	}
	return gaps, covered
}

func externalGap(j *config.Job, e externalDoc, r policy.Request) policy.Finding {
	return policy.Finding{
		Check: CheckExternal, Job: j.Name, Document: e.ref.String(), Index: -1,
		Principal: r.Principal, Actions: []string{r.Action}, Resource: r.Resource,
		Message: fmt.Sprintf("%s (%s, policy = \"external\") does not allow %s %s on %s, which sync %q needs; lakesync never writes an external document",
			e.ref, e.what, r.Principal, r.Action, r.Resource, j.Name),
		Advice: []string{fmt.Sprintf("add the statements of `lakesync export terraform --job %s` to it (in Terraform, through source_policy_documents), then run lakesync plan again", j.Name)},
	}
}

// withStatements is docs with the statements lakesync would write into e
// added to it.
func (c *computer) withStatements(docs policy.Documents, e externalDoc) policy.Documents {
	add := func(d *policy.Document) *policy.Document {
		out := &policy.Document{Version: policy.DefaultVersion}
		if d != nil {
			out.Statements = append(out.Statements, d.Statements...)
		}
		out.Statements = append(out.Statements, c.desired[e.ref]...)
		return out
	}
	out := copyDocuments(docs)
	if e.kind == RolePolicy {
		out.Identity[policy.RolePolicyName] = add(out.Identity[policy.RolePolicyName])
	} else {
		out.Resource[e.doc] = add(out.Resource[e.doc])
	}
	return out
}

// withDocument is ideal with e's document as it is in docs.
func withDocument(ideal, docs policy.Documents, e externalDoc) policy.Documents {
	out := copyDocuments(ideal)
	if e.kind == RolePolicy {
		out.Identity = copyDocuments(docs).Identity
		return out
	}
	delete(out.Resource, e.doc)
	if d := docs.Resource[e.doc]; d != nil {
		out.Resource[e.doc] = d
	}
	return out
}

func copyDocuments(d policy.Documents) policy.Documents {
	out := policy.Documents{Identity: map[string]*policy.Document{}, Resource: map[string]*policy.Document{}}
	for k, v := range d.Identity {
		out.Identity[k] = v
	}
	for k, v := range d.Resource {
		out.Resource[k] = v
	}
	return out
}

// uncovered are the requests externalGaps did not report.
func uncovered(reqs []policy.Request, covered []bool) []policy.Request {
	if covered == nil {
		return reqs
	}
	var out []policy.Request
	for i, r := range reqs {
		if !covered[i] {
			out = append(out, r)
		}
	}
	return out
}

// observedDocument parses the document of an external bucket or key as
// read, for the evaluation: lakesync never writes it.
func observedDocument(kind, resource string, acct *config.Account, raw []byte) (*policy.Document, error) {
	if raw == nil {
		return nil, nil
	}
	return parseObserved(kind, resource, acct.Name, acct.ID, raw)
}

// splitAdvice takes the settings of buckets with policy = "external" out
// of settings: lakesync never writes them, and the ones that would
// change are advice.
func (c *computer) splitAdvice(settings []*SettingChange) (managed, advice []*SettingChange) {
	external := map[Ref]bool{}
	for _, b := range c.cfg.Buckets {
		external[BucketRef(b)] = b.Policy.External()
	}
	for _, s := range settings {
		switch {
		case !external[s.Address]:
			managed = append(managed, s)
		case s.Action != ActionNoOp:
			advice = append(advice, s)
		}
	}
	return managed, advice
}

// externalAccess is externalGaps for Access: the grants j's external
// documents lack now, against lakesync's statements for every job.
func (c *computer) externalAccess(j *config.Job, reqs []policy.Request, docs policy.Documents) ([]policy.Finding, error) {
	if len(c.externalDocs(j)) == 0 {
		return nil, nil
	}
	if c.desired == nil {
		c.desired = map[Ref][]policy.Statement{}
		for _, job := range c.cfg.Jobs {
			if _, err := c.job(job); err != nil {
				return nil, err
			}
		}
	}
	gaps, _ := c.externalGaps(j, reqs, docs)
	return gaps, nil
}

// externalRoleStatements let CI read what is attached to the roles of
// account a with policy = "external": their attached managed policies
// and the default version of each, in the account.
func externalRoleStatements(cfg *config.Config, a *config.Account) []policy.Statement {
	var roles policy.Values
	for _, r := range cfg.Roles {
		if r.Account == a && r.Policy.External() {
			roles = append(roles, r.ARN())
		}
	}
	if len(roles) == 0 {
		return nil
	}
	return []policy.Statement{
		{Sid: "CIReadExternalRoles", Effect: policy.Allow, Action: policy.Values{"iam:ListAttachedRolePolicies"}, Resource: roles},
		{Sid: "CIReadAttachedPolicies", Effect: policy.Allow, Action: policy.Values{"iam:GetPolicy", "iam:GetPolicyVersion"},
			Resource: policy.Values{"arn:aws:iam::" + a.ID + ":policy/*"}},
	}
}
