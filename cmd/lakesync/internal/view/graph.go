package view

import (
	"slices"
	"strings"

	"github.com/lakesync/lakesync/internal/plan"
	"github.com/lakesync/lakesync/internal/policy"
)

// Graph is the access picture of a plan: the accounts, the buckets, keys
// and roles the plan's documents are about, and per job the copier's
// reads, writes and key uses, each with the documents that grant it. It
// is built from the plan value only (documents by their Ref, statements
// by their Sid, external-grant findings), never from rendered text.
type Graph struct {
	Accounts []GraphAccount
	// Nodes are in the order the plan first names them; Account is ""
	// for a node whose account the plan does not say.
	Nodes []GraphNode
	Edges []GraphEdge
}

// GraphAccount is one account, a subgraph.
type GraphAccount struct{ ID, Name string }

// GraphNode is a bucket, key or role.
type GraphNode struct {
	ID      string // stable: from the Ref, else from the ARN
	Kind    plan.RefKind
	Label   string // "bucket konfir-prod-data"
	Account string // account ID, "" when unknown
}

// Verbs of an edge.
const (
	VerbRead  = "reads"
	VerbWrite = "writes"
	VerbKey   = "uses"
)

// Marks of an edge and of a grant.
const (
	MarkNew       = "new"
	MarkChanged   = "changed"
	MarkUnchanged = "unchanged"
	MarkRemoved   = "removed"
	MarkMissing   = "missing"
)

// GraphEdge is what one job's copier does to one bucket or key.
type GraphEdge struct {
	Job      string // the job's name, or its JobID when the plan removes it
	Verb     string
	From, To string // node IDs
	Grants   []Grant
	Mark     string
}

// Grant is one document that grants an edge.
type Grant struct {
	Document string // "bucket policy of lake"
	Mark     string
}

// BuildGraph is the access picture of p.
func BuildGraph(p *plan.Plan) *Graph {
	b := &graphBuilder{g: &Graph{}, nodes: map[string]int{}, byResource: map[string]string{}, accounts: map[string]string{}}
	for _, d := range p.Documents {
		b.account(d.AccountID, d.AccountName)
	}
	for _, d := range p.Documents {
		id := refID(d.Address)
		b.node(GraphNode{ID: id, Kind: d.Address.Kind, Label: string(d.Address.Kind) + " " + d.Resource, Account: d.AccountID})
		b.byResource[string(d.Address.Kind)+" "+d.Resource] = id
	}
	jobs := map[string]string{} // JobID -> name
	for _, j := range p.Jobs {
		jobs[policy.JobID(j.Name)] = j.Name
	}
	for _, d := range p.Documents {
		for _, st := range d.Statements {
			b.statement(d, st, jobs)
		}
	}
	for _, f := range p.Findings {
		if f.Check == plan.CheckExternal {
			b.missing(f, p.Jobs)
		}
	}
	for _, j := range p.Jobs {
		b.ownCredentials(j)
	}
	for i := range b.g.Edges {
		e := &b.g.Edges[i]
		e.Mark = edgeMark(e.Grants)
	}
	order := map[string]int{}
	for i, j := range p.Jobs {
		order[j.Name] = i
	}
	slices.SortStableFunc(b.g.Edges, func(x, y GraphEdge) int {
		ox, okx := order[x.Job]
		oy, oky := order[y.Job]
		switch {
		case okx && oky && ox != oy:
			return ox - oy
		case okx != oky: // jobs of the plan before removed ones
			if okx {
				return -1
			}
			return 1
		case !okx && x.Job != y.Job:
			return strings.Compare(x.Job, y.Job)
		}
		return verbOrder(x.Verb) - verbOrder(y.Verb)
	})
	return b.g
}

type graphBuilder struct {
	g          *Graph
	nodes      map[string]int    // node ID -> index
	byResource map[string]string // "bucket NAME", "key ARN", "role NAME" -> node ID
	accounts   map[string]string // ID -> name
}

func (b *graphBuilder) account(id, name string) {
	if id == "" {
		return
	}
	if _, ok := b.accounts[id]; ok {
		return
	}
	b.accounts[id] = name
	b.g.Accounts = append(b.g.Accounts, GraphAccount{ID: id, Name: name})
}

func (b *graphBuilder) node(n GraphNode) string {
	if _, ok := b.nodes[n.ID]; !ok {
		b.nodes[n.ID] = len(b.g.Nodes)
		b.g.Nodes = append(b.g.Nodes, n)
		b.account(n.Account, "")
	}
	return n.ID
}

