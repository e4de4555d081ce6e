package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/policy"
)

// Compute derives the plan from the configuration and what was observed.
// It returns an error, naming the account and resource, when the world is
// not fit to plan over: a missing bucket, key or role, a key that is not a
// usable customer-managed key, a document that is not valid policy JSON.
// Problems that depend on the result (sizes, denies, key lock-out) are
// findings in the plan.
func Compute(cfg *config.Config, obs *Observed) (*Plan, error) {
	c := &computer{cfg: cfg, obs: obs, desired: map[string][]policy.Statement{}}
	// A bucket in another region than the file says comes first: its key
	// was looked for in the wrong region too.
	if err := checkRegions(cfg, obs); err != nil {
		return nil, err
	}
	if err := c.resolveKeys(); err != nil {
		return nil, err
	}
	p := &Plan{FormatVersion: FormatVersion}
	for _, j := range cfg.Jobs {
		jp, err := c.job(j)
		if err != nil {
			return nil, err
		}
		p.Jobs = append(p.Jobs, jp)
	}
	docs, err := c.documents()
	if err != nil {
		return nil, err
	}
	p.Documents = docs
	settings, err := c.settings()
	if err != nil {
		return nil, err
	}
	p.Settings = settings
	p.Findings = c.findings(docs)
	p.Findings = append(p.Findings, c.sourcePrefixFindings()...)
	p.Findings = append(p.Findings, archivedFindings(p.Jobs)...)
	return p, nil
}

// computer holds the working state of one Compute.
type computer struct {
	cfg     *config.Config
	obs     *Observed
	keyARN  map[string]string // key block name -> resolved ARN
	desired map[string][]policy.Statement
	grants  []policy.Grant
	after   map[string]*policy.Document // address -> document after the change
}

func (c *computer) resolveKeys() error {
	c.keyARN = map[string]string{}
	var errs []error
	for _, k := range c.cfg.Keys {
		ok := c.obs.Keys[k.Name]
		switch {
		case ok == nil:
			errs = append(errs, fmt.Errorf("key.%s (%s in account %s %s) was not observed", k.Name, k.Ref(), k.Account.Name, k.Account.ID))
		case !ok.Exists:
			errs = append(errs, fmt.Errorf("key.%s: %s does not exist in account %s (%s), region %s: create the customer-managed key or fix arn/alias", k.Name, k.Ref(), k.Account.Name, k.Account.ID, k.InRegion()))
		default:
			c.keyARN[k.Name] = ok.ARN
		}
	}
	return errors.Join(errs...)
}

func side(b *config.Bucket, prefix string, keyARN map[string]string) policy.Side {
	// S3 in the bucket's region is the service that uses the bucket's key
	// (kms:ViaService).
	s := policy.Side{Account: b.Account.ID, Region: b.InRegion(), Bucket: b.BucketName, Prefix: prefix}
	if b.Key != nil {
		s.KeyARN = keyARN[b.Key.Name]
	}
	return s
}

// Grant is the policy grant of a job, with key aliases resolved.
func (c *computer) grant(j *config.Job) policy.Grant {
	g := policy.Grant{
		Job:         j.Name,
		Source:      side(j.Source, j.SourcePrefix, c.keyARN),
		Destination: side(j.Destination, j.DestinationPrefix, c.keyARN),
		Delete:      j.Delete,
		Transfer:    string(j.Transfer),
	}
	if j.Role != nil {
		g.RoleARN = j.Role.ARN()
		g.RoleAccount = j.Role.Account.ID
	}
	g.MultipartThreshold = j.MultipartThreshold
	if o := c.obs.Data[j.Name]; o != nil && o.Multipart > 0 {
		g.PartsPlanned = true // a Deny on the multipart calls blocks this run
	}
	return g
}

