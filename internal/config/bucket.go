package config

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

var bucketSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "account", Required: true},
		{Name: "name", Required: true},
		{Name: "key"},
		{Name: "region"},
		{Name: "policy"},
		{Name: "create"},
		{Name: "versioning"},
	},
}

func (d *decoder) decodeBucket(b *hcl.Block) *Bucket {
	bk := &Bucket{Name: b.Labels[0], DeclRange: b.DefRange}
	content, diags := b.Body.Content(bucketSchema)
	d.diags = append(d.diags, diags...)
	at := content.Attributes

	bk.Account = ref(d, at, "account", "account", d.accounts)
	var attr *hcl.Attribute
	if bk.BucketName, attr = d.str(at, "name"); attr != nil && bk.BucketName != "" {
		if problem := bucketNameProblem(bk.BucketName); problem != "" {
			d.errorf(attr.Expr.Range().Ptr(), "Invalid bucket name",
				"%q is not a valid S3 bucket name: it %s.", bk.BucketName, problem)
		}
	}
	d.decodeBucketRegion(bk, at)
	bk.Policy = d.decodeOwnership(at, "bucket", "bucket policy and settings")
	if bk.Key = ref(d, at, "key", "key", d.keys); bk.Key != nil {
		if bk.Account != nil && bk.Key.Account != nil && bk.Key.Account != bk.Account {
			d.errorf(at["key"].Expr.Range().Ptr(), "Key in another account than its bucket",
				"bucket.%s is in account.%s but key.%s is in account.%s. A bucket's default encryption key must live in the bucket's account.",
				bk.Name, bk.Account.Name, bk.Key.Name, bk.Key.Account.Name)
		} else {
			d.checkKeyRegion(bk, at["key"])
		}
	}
	d.decodeBucketCreate(bk, at)
	return bk
}

// decodeBucketRegion sets the bucket's region: its region attribute, else
// its account's.
func (d *decoder) decodeBucketRegion(bk *Bucket, at hcl.Attributes) {
	if bk.Account != nil {
		bk.Region = bk.Account.Region
	}
	v, attr, ok := d.value(at, "region", cty.String)
	if !ok {
		return // absent, or reported
	}
	region := v.AsString()
	if !regionRe.MatchString(region) {
		d.errorf(attr.Expr.Range().Ptr(), "Invalid region",
			"%q is not an AWS region name: write the region the bucket was created in, like region = \"us-east-1\" (aws s3api get-bucket-location --bucket %s tells; an empty answer means us-east-1).",
			region, orBucket(bk.BucketName))
		return
	}
	bk.Region = region
	bk.RegionRange = attr.Expr.Range().Ptr()
}

func orBucket(name string) string {
	if name == "" {
		return "NAME"
	}
	return name
}

// checkKeyRegion checks that the bucket's key is in the bucket's region:
// S3 encrypts only with a key of the bucket's own region. A key named by
// alias takes the region of the first bucket that uses it (an alias names
// one key per region).
func (d *decoder) checkKeyRegion(bk *Bucket, keyAttr *hcl.Attribute) {
	k := bk.Key
	if bk.Region == "" {
		return // no account: reported already
	}
	where := fmt.Sprintf("account.%s's region", bk.Account.Name)
	if bk.RegionRange != nil {
		where = "its region attribute"
	}
	if k.ARN != "" && k.Region != "" && k.Region != bk.Region {
		d.errorf(keyAttr.Expr.Range().Ptr(), "Key in another region",
			"bucket.%s is in %s (%s), but key.%s's ARN is in %s. S3 encrypts only with a key in the bucket's own region: name a key in %s, or, if the bucket is in fact in %s, write region = %q in bucket %q.",
			bk.Name, bk.Region, where, k.Name, k.Region, bk.Region, k.Region, k.Region, bk.Name)
	} else if k.ARN == "" && k.Region == "" {
		k.Region = bk.Region
		d.aliasRegionBy[k] = bk
	} else if k.ARN == "" && k.Region != bk.Region {
		first := d.aliasRegionBy[k]
		d.errorf(keyAttr.Expr.Range().Ptr(), "Key in another region",
			"bucket.%s is in %s (%s), but key.%s (%s) is already used by bucket.%s in %s, and an alias names one key per region. Declare a key block for %s (the same alias if you like) and use it here.",
			bk.Name, bk.Region, where, k.Name, k.Alias, first.Name, k.Region, bk.Region)
	}
}

var roleSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "account", Required: true},
		{Name: "name", Required: true},
		{Name: "policy"},
	},
}

func (d *decoder) decodeRole(b *hcl.Block) *Role {
	r := &Role{Name: b.Labels[0], DeclRange: b.DefRange}
	content, diags := b.Body.Content(roleSchema)
	d.diags = append(d.diags, diags...)
	at := content.Attributes

	r.Account = ref(d, at, "account", "account", d.accounts)
	r.Policy = d.decodeOwnership(at, "role", "policies")
	var attr *hcl.Attribute
	if r.RoleName, attr = d.str(at, "name"); attr != nil && r.RoleName != "" && !roleNameRe.MatchString(r.RoleName) {
		d.errorf(attr.Expr.Range().Ptr(), "Invalid role name",
			"%q is not an IAM role name: use up to 64 letters, digits and +=,.@_- (the name, not the ARN).", r.RoleName)
	}
	return r
}
