package config

import (
	"net/url"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

var accountSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "id", Required: true},
		{Name: "region", Required: true},
		{Name: "profile"},
		{Name: "role_arn"},
		{Name: "external_id"},
		{Name: "endpoint_url"},
		{Name: "s3_force_path_style"},
	},
}

func (d *decoder) decodeAccount(b *hcl.Block) *Account {
	a := &Account{Name: b.Labels[0], DeclRange: b.DefRange}
	content, diags := b.Body.Content(accountSchema)
	d.diags = append(d.diags, diags...)
	at := content.Attributes

	var attr *hcl.Attribute
	if a.ID, attr = d.str(at, "id"); attr != nil && a.ID != "" && !accountIDRe.MatchString(a.ID) {
		d.errorf(attr.Expr.Range().Ptr(), "Invalid account id",
			"%q is not an AWS account id: write the 12 digits as a string, e.g. id = \"111111111111\".", a.ID)
	}
	if a.Region, attr = d.str(at, "region"); attr != nil && a.Region != "" && !regionRe.MatchString(a.Region) {
		d.errorf(attr.Expr.Range().Ptr(), "Invalid region",
			"%q is not an AWS region name: write it like \"eu-west-1\".", a.Region)
	}
	a.Profile, _ = d.str(at, "profile")
	a.ExternalID, _ = d.str(at, "external_id")
	if a.RoleARN, attr = d.str(at, "role_arn"); attr != nil && a.RoleARN != "" {
		m := roleARNRe.FindStringSubmatch(a.RoleARN)
		switch {
		case m == nil:
			d.errorf(attr.Expr.Range().Ptr(), "Invalid role ARN",
				"%q is not an IAM role ARN: write it like \"arn:aws:iam::%s:role/lakesync-admin\".", a.RoleARN, orDigits(a.ID))
		case accountIDRe.MatchString(a.ID) && m[1] != a.ID:
			d.errorf(attr.Expr.Range().Ptr(), "Role in another account",
				"role_arn names a role in account %s, but this account block is %s. The role assumed for an account's admin work must live in that account.", m[1], a.ID)
		}
	}
	if a.ExternalID != "" && a.RoleARN == "" {
		d.errorf(at["external_id"].Expr.Range().Ptr(), "external_id without role_arn",
			"external_id is passed when assuming role_arn; set role_arn too, or remove external_id.")
	}
	if a.EndpointURL, attr = d.str(at, "endpoint_url"); attr != nil && a.EndpointURL != "" {
		u, err := url.Parse(a.EndpointURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			d.errorf(attr.Expr.Range().Ptr(), "Invalid endpoint URL",
				"%q is not an http(s) URL: write it like \"https://s3.eu-west-1.amazonaws.com\" or \"http://127.0.0.1:9000\".", a.EndpointURL)
		}
	}
	a.S3ForcePathStyle, _ = d.boolean(at, "s3_force_path_style")
	return a
}

func orDigits(id string) string {
	if accountIDRe.MatchString(id) {
		return id
	}
	return "111111111111"
}

var keySchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "account", Required: true},
		{Name: "arn"},
		{Name: "alias"},
		{Name: "policy"},
	},
}

func (d *decoder) decodeKey(b *hcl.Block) *Key {
	k := &Key{Name: b.Labels[0], DeclRange: b.DefRange}
	content, diags := b.Body.Content(keySchema)
	d.diags = append(d.diags, diags...)
	at := content.Attributes

	k.Account = ref(d, at, "account", "account", d.accounts)
	k.Policy = d.decodeOwnership(at, "key", "key policy")
	arn, arnAttr := d.str(at, "arn")
	alias, aliasAttr := d.str(at, "alias")
	switch {
	case arnAttr != nil && aliasAttr != nil:
		d.errorf(aliasAttr.Range.Ptr(), "Both arn and alias",
			"A key is named by exactly one of arn or alias; remove one of them.")
	case arnAttr == nil && aliasAttr == nil:
		d.errorf(b.DefRange.Ptr(), "Missing key identifier",
			"Name the key with arn = \"arn:aws:kms:REGION:ACCOUNT:key/ID\" or alias = \"alias/NAME\".")
	}
	if arnAttr != nil && arn != "" {
		k.ARN = arn
		d.checkKeyARN(k, arnAttr)
	}
	if aliasAttr != nil && alias != "" {
		k.Alias = alias
		switch {
		case strings.HasPrefix(alias, "alias/aws/"):
			d.errorf(aliasAttr.Expr.Range().Ptr(), "AWS-managed key",
				"%s is an AWS-managed key: its key policy cannot be changed, so no other account can use it. Create a customer-managed key and name it here.", alias)
		case !aliasRe.MatchString(alias):
			d.errorf(aliasAttr.Expr.Range().Ptr(), "Invalid key alias",
				"%q is not a KMS alias name: write it like \"alias/datalake\".", alias)
		}
	}
	return k
}

func (d *decoder) checkKeyARN(k *Key, attr *hcl.Attribute) {
	rng := attr.Expr.Range().Ptr()
	if strings.Contains(k.ARN, ":alias/") {
		d.errorf(rng, "Alias ARN given as key ARN",
			"arn must be a key ARN (…:key/ID). To name the key by alias, write alias = %q instead.", k.ARN[strings.Index(k.ARN, ":alias/")+1:])
		return
	}
	m := keyARNRe.FindStringSubmatch(k.ARN)
	if m == nil {
		d.errorf(rng, "Invalid key ARN",
			"%q is not a KMS key ARN: write it like \"arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab\".", k.ARN)
		return
	}
	// The key's region must be that of the buckets it encrypts, which
	// decodeBucket checks; it need not be its account's.
	k.Region = m[1]
	if a := k.Account; a != nil {
		if accountIDRe.MatchString(a.ID) && m[2] != a.ID {
			d.errorf(rng, "Key in another account",
				"The key ARN is in account %s, but the key block says account.%s (%s). Reference the account the key lives in.", m[2], a.Name, a.ID)
		}
	}
}