func (c *computer) job(j *config.Job) (*JobPlan, error) {
	g := c.grant(j)
	var d policy.Desired
	if j.Role == nil && j.Transfer == config.TransferServerSide {
		// One account copying with its own credentials: nothing to grant.
		d = policy.Desired{Topology: "same-account", Notes: []string{"no copier role: the destination account's own credentials copy within the account; no policy statement needed"}}
	} else {
		var err error
		if d, err = policy.Generate(g); err != nil {
			return nil, fmt.Errorf("sync %q: %w", j.Name, err)
		}
		if j.Transfer == config.TransferServerSide {
			c.grants = append(c.grants, g)
		}
	}
	add := func(addr string, sts []policy.Statement) {
		c.desired[addr] = append(c.desired[addr], sts...)
	}
	add(bucketAddr(j.Destination), d.DestBucketPolicy)
	add(bucketAddr(j.Source), d.SourceBucketPolicy)
	if j.Destination.Key != nil {
		add(keyAddr(j.Destination.Key), d.DestKeyPolicy)
	}
	if j.Source.Key != nil {
		add(keyAddr(j.Source.Key), d.SourceKeyPolicy)
	}
	if j.Role != nil {
		add(roleAddr(j.Role), d.RolePolicy)
	}
	jp := &JobPlan{
		Name:     j.Name,
		Mode:     string(j.Mode),
		Transfer: string(j.Transfer),
		Topology: d.Topology,
		Source:   "s3://" + j.Source.BucketName + "/" + j.SourcePrefix,
		Dest:     "s3://" + j.Destination.BucketName + "/" + j.DestinationPrefix,
		Notes:    d.Notes,
		// The listing is explicit: a plan that listed no data is not a
		// plan with nothing to copy.
		DataListing: c.obs.listing(j.Name),
		Archived:    string(j.Archived),
	}
	if src, dst := j.Source.InRegion(), j.Destination.InRegion(); src != dst {
		jp.CrossRegion, jp.SourceRegion, jp.DestinationRegion = true, src, dst
	}
	if obs := c.obs.Data[j.Name]; obs != nil {
		jp.Data = obs.JobData(j, c.obs.Prices)
	}
	return jp, nil
}

func bucketAddr(b *config.Bucket) string { return "bucket." + b.Name }
func keyAddr(k *config.Key) string       { return "key." + k.Name }
func roleAddr(r *config.Role) string     { return "role." + r.Name }

// documents merges the desired statements into every document of every
// bucket, key and role the configuration declares: a document no job needs
// any more loses lakesync's statements.
func (c *computer) documents() ([]*DocumentChange, error) {
	var jobIDs []string
	for _, j := range c.cfg.Jobs {
		jobIDs = append(jobIDs, j.ID())
	}
	c.after = map[string]*policy.Document{}
	var out []*DocumentChange
	var errs []error
	merge := func(dc *DocumentChange, raw []byte) {
		ch, after, err := diffDocument(dc, raw, c.desired[dc.Address], jobIDs)
		if err != nil {
			errs = append(errs, err)
			return
		}
		c.after[dc.Address] = after
		out = append(out, ch)
	}
	for _, b := range c.cfg.Buckets {
		ob := c.obs.Buckets[b.Name]
		if err := checkBucket(b, ob); err != nil {
			errs = append(errs, err)
			continue
		}
		merge(&DocumentChange{Address: bucketAddr(b), Kind: BucketPolicy, AccountName: b.Account.Name, AccountID: b.Account.ID, Resource: b.BucketName}, ob.Policy)
	}
	for _, k := range c.cfg.Keys {
		ok := c.obs.Keys[k.Name]
		if ok == nil || !ok.Exists {
			continue // reported by resolveKeys
		}
		if err := checkKey(k, ok); err != nil {
			errs = append(errs, err)
			continue
		}
		merge(&DocumentChange{Address: keyAddr(k), Kind: KeyPolicy, AccountName: k.Account.Name, AccountID: k.Account.ID, Resource: ok.ARN, PolicyName: "default"}, ok.Policy)
	}
	for _, r := range c.cfg.Roles {
		or := c.obs.Roles[r.Name]
		if or == nil || !or.Exists {
			errs = append(errs, fmt.Errorf("role.%s: the role %s does not exist in account %s (%s): create it (lakesync manages its inline policy %q, not the role itself), or fix its name", r.Name, r.RoleName, r.Account.Name, r.Account.ID, policy.RolePolicyName))
			continue
		}
		merge(&DocumentChange{Address: roleAddr(r), Kind: RolePolicy, AccountName: r.Account.Name, AccountID: r.Account.ID, Resource: r.RoleName, PolicyName: policy.RolePolicyName}, or.InlinePolicies[policy.RolePolicyName])
	}
	return out, errors.Join(errs...)
}

