package config

import "github.com/hashicorp/hcl/v2"

// decodeBucketCreate decodes create and versioning. versioning is only
// meaningful with create = true (lakesync sets it on the bucket it
// creates, never on an existing one); a created bucket gets default
// encryption with its key, so it needs one, and its settings are
// lakesync's, so it cannot have policy = "external".
func (d *decoder) decodeBucketCreate(bk *Bucket, at hcl.Attributes) {
	var createAttr, versAttr *hcl.Attribute
	bk.Create, createAttr = d.boolean(at, "create")
	bk.Versioning, versAttr = d.boolean(at, "versioning")
	if versAttr != nil && !bk.Create {
		d.errorf(versAttr.Expr.Range().Ptr(), "versioning without create",
			"versioning is only meaningful with create = true: lakesync enables versioning on a bucket it creates, never on an existing one. Add create = true to bucket %q, or remove versioning (aws s3api put-bucket-versioning enables it on an existing bucket).", bk.Name)
	}
	if !bk.Create || createAttr == nil {
		return
	}
	if bk.Key == nil {
		d.errorf(createAttr.Expr.Range().Ptr(), "create without key",
			"bucket %q has create = true but no key: a bucket lakesync creates is encrypted by default with a customer-managed key. Add key = key.NAME, naming a key block in account %q.", bk.Name, accountName(bk))
	}
	if bk.Policy.External() {
		d.errorf(createAttr.Expr.Range().Ptr(), "create with policy = \"external\"",
			"bucket %q has create = true and policy = \"external\": lakesync would set the settings of the bucket it creates, which another tool owns. Remove create = true and let that tool create the bucket, or remove policy = \"external\".", bk.Name)
	}
}

func accountName(bk *Bucket) string {
	if bk.Account == nil {
		return "NAME"
	}
	return bk.Account.Name
}
