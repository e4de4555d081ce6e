package plan

import "strings"

// AbortIncompleteDays is the age after which the lifecycle rule lakesync
// adds to destination buckets aborts incomplete multipart uploads, so an
// interrupted copy never leaves billed parts behind.
const AbortIncompleteDays = 7

// settings lists the bucket settings every destination bucket needs.
func (c *computer) settings() ([]*SettingChange, error) {
	var out []*SettingChange
	seen := map[string]bool{}
	for _, j := range c.cfg.Jobs {
		b := j.Destination
		if seen[b.Name] {
			continue
		}
		seen[b.Name] = true
		ob := c.obs.Buckets[b.Name]
		if ob == nil || !ob.Exists {
			continue // reported with the documents
		}
		base := SettingChange{Address: BucketRef(b), AccountName: b.Account.Name, AccountID: b.Account.ID, Bucket: b.BucketName}

		own := base
		own.Setting = SettingObjectOwnership
		own.Before, own.After = SettingValue{ObjectOwnership: ob.ObjectOwnership}, SettingValue{ObjectOwnership: OwnershipEnforced}
		own.Reason = "objects written by the copier's account must belong to the bucket owner; ACLs are disabled"
		out = append(out, settle(&own))

		keyARN := c.keyARN[b.Key.Name]
		enc := base
		enc.Setting, enc.KeyARN = SettingDefaultEncryption, keyARN
		enc.Before = observedEncryption(ob.Encryption)
		enc.After = SettingValue{Encryption: &BucketEncryption{Algorithm: "aws:kms", KMSKeyID: keyARN, BucketKeyEnabled: true}}
		enc.Reason = "objects written without explicit encryption headers are encrypted with the customer-managed key; the bucket key cuts KMS requests"
		if encryptionMatches(ob.Encryption, keyARN) {
			enc.After = enc.Before
		}
		out = append(out, settle(&enc))

		abort := base
		abort.Setting = SettingAbortIncomplete
		abort.After = SettingValue{AbortIncompleteDays: AbortIncompleteDays}
		if ob.AbortIncompleteDays > 0 {
			abort.Before = SettingValue{AbortIncompleteDays: ob.AbortIncompleteDays}
			abort.After = abort.Before
		}
		abort.Reason = "parts of an interrupted multipart copy are removed instead of billed forever"
		out = append(out, settle(&abort))
	}
	return out, nil
}

func settle(s *SettingChange) *SettingChange {
	s.Action = settingAction(s.Before, s.After)
	return s
}

// observedEncryption is the default encryption as read; a rule without an
// algorithm is no default encryption.
func observedEncryption(e *BucketEncryption) SettingValue {
	if e == nil || e.Algorithm == "" {
		return SettingValue{}
	}
	cp := *e
	return SettingValue{Encryption: &cp}
}

// encryptionMatches reports whether the default encryption already uses
// the key (named by ARN or by bare key id) with a bucket key.
func encryptionMatches(e *BucketEncryption, keyARN string) bool {
	if e == nil || e.Algorithm != "aws:kms" || !e.BucketKeyEnabled || keyARN == "" {
		return false
	}
	return e.KMSKeyID == keyARN || strings.HasSuffix(keyARN, ":key/"+e.KMSKeyID)
}
