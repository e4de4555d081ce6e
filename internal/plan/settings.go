package plan

import (
	"fmt"
	"strings"
)

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
		own.Setting, own.Before, own.After = SettingObjectOwnership, orNone(ob.ObjectOwnership), "BucketOwnerEnforced"
		own.Reason = "objects written by the copier's account must belong to the bucket owner; ACLs are disabled"
		out = append(out, settle(&own))

		keyARN := c.keyARN[b.Key.Name]
		enc := base
		enc.Setting, enc.KeyARN = SettingDefaultEncryption, keyARN
		enc.Before, enc.After = describeEncryption(ob.Encryption), fmt.Sprintf("aws:kms %s, bucket key enabled", keyARN)
		enc.Reason = "objects written without explicit encryption headers are encrypted with the customer-managed key; the bucket key cuts KMS requests"
		if encryptionMatches(ob.Encryption, keyARN) {
			enc.After = enc.Before
		}
		out = append(out, settle(&enc))

		abort := base
		abort.Setting = SettingAbortIncomplete
		abort.Before, abort.After = "none", fmt.Sprintf("abort after %d days", AbortIncompleteDays)
		if ob.AbortIncompleteDays > 0 {
			abort.Before = fmt.Sprintf("abort after %d days", ob.AbortIncompleteDays)
			abort.After = abort.Before
		}
		abort.Reason = "parts of an interrupted multipart copy are removed instead of billed forever"
		out = append(out, settle(&abort))
	}
	return out, nil
}

func settle(s *SettingChange) *SettingChange {
	switch {
	case s.Before == s.After:
		s.Action = ActionNoOp
	case s.Before == "none":
		s.Action = ActionCreate
	default:
		s.Action = ActionUpdate
	}
	return s
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func describeEncryption(e *BucketEncryption) string {
	if e == nil || e.Algorithm == "" {
		return "none"
	}
	s := e.Algorithm
	if e.KMSKeyID != "" {
		s += " " + e.KMSKeyID
	}
	if e.BucketKeyEnabled {
		s += ", bucket key enabled"
	}
	return s
}

// encryptionMatches reports whether the default encryption already uses
// the key (named by ARN or by bare key id) with a bucket key.
func encryptionMatches(e *BucketEncryption, keyARN string) bool {
	if e == nil || e.Algorithm != "aws:kms" || !e.BucketKeyEnabled || keyARN == "" {
		return false
	}
	return e.KMSKeyID == keyARN || strings.HasSuffix(keyARN, ":key/"+e.KMSKeyID)
}
