package exec

import (
	"context"
	"net/url"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakesync/lakesync/internal/exec/awserr"
	"github.com/lakesync/lakesync/internal/plan"
)

// bucket reads one bucket's region, then its default encryption,
// versioning and Object Lock with a client of that region.
func (s *discoverySide) bucket(ctx context.Context, c *s3.Client, name string) (plan.EstateBucket, error) {
	b := plan.EstateBucket{Name: name}
	loc, err := c.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(name)})
	if err != nil {
		return b, awserr.New("s3:GetBucketLocation", name, s.acct, err)
	}
	switch b.Region = string(loc.LocationConstraint); b.Region {
	case "":
		b.Region = "us-east-1"
	case "EU":
		b.Region = "eu-west-1"
	}
	if b.Region != s.est.Region {
		c = s.s3In(b.Region)
	}
	enc, err := c.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: aws.String(name)})
	switch {
	case awserr.HasCode(err, "ServerSideEncryptionConfigurationNotFoundError"):
	case err != nil:
		return b, awserr.New("s3:GetBucketEncryption", name, s.acct, err)
	case enc.ServerSideEncryptionConfiguration != nil:
		for _, r := range enc.ServerSideEncryptionConfiguration.Rules {
			if d := r.ApplyServerSideEncryptionByDefault; d != nil {
				b.Encryption, b.KeyARN = string(d.SSEAlgorithm), aws.ToString(d.KMSMasterKeyID)
				break
			}
		}
	}
	ver, err := c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String(name)})
	if err != nil {
		return b, awserr.New("s3:GetBucketVersioning", name, s.acct, err)
	}
	b.Versioning = string(ver.Status)
	lock, err := c.GetObjectLockConfiguration(ctx, &s3.GetObjectLockConfigurationInput{Bucket: aws.String(name)})
	switch {
	case awserr.HasCode(err, "ObjectLockConfigurationNotFoundError"):
	case err != nil:
		return b, awserr.New("s3:GetObjectLockConfiguration", name, s.acct, err)
	case lock.ObjectLockConfiguration != nil:
		b.ObjectLock = lock.ObjectLockConfiguration.ObjectLockEnabled == "Enabled"
	}
	return b, nil
}

// keys are the customer-managed keys of the account's region that have an
// alias, and those the buckets' default encryption names (which may be
// elsewhere, or have none). AWS managed keys (alias/aws/...) are left out:
// their policies cannot be changed.
func (s *discoverySide) keys(ctx context.Context) ([]plan.EstateKey, error) {
	c := kms.NewFromConfig(s.cfg)
	aliases := map[string][]string{} // key id -> aliases
	var ids []string
	p := kms.NewListAliasesPaginator(c, &kms.ListAliasesInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, awserr.New("kms:ListAliases", "the keys of account "+s.est.ID+" in "+s.est.Region, s.acct, err)
		}
		for _, a := range page.Aliases {
			name, id := aws.ToString(a.AliasName), aws.ToString(a.TargetKeyId)
			if id == "" || strings.HasPrefix(name, "alias/aws/") {
				continue
			}
			if _, ok := aliases[id]; !ok {
				ids = append(ids, id)
			}
			aliases[id] = append(aliases[id], name)
		}
	}
	for _, b := range s.est.Buckets {
		if b.KeyARN != "" && !strings.HasPrefix(b.KeyARN, "alias/") {
			ids = append(ids, b.KeyARN)
		}
	}
	var out []plan.EstateKey
	for _, id := range ids {
		kc := c
		if region := arnRegion(id); region != "" && region != s.est.Region {
			kc = kms.NewFromConfig(s.cfg, func(o *kms.Options) { o.Region = region })
		}
		k, err := kc.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
		if err != nil {
			return nil, awserr.New("kms:DescribeKey", id, s.acct, err)
		}
		m := k.KeyMetadata
		if m.KeyManager != kmstypes.KeyManagerTypeCustomer || slices.ContainsFunc(out, func(e plan.EstateKey) bool { return e.ARN == aws.ToString(m.Arn) }) {
			continue
		}
		ek := plan.EstateKey{ARN: aws.ToString(m.Arn), ID: aws.ToString(m.KeyId), Region: arnRegion(aws.ToString(m.Arn)), Aliases: aliases[aws.ToString(m.KeyId)]}
		slices.Sort(ek.Aliases)
		out = append(out, ek)
	}
	slices.SortFunc(out, func(a, b plan.EstateKey) int { return strings.Compare(a.ARN, b.ARN) })
	return out, nil
}

// arnRegion is the region of an ARN, "" for anything else.
func arnRegion(arn string) string {
	parts := strings.SplitN(arn, ":", 5)
	if len(parts) < 5 || parts[0] != "arn" {
		return ""
	}
	return parts[3]
}

// roles are the candidate copier roles: a role whose name has one of
// plan.CopierRoleWords, or whose trust policy names the other account's id (a
// mention, not an evaluation: the user confirms). Service-linked roles
// (path /aws-service-role/) are never candidates.
func (s *discoverySide) roles(ctx context.Context, otherID string) ([]plan.EstateRole, error) {
	var out []plan.EstateRole
	p := iam.NewListRolesPaginator(iam.NewFromConfig(s.cfg), &iam.ListRolesInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, awserr.New("iam:ListRoles", "the roles of account "+s.est.ID, s.acct, err)
		}
		for _, r := range page.Roles {
			if strings.HasPrefix(aws.ToString(r.Path), "/aws-service-role/") {
				continue
			}
			name, reason := aws.ToString(r.RoleName), ""
			for _, w := range plan.CopierRoleWords {
				if strings.Contains(strings.ToLower(name), w) {
					reason = "its name has \"" + w + "\""
					break
				}
			}
			trust := aws.ToString(r.AssumeRolePolicyDocument)
			if t, err := url.QueryUnescape(trust); err == nil {
				trust = t
			}
			if reason == "" && otherID != "" && otherID != s.est.ID && strings.Contains(trust, otherID) {
				reason = "its trust policy names account " + otherID
			}
			if reason != "" {
				out = append(out, plan.EstateRole{Name: name, ARN: aws.ToString(r.Arn), Reason: reason})
			}
		}
	}
	slices.SortFunc(out, func(a, b plan.EstateRole) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}
