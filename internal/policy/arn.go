package policy

import "strings"

// arnParts is a split Amazon Resource Name.
type arnParts struct {
	Partition, Service, Region, Account, Resource string
}

// parseARN splits "arn:partition:service:region:account:resource".
func parseARN(s string) (arnParts, bool) {
	f := strings.SplitN(s, ":", 6)
	if len(f) != 6 || f[0] != "arn" {
		return arnParts{}, false
	}
	return arnParts{Partition: f[1], Service: f[2], Region: f[3], Account: f[4], Resource: f[5]}, true
}

// accountOf is the account id in an ARN, or "" if it has none.
func accountOf(arn string) string {
	p, ok := parseARN(arn)
	if !ok {
		return ""
	}
	return p.Account
}

// rootARN is the ARN that names a whole account as principal.
func rootARN(account string) string { return "arn:aws:iam::" + account + ":root" }

// isAccountID reports whether s is a 12-digit account id.
func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// isKeyARN reports whether s is the ARN of a KMS key (not an alias).
func isKeyARN(s string) bool {
	p, ok := parseARN(s)
	return ok && p.Service == "kms" && strings.HasPrefix(p.Resource, "key/") && len(p.Resource) > len("key/")
}

// bucketARN and objectsARN name a bucket and the objects under a prefix.
func bucketARN(bucket string) string { return "arn:aws:s3:::" + bucket }

func objectsARN(bucket, prefix string) string { return "arn:aws:s3:::" + bucket + "/" + prefix + "*" }
