package exec

import (
	"context"
	"net/url"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/awserr"
	"github.com/lakesync/lakesync/internal/plan"
)

// KeyPolicyName is the only key policy name KMS has.
const KeyPolicyName = "default"

func observeKey(ctx context.Context, acc *Accounts, k *config.Key) (*plan.ObservedKey, error) {
	c, err := acc.KMS(ctx, k)
	if err != nil {
		return nil, err
	}
	d, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(k.Ref())})
	if awserr.HasCode(err, "NotFoundException") {
		return &plan.ObservedKey{Exists: false}, nil
	}
	if err != nil {
		return nil, awserr.New("kms:DescribeKey", k.Ref(), k.Account, err)
	}
	m := d.KeyMetadata
	ok := &plan.ObservedKey{
		Exists:     true,
		ARN:        aws.ToString(m.Arn),
		KeyManager: string(m.KeyManager),
		KeyState:   string(m.KeyState),
		KeySpec:    string(m.KeySpec),
		KeyUsage:   string(m.KeyUsage),
	}
	pol, err := c.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: m.Arn, PolicyName: aws.String(KeyPolicyName)})
	if err != nil {
		return nil, awserr.New("kms:GetKeyPolicy", ok.ARN, k.Account, err)
	}
	ok.Policy = []byte(aws.ToString(pol.Policy))
	return ok, nil
}

func observeRole(ctx context.Context, acc *Accounts, r *config.Role) (*plan.ObservedRole, error) {
	c, err := acc.IAM(ctx, r.Account)
	if err != nil {
		return nil, err
	}
	name := aws.String(r.RoleName)
	role, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: name})
	if awserr.HasCode(err, "NoSuchEntity") {
		return &plan.ObservedRole{Exists: false}, nil
	}
	if err != nil {
		return nil, awserr.New("iam:GetRole", r.ARN(), r.Account, err)
	}
	or := &plan.ObservedRole{
		Exists:         true,
		ARN:            aws.ToString(role.Role.Arn),
		InlinePolicies: map[string][]byte{},
	}
	pages := iam.NewListRolePoliciesPaginator(c, &iam.ListRolePoliciesInput{RoleName: name})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, awserr.New("iam:ListRolePolicies", r.ARN(), r.Account, err)
		}
		for _, p := range page.PolicyNames {
			doc, err := c.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: name, PolicyName: aws.String(p)})
			if err != nil {
				return nil, awserr.New("iam:GetRolePolicy", r.ARN()+" inline policy "+p, r.Account, err)
			}
			or.InlinePolicies[p] = []byte(decodePolicyDocument(aws.ToString(doc.PolicyDocument)))
		}
	}
	if r.Policy.External() {
		if or.AttachedPolicies, err = attachedPolicies(ctx, c, r); err != nil {
			return nil, err
		}
	}
	return or, nil
}

// attachedPolicies reads the default version of every managed policy
// attached to r, by policy ARN: a role another tool owns gets its grants
// there as often as inline.
func attachedPolicies(ctx context.Context, c *iam.Client, r *config.Role) (map[string][]byte, error) {
	out := map[string][]byte{}
	pages := iam.NewListAttachedRolePoliciesPaginator(c, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String(r.RoleName)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, awserr.New("iam:ListAttachedRolePolicies", r.ARN(), r.Account, err)
		}
		for _, ap := range page.AttachedPolicies {
			arn := aws.ToString(ap.PolicyArn)
			pol, err := c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: ap.PolicyArn})
			if err != nil {
				return nil, awserr.New("iam:GetPolicy", arn+" (attached to "+r.ARN()+")", r.Account, err)
			}
			v, err := c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: ap.PolicyArn, VersionId: pol.Policy.DefaultVersionId})
			if err != nil {
				return nil, awserr.New("iam:GetPolicyVersion", arn+" (attached to "+r.ARN()+")", r.Account, err)
			}
			out[arn] = []byte(decodePolicyDocument(aws.ToString(v.PolicyVersion.Document)))
		}
	}
	return out, nil
}

// decodePolicyDocument undoes IAM's RFC 3986 URL encoding of policy
// documents. PathUnescape, not QueryUnescape: a "+" is a plus sign, not a
// space. A document that does not decode (a raw "%" from a server that
// did not encode it) is returned as is.
func decodePolicyDocument(s string) string {
	d, err := url.PathUnescape(s)
	if err != nil {
		return s
	}
	return d
}

// ResolveKeyARN is the ARN of key k: as configured, or resolved from its
// alias with the key account's credentials.
func ResolveKeyARN(ctx context.Context, acc *Accounts, k *config.Key) (string, error) {
	if k.ARN != "" {
		return k.ARN, nil
	}
	c, err := acc.KMS(ctx, k)
	if err != nil {
		return "", err
	}
	d, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(k.Alias)})
	if err != nil {
		return "", awserr.New("kms:DescribeKey", k.Alias, k.Account, err)
	}
	return aws.ToString(d.KeyMetadata.Arn), nil
}
