package config

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Migration is a migration block: a bucket moved to another account under
// its own name, through a temporary bucket in that account.
type Migration struct {
	Name   string
	Bucket *Bucket  // the bucket to move
	To     *Account // the account it moves to
	Key    *Key     // the CMK, in To, that encrypts the moved objects
	// TemporaryBucket is the name of the bucket, in To, that holds the
	// objects while the name is freed and taken again.
	TemporaryBucket string
	// Role, when set, copies server-side as that role; without it the
	// copies stream with each account's own credentials.
	Role *Role
	// Region is where the bucket is recreated: the region attribute, else
	// the bucket's own.
	Region    string
	DeclRange hcl.Range
}

var migrationSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "bucket", Required: true},
		{Name: "to", Required: true},
		{Name: "key", Required: true},
		{Name: "temporary_bucket", Required: true},
		{Name: "role"},
		{Name: "region"},
	},
}

// Migration returns the migration named name, or nil.
func (c *Config) Migration(name string) *Migration {
	for _, m := range c.Migrations {
		if m.Name == name {
			return m
		}
	}
	return nil
}

func (d *decoder) decodeMigration(b *hcl.Block) *Migration {
	m := &Migration{Name: b.Labels[0], DeclRange: b.DefRange}
	content, diags := b.Body.Content(migrationSchema)
	d.diags = append(d.diags, diags...)
	at := content.Attributes

	m.Bucket = ref(d, at, "bucket", "bucket", d.buckets)
	m.To = ref(d, at, "to", "account", d.accounts)
	m.Key = ref(d, at, "key", "key", d.keys)
	m.Role = ref(d, at, "role", "role", d.roles)
	if m.Bucket != nil {
		m.Region = m.Bucket.InRegion()
	}
	if v, attr, ok := d.value(at, "region", cty.String); ok {
		if r := v.AsString(); !regionRe.MatchString(r) {
			d.errorf(attr.Expr.Range().Ptr(), "Invalid region",
				"%q is not an AWS region name: write the region the bucket is recreated in, like region = \"eu-west-1\", or remove region to keep the bucket's own.", r)
		} else {
			m.Region = r
		}
	}
	var attr *hcl.Attribute
	if m.TemporaryBucket, attr = d.str(at, "temporary_bucket"); attr != nil && m.TemporaryBucket != "" {
		d.checkTemporaryBucket(m, attr)
	}
	// A migration moves the bucket to another account, another region,
	// or both.
	if m.Bucket != nil && m.To != nil && m.Bucket.Account == m.To && m.Region == m.Bucket.InRegion() {
		d.errorf(at["to"].Expr.Range().Ptr(), "Migration to the bucket's own account",
			"bucket.%s is already in account.%s, region %s: to names the account the bucket moves to, and region the region. Write to = account.NAME naming another account, or region = \"REGION\" naming another region; or, when lakesync migrate %s has moved it already, remove this migration block.", m.Bucket.Name, m.To.Name, m.Region, m.Name)
	}
	if m.Key != nil && m.To != nil && m.Key.Account != nil && m.Key.Account != m.To {
		d.errorf(at["key"].Expr.Range().Ptr(), "Key not in the destination account",
			"key.%s is in account.%s, but the moved bucket is encrypted with a key of the account it moves to, account.%s. Name a key block whose account is account.%s.", m.Key.Name, m.Key.Account.Name, m.To.Name, m.To.Name)
	} else if m.Key != nil && m.Region != "" {
		d.checkMigrationKeyRegion(m, at["key"])
	}
	if m.Role != nil && m.Bucket != nil && m.To != nil && m.Role.Account != nil && m.Role.Account != m.Bucket.Account && m.Role.Account != m.To {
		d.errorf(at["role"].Expr.Range().Ptr(), "Role in a third account",
			"role.%s is in account.%s; a migration's copier role is in the bucket's account (account.%s) or the one it moves to (account.%s). Name such a role, or remove role to stream the copies with each account's own credentials.", m.Role.Name, m.Role.Account.Name, m.Bucket.Account.Name, m.To.Name)
	}
	return m
}

// checkMigrationKeyRegion checks that m's key is in the region the
// bucket is recreated in, where S3 encrypts with it. A key named by alias
// that no bucket block uses is looked up there; an alias names one key
// per region, so a key block whose alias a bucket block or an earlier
// migration took to another region cannot serve.
func (d *decoder) checkMigrationKeyRegion(m *Migration, keyAttr *hcl.Attribute) {
	k := m.Key
	if k.ARN != "" {
		if k.InRegion() != m.Region {
			d.errorf(keyAttr.Expr.Range().Ptr(), "Key in another region",
				"The bucket is recreated in %s, but key.%s's ARN is in %s. S3 encrypts only with a key in the bucket's own region: name a key in %s, or set region = %q.", m.Region, k.Name, k.InRegion(), m.Region, k.InRegion())
		}
		return
	}
	var user string
	switch b, first := d.aliasRegionBy[k], d.aliasRegionByMigration[k]; {
	case b != nil:
		user = "bucket." + b.Name
	case first != nil:
		user = "migration." + first.Name
	default:
		k.Region = m.Region
		d.aliasRegionByMigration[k] = m
		return
	}
	if k.Region != m.Region {
		d.errorf(keyAttr.Expr.Range().Ptr(), "Key in another region",
			"The bucket is recreated in %s, but key.%s (%s) is already used by %s in %s, and an alias names one key per region. Declare a key block for %s (the same alias if you like) and use it here.", m.Region, k.Name, k.Alias, user, k.Region, m.Region)
	}
}

// checkTemporaryBucket checks the temporary bucket's name: a valid S3
// name, and not the moved bucket's.
func (d *decoder) checkTemporaryBucket(m *Migration, attr *hcl.Attribute) {
	if problem := bucketNameProblem(m.TemporaryBucket); problem != "" {
		d.errorf(attr.Expr.Range().Ptr(), "Invalid bucket name",
			"temporary_bucket %q is not a valid S3 bucket name: it %s.", m.TemporaryBucket, problem)
		return
	}
	if m.Bucket != nil && m.TemporaryBucket == m.Bucket.BucketName {
		d.errorf(attr.Expr.Range().Ptr(), "Temporary bucket is the moved bucket",
			"temporary_bucket is the name of bucket.%s itself; the temporary bucket holds the objects while that name is freed. Write another name, like temporary_bucket = %q.", m.Bucket.Name, suggestTemporary(m.Bucket.BucketName))
	}
}

// suggestTemporary is a temporary bucket name for bucket, within S3's 63
// characters.
func suggestTemporary(bucket string) string {
	const suffix = "-moving"
	if len(bucket)+len(suffix) > 63 {
		bucket = bucket[:63-len(suffix)]
	}
	return bucket + suffix
}
