package config

import (
	"github.com/hashicorp/hcl/v2"
)

var bucketSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "account", Required: true},
		{Name: "name", Required: true},
		{Name: "key"},
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
	if bk.Key = ref(d, at, "key", "key", d.keys); bk.Key != nil {
		if bk.Account != nil && bk.Key.Account != nil && bk.Key.Account != bk.Account {
			d.errorf(at["key"].Expr.Range().Ptr(), "Key in another account than its bucket",
				"bucket.%s is in account.%s but key.%s is in account.%s. A bucket's default encryption key must live in the bucket's account.",
				bk.Name, bk.Account.Name, bk.Key.Name, bk.Key.Account.Name)
		}
	}
	return bk
}

var roleSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "account", Required: true},
		{Name: "name", Required: true},
	},
}

func (d *decoder) decodeRole(b *hcl.Block) *Role {
	r := &Role{Name: b.Labels[0], DeclRange: b.DefRange}
	content, diags := b.Body.Content(roleSchema)
	d.diags = append(d.diags, diags...)
	at := content.Attributes

	r.Account = ref(d, at, "account", "account", d.accounts)
	var attr *hcl.Attribute
	if r.RoleName, attr = d.str(at, "name"); attr != nil && r.RoleName != "" && !roleNameRe.MatchString(r.RoleName) {
		d.errorf(attr.Expr.Range().Ptr(), "Invalid role name",
			"%q is not an IAM role name: use up to 64 letters, digits and +=,.@_- (the name, not the ARN).", r.RoleName)
	}
	return r
}
