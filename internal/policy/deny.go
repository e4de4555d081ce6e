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
		if !c.hit.ref.Certain {
			unsure = append(unsure, c)
			f.ConditionKeys = appendUnique(f.ConditionKeys, c.hit.ref.ConditionKeys...)
		} else {
			switch c.req.Multipart {
			case MultipartPlanned:
				planned = append(planned, c)
			case MultipartPossible:
				possible = append(possible, c)
			default:
				always = append(always, c)
			}
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
	var headline string
	if len(always) > 0 {
		headline = fmt.Sprintf("%s blocks %s: it denies %s", what, job, callList(certain))
	} else if len(planned) > 0 {
		headline = fmt.Sprintf("%s blocks the multipart copies of %s (objects over %s, which this plan copies): it denies %s",
			what, job, d.threshold(), callList(certain))
	} else if len(possible) > 0 {
		headline = fmt.Sprintf("%s blocks the multipart copies of %s (objects over %s): it denies %s",
			what, job, d.threshold(), callList(certain))
	} else if all {
		headline = fmt.Sprintf("%s may block %s: it may deny every request the job makes to it (%s)", what, job, strings.Join(f.Actions, ", "))
	} else {
		headline = fmt.Sprintf("%s may block %s: it may deny %s", what, job, callList(unsure))
	}
	parts := []string{headline}
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