// arnNode is the node of a bucket, key or role ARN: the document's node
// when the plan has the document, a node of its own otherwise.
func (b *graphBuilder) arnNode(arn string) (string, bool) {
	var kind plan.RefKind
	var resource, acct string
	switch {
	case strings.HasPrefix(arn, "arn:aws:s3:::"):
		kind, resource = plan.KindBucket, strings.SplitN(strings.TrimPrefix(arn, "arn:aws:s3:::"), "/", 2)[0]
	case strings.HasPrefix(arn, "arn:aws:kms:"):
		kind, resource, acct = plan.KindKey, arn, arnAccount(arn)
	case strings.HasPrefix(arn, "arn:aws:iam::") && strings.Contains(arn, ":role/"):
		kind, acct = plan.KindRole, arnAccount(arn)
		resource = arn[strings.LastIndex(arn, "/")+1:]
	default:
		return "", false
	}
	if id, ok := b.byResource[string(kind)+" "+resource]; ok {
		return id, true
	}
	id := b.node(GraphNode{ID: string(kind) + "_" + nodeID(resource), Kind: kind, Label: string(kind) + " " + resource, Account: acct})
	b.byResource[string(kind)+" "+resource] = id
	return id, true
}

func arnAccount(arn string) string {
	if parts := strings.Split(arn, ":"); len(parts) > 4 {
		return parts[4]
	}
	return ""
}

// statement adds the edge one of lakesync's statements grants.
func (b *graphBuilder) statement(d *plan.DocumentChange, st policy.StatementChange, jobs map[string]string) {
	jobID, purpose, ok := policy.SplitSid(st.Sid)
	if !ok {
		return
	}
	job := jobs[jobID]
	if job == "" {
		job = jobID
	}
	raw := st.After
	if st.Action == policy.Delete || raw == nil {
		raw = st.Before
	}
	s := parseStatement(raw)
	grant := Grant{Document: refDocument(d.Address), Mark: statementMark(st.Action)}
	verb := purposeVerb(purpose)
	self := refID(d.Address)
	if d.Kind == plan.RolePolicy {
		if s == nil {
			return
		}
		for _, r := range s.Resource {
			if to, ok := b.arnNode(r); ok {
				b.edge(job, verb, self, to, grant)
			}
		}
		return
	}
	from := ""
	if s != nil && s.Principal != nil {
		for _, arn := range s.Principal.IDs["AWS"] {
			if id, ok := b.arnNode(arn); ok {
				from = id
				break
			}
		}
	}
	if from == "" {
		from = b.node(GraphNode{ID: "copier_" + nodeID(jobID), Kind: plan.KindRole, Label: "copier of " + job})
	}
	b.edge(job, verb, from, self, grant)
}

// missing adds the grant an external document lacks (an external-grant
// finding) as a missing grant of the job's edge.
func (b *graphBuilder) missing(f policy.Finding, jobs []*plan.JobPlan) {
	var ref plan.Ref
	if err := ref.UnmarshalText([]byte(f.Document)); err != nil {
		return
	}
	from, ok := b.arnNode(f.Principal)
	if !ok {
		return
	}
	to, ok := b.arnNode(f.Resource)
	if !ok {
		return
	}
	verb := VerbRead
	for _, a := range f.Actions {
		switch {
		case strings.HasPrefix(a, "kms:"):
			verb = VerbKey
		case strings.HasPrefix(a, "s3:Put") || strings.Contains(a, "Multipart"):
			verb = VerbWrite
		}
	}
	for _, j := range jobs {
		if j.Name == f.Job && verb == VerbRead && bucketOf(j.Dest) == bucketOf(strings.Replace(f.Resource, "arn:aws:s3:::", "s3://", 1)) {
			verb = VerbWrite
		}
	}
	b.edge(f.Job, verb, from, to, Grant{Document: refDocument(ref), Mark: MarkMissing})
}

// ownCredentials draws a job no document grants anything (a stream job
// without a role reads and writes with each account's own credentials):
// the copier reads the source and writes the destination.
func (b *graphBuilder) ownCredentials(j *plan.JobPlan) {
	if j.Transfer != policy.Stream {
		return
	}
	for _, e := range b.g.Edges {
		if e.Job == j.Name {
			return
		}
	}
	from := b.node(GraphNode{ID: "copier_" + nodeID(policy.JobID(j.Name)), Kind: plan.KindRole, Label: "copier of " + j.Name})
	for _, side := range []struct{ verb, url, who string }{{VerbRead, j.Source, "source"}, {VerbWrite, j.Dest, "destination"}} {
		to, _ := b.arnNode("arn:aws:s3:::" + bucketOf(side.url))
		b.edge(j.Name, side.verb, from, to, Grant{Document: "no document: the " + side.who + " account's own credentials", Mark: MarkUnchanged})
	}
}

func (b *graphBuilder) edge(job, verb, from, to string, g Grant) {
	for i := range b.g.Edges {
		e := &b.g.Edges[i]
		if e.Job == job && e.Verb == verb && e.From == from && e.To == to {
			for k, have := range e.Grants {
				if have.Document == g.Document {
					e.Grants[k].Mark = combineMarks(have.Mark, g.Mark)
					return
				}
			}
			e.Grants = append(e.Grants, g)
			return
		}
	}
	b.g.Edges = append(b.g.Edges, GraphEdge{Job: job, Verb: verb, From: from, To: to, Grants: []Grant{g}})
}

// bucketOf is the bucket of an s3://bucket/prefix URL.
func bucketOf(url string) string {
	return strings.SplitN(strings.TrimPrefix(url, "s3://"), "/", 2)[0]
}
