package plan

import (
	"errors"
	"fmt"

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
	c := &computer{cfg: cfg, obs: obs, desired: map[Ref][]policy.Statement{}}
	// A bucket in another region than the file says comes first: its key
	// was looked for in the wrong region too.
	if err := checkRegions(cfg, obs); err != nil {
		return nil, err
	}
	if err := c.resolveKeys(); err != nil {
		return nil, err
	}
	created, obs, err := creations(cfg, obs, c.keyARN)
	if err != nil {
		return nil, err
	}
	c.obs = obs
	p := &Plan{FormatVersion: FormatVersion, Creations: created}
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
	p.Settings, p.Advice = c.splitAdvice(settings)
	p.Findings = c.findings(docs)
	p.Findings = append(p.Findings, c.sourcePrefixFindings()...)
	p.Findings = append(p.Findings, archivedFindings(p.Jobs)...)
	p.Migrations = migrations(cfg, obs)
	return p, nil
}

// computer holds the working state of one Compute.
type computer struct {
	cfg     *config.Config
	obs     *Observed
	keyARN  map[string]string // key block name -> resolved ARN
	desired map[Ref][]policy.Statement
	grants  []policy.Grant
	after   map[Ref]*policy.Document // document after the change
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
	g.Versions, g.ObjectLock = !j.SourceAsOf.IsZero(), j.ObjectLock == config.ObjectLockCopy
	if o := c.obs.Data[j.Name]; o != nil && o.Multipart > 0 {
		g.PartsPlanned = true // a Deny on the multipart calls blocks this run
	}
	if loc := j.SourceInventory; loc != nil {
		g.Inventory = &policy.Side{Bucket: loc.Bucket, Prefix: loc.Prefix}
		if b := c.inventoryBucket(j); b != nil {
			g.Inventory.Account, g.Inventory.Region = b.Account.ID, b.InRegion()
		}
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
	add := func(addr Ref, sts []policy.Statement) {
		c.desired[addr] = append(c.desired[addr], sts...)
	}
	add(BucketRef(j.Destination), d.DestBucketPolicy)
	add(BucketRef(j.Source), d.SourceBucketPolicy)
	if j.Destination.Key != nil {
		add(KeyRef(j.Destination.Key), d.DestKeyPolicy)
	}
	if j.Source.Key != nil {
		add(KeyRef(j.Source.Key), d.SourceKeyPolicy)
	}
	if j.Role != nil {
		add(RoleRef(j.Role), d.RolePolicy)
	}
	if b := c.inventoryBucket(j); b != nil {
		add(BucketRef(b), d.InventoryBucketPolicy)
	} else if j.SourceInventory != nil && j.Role != nil && j.Transfer == config.TransferServerSide {
		d.Notes = append(d.Notes, inventoryUndeclaredNote(j))
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
	if err := c.versionSettings(j, jp); err != nil {
		return nil, err
	}
	return jp, nil
}