// diffDocument merges desired into the document read as raw and
// describes the change.
func diffDocument(dc *DocumentChange, raw []byte, desired []policy.Statement, jobIDs []string) (*DocumentChange, *policy.Document, error) {
	var before *policy.Document
	if raw != nil {
		sum := sha256.Sum256(raw)
		dc.BeforeSHA256 = hex.EncodeToString(sum[:])
		var err error
		if before, err = parseObserved(dc.Kind, dc.Resource, dc.AccountName, dc.AccountID, raw); err != nil {
			return nil, nil, err
		}
		dc.Before = compact(before)
	}
	after, err := policy.Merge(before, desired, jobIDs)
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s in account %s (%s): %w", kindName(dc.Kind), dc.Resource, dc.AccountName, dc.AccountID, err)
	}
	switch {
	case after == nil || after.Empty():
		if before != nil && !before.Empty() {
			dc.Action = ActionDelete
		} else {
			dc.Action = ActionNoOp
			dc.Before = nil
		}
		after = nil
	case before == nil || before.Empty():
		dc.Action = ActionCreate
		dc.After = compact(after)
	default:
		dc.After = compact(after)
		dc.Action = ActionNoOp
		if string(dc.Before) != string(dc.After) {
			dc.Action = ActionUpdate
		}
	}
	dc.Statements = policy.Diff(before, after)
	if dc.Action == ActionUpdate && !policy.Changed(dc.Statements) {
		// Only the encoding differs (for example Version added): nothing
		// a reviewer needs to see, but the document is rewritten.
		dc.Action = ActionNoOp
		dc.After = dc.Before
	}
	return dc, after, nil
}

// parseObserved parses a document read from an account; one that is not
// policy JSON is refused, naming where it is: lakesync never plans over
// (and so never overwrites) a document it cannot read.
func parseObserved(kind, resource, accountName, accountID string, raw []byte) (*policy.Document, error) {
	d, err := policy.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%s %s in account %s (%s) is not a valid policy document, so lakesync will not plan over it: %w; fix or remove it by hand first",
			kindName(kind), resource, accountName, accountID, err)
	}
	return d, nil
}

func compact(d *policy.Document) []byte {
	b, err := d.JSON()
	if err != nil {
		return nil
	}
	return b
}

func kindName(kind string) string {
	switch kind {
	case BucketPolicy:
		return "the bucket policy of"
	case KeyPolicy:
		return "the key policy of"
	default:
		return "the inline policy of role"
	}
}

func checkBucket(b *config.Bucket, ob *ObservedBucket) error {
	switch {
	case ob == nil:
		return fmt.Errorf("bucket.%s (%s in account %s %s) was not observed", b.Name, b.BucketName, b.Account.Name, b.Account.ID)
	case !ob.Exists:
		return fmt.Errorf("bucket.%s: the bucket %s does not exist or is not in account %s (%s): create it or fix its name", b.Name, b.BucketName, b.Account.Name, b.Account.ID)
	}
	return nil
}

