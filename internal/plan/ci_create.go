package plan

import (
	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/policy"
)

// createStatements let account a's CI roles handle its buckets with
// create = true: both roles list the account's own buckets (a bucket is
// adopted only if the account owns it), and the applying role creates
// them with Block Public Access and versioning.
func createStatements(cfg *config.Config, a *config.Account, apply bool) []policy.Statement {
	var created []string
	for _, b := range cfg.Buckets {
		if b.Create && b.Account == a {
			created = append(created, b.ARN())
		}
	}
	if len(created) == 0 {
		return nil
	}
	out := []policy.Statement{{Sid: "CIListOwnBuckets", Effect: policy.Allow,
		Action: policy.Values{"s3:ListAllMyBuckets"}, Resource: policy.Values{"*"}}}
	if apply {
		out = append(out, policy.Statement{Sid: "CICreateBuckets", Effect: policy.Allow,
			Action:   policy.Values{"s3:CreateBucket", "s3:PutBucketPublicAccessBlock", "s3:PutBucketVersioning"},
			Resource: policy.Values(created)})
	}
	return out
}
