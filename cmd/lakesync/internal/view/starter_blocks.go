package view

import (
	"slices"
	"strings"

	"github.com/lakesync/lakesync/internal/plan"
)

func (r *starter) bucket(a *plan.EstateAccount, acct, name string, dest bool) {
	i := slices.IndexFunc(a.Buckets, func(b plan.EstateBucket) bool { return b.Name == name })
	if i < 0 {
		return
	}
	b := a.Buckets[i]
	var keyLabel string
	own := a.Key(b.KeyARN)
	if b.KeyARN != "" && own != nil {
		keyLabel = r.key(a, acct, own)
	} else if dest {
		keyLabel = r.destinationKey(a, acct)
	}
	label := r.label("bucket", name)
	r.buckets[name] = label
	r.p("# s3://%s in %s: %s; versioning %s; Object Lock %s.", b.Name, b.Region, encryption(b), orNone(b.Versioning, "never enabled"), onOff(b.ObjectLock))
	if dest && (b.KeyARN == "" || own == nil) {
		r.p("# TODO: its default encryption names no customer-managed key of the account; lakesync")
		r.p("# encrypts what it writes with key.%s. Confirm, or name another.", keyLabel)
	}
	if b.ObjectLock && dest {
		r.p("# TODO: Object Lock is on: every object lakesync writes here gets the bucket's default retention.")
	}
	if !dest && b.Encryption == "aws:kms" && b.KeyARN == "" {
		r.p("# TODO: objects encrypted with the AWS managed key aws/s3 cannot be read from another account.")
	}
	r.p("bucket %q {", label)
	r.p("account = account.%s", acct)
	r.p("name = %q", b.Name)
	if keyLabel != "" {
		r.p("key = key.%s", keyLabel)
	}
	if b.Region != a.Region {
		r.p("region = %q", b.Region)
	}
	r.p("}")
	r.p("")
}

// destinationKey is the key of a destination bucket whose default
// encryption names no customer-managed key of its account: every object
// lakesync writes is encrypted with one, so init proposes the account's
// first, or a placeholder alias to create.
func (r *starter) destinationKey(a *plan.EstateAccount, acct string) string {
	if len(a.Keys) > 0 {
		return r.key(a, acct, &a.Keys[0])
	}
	if l, ok := r.keys[placeholderKey]; ok {
		return l
	}
	label := r.label("key", "lakesync")
	r.keys[placeholderKey] = label
	r.p("# TODO: account %s has no customer-managed KMS key, and lakesync encrypts what it", a.ID)
	r.p("# writes with one: create it (aws kms create-key; aws kms create-alias) and name it here.")
	r.p("key %q {", label)
	r.p("account = account.%s", acct)
	r.p("alias = %q", "alias/lakesync")
	r.p("}")
	r.p("")
	return label
}

// placeholderKey stands for the key to create in r.keys.
const placeholderKey = "placeholder"

// key declares key k once and returns its label.
func (r *starter) key(a *plan.EstateAccount, acct string, k *plan.EstateKey) string {
	if l, ok := r.keys[k.ARN]; ok {
		return l
	}
	name := "key_" + k.ID
	if len(k.ID) > 8 {
		name = "key_" + k.ID[:8]
	}
	if len(k.Aliases) > 0 {
		name = strings.TrimPrefix(k.Aliases[0], "alias/")
	}
	label := r.label("key", name)
	r.keys[k.ARN] = label
	r.p("# Customer-managed key %s%s.", k.ARN, aliasList(k.Aliases))
	r.p("key %q {", label)
	r.p("account = account.%s", acct)
	if len(k.Aliases) > 0 && k.Region == a.Region {
		r.p("alias = %q", k.Aliases[0])
	} else {
		r.p("arn = %q", k.ARN)
	}
	r.p("}")
	r.p("")
	return label
}

// others lists what the account has that no job uses.
func (r *starter) others(a *plan.EstateAccount, pairs []plan.EstatePair, dest bool) {
	paired := pairedBuckets(pairs, dest)
	var buckets, keys []string
	for _, b := range a.Buckets {
		if !slices.Contains(paired, b.Name) {
			buckets = append(buckets, b.Name)
		}
	}
	for _, k := range a.Keys {
		if _, ok := r.keys[k.ARN]; !ok {
			keys = append(keys, k.ARN+aliasList(k.Aliases))
		}
	}
	if len(buckets) > 0 {
		r.p("# Other buckets of account %s, in no job: %s.", a.ID, strings.Join(buckets, ", "))
		r.p("# TODO: to copy one, add a bucket block and a sync block for it.")
		r.p("")
	}
	if len(keys) > 0 {
		r.p("# Other customer-managed keys of account %s: %s.", a.ID, strings.Join(keys, "; "))
		r.p("")
	}
}