func checkKey(k *config.Key, ok *ObservedKey) error {
	where := fmt.Sprintf("key.%s (%s in account %s %s)", k.Name, ok.ARN, k.Account.Name, k.Account.ID)
	switch {
	case ok.KeyManager == "AWS":
		return fmt.Errorf("%s is AWS-managed: its policy cannot be changed and no other account can use it; create a customer-managed key", where)
	case ok.KeyState != "" && ok.KeyState != "Enabled":
		return fmt.Errorf("%s is %s: enable it (or cancel its deletion) before lakesync can use it", where, ok.KeyState)
	case ok.KeySpec != "" && ok.KeySpec != "SYMMETRIC_DEFAULT":
		return fmt.Errorf("%s is a %s key: S3 encrypts with symmetric keys only (SYMMETRIC_DEFAULT)", where, ok.KeySpec)
	case ok.KeyUsage != "" && ok.KeyUsage != "ENCRYPT_DECRYPT":
		return fmt.Errorf("%s has usage %s: S3 needs ENCRYPT_DECRYPT", where, ok.KeyUsage)
	}
	return nil
}

// findings runs the checks that depend on the documents after the change.
func (c *computer) findings(docs []*DocumentChange) []policy.Finding {
	var out []policy.Finding
	for _, dc := range docs {
		after := c.after[dc.Address]
		name := dc.Address
		switch dc.Kind {
		case BucketPolicy:
			out = append(out, policy.CheckBucketPolicySize(name, after)...)
		case KeyPolicy:
			if after == nil {
				// A key always has a policy; one left without statements
				// would lock everybody out.
				after = &policy.Document{Version: policy.DefaultVersion}
			}
			out = append(out, policy.CheckKeyPolicySize(name, after)...)
			if dc.Action != ActionNoOp {
				out = append(out, policy.CheckKeyAdmin(name, after, dc.AccountID)...)
			}
		case RolePolicy:
			inline := map[string]*policy.Document{}
			for _, r := range c.cfg.Roles {
				if roleAddr(r) != dc.Address {
					continue
				}
				for pname, raw := range c.obs.Roles[r.Name].InlinePolicies {
					if pname == policy.RolePolicyName {
						continue
					}
					if d, err := policy.Parse(raw); err == nil {
						inline[pname] = d
					}
				}
			}
			if after != nil {
				inline[policy.RolePolicyName] = after
			}
			out = append(out, policy.CheckRolePolicySize(name, inline)...)
		}
	}
	for _, j := range c.cfg.Jobs {
		if j.Destination.Key != nil {
			if ok := c.obs.Keys[j.Destination.Key.Name]; ok != nil {
				out = append(out, policy.CheckDestinationKey(j.Destination.Key.Ref(), ok.KeyManager)...)
			}
		}
	}
	for _, g := range c.grants {
		reqs := policy.Required(g)
		docs := c.accessDocuments(g)
		out = append(out, policy.CheckDenies(reqs, docs)...)
		out = append(out, policy.CheckAccessAll(reqs, docs)...)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Blocking && !out[j].Blocking })
	return out
}

// accessDocuments are the documents in force for a job after the change.
func (c *computer) accessDocuments(g policy.Grant) policy.Documents {
	docs := policy.Documents{Identity: map[string]*policy.Document{}, Resource: map[string]*policy.Document{}}
	job := c.cfg.Job(g.Job)
	if job.Role != nil {
		if or := c.obs.Roles[job.Role.Name]; or != nil {
			for pname, raw := range or.InlinePolicies {
				if d, err := policy.Parse(raw); err == nil {
					docs.Identity[pname] = d
				}
			}
		}
		if d := c.after[roleAddr(job.Role)]; d != nil {
			docs.Identity[policy.RolePolicyName] = d
		} else {
			delete(docs.Identity, policy.RolePolicyName)
		}
	}
	put := func(name, addr string) {
		if d := c.after[addr]; d != nil {
			docs.Resource[name] = d
		}
	}
	put(policy.SourceBucketDoc, bucketAddr(job.Source))
	put(policy.DestBucketDoc, bucketAddr(job.Destination))
	if job.Source.Key != nil {
		put(policy.SourceKeyDoc, keyAddr(job.Source.Key))
	}
	if job.Destination.Key != nil {
		put(policy.DestKeyDoc, keyAddr(job.Destination.Key))
	}
	return docs
}
