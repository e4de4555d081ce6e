package plan

import (
	"encoding/json"
	"fmt"
	"strings"
)

// OwnershipEnforced is the Object Ownership lakesync sets on destination
// buckets: objects belong to the bucket owner and ACLs are disabled.
const OwnershipEnforced = "BucketOwnerEnforced"

// SettingValue is what one bucket setting is, before or after the change.
// Only the field of its setting is set; the zero value is a setting that
// is not there. Actions are decided on these values, never on their text.
type SettingValue struct {
	// ObjectOwnership is the bucket's Object Ownership
	// (SettingObjectOwnership): "BucketOwnerEnforced", "ObjectWriter", ...
	ObjectOwnership string
	// Encryption is the default encryption (SettingDefaultEncryption).
	Encryption *BucketEncryption
	// AbortIncompleteDays is the age in days at which the lifecycle rule
	// aborts incomplete multipart uploads (SettingAbortIncomplete).
	AbortIncompleteDays int32
}

// IsZero reports whether the setting is not there.
func (v SettingValue) IsZero() bool {
	return v.ObjectOwnership == "" && v.Encryption == nil && v.AbortIncompleteDays == 0
}

// Equal reports whether v and o are the same setting value.
func (v SettingValue) Equal(o SettingValue) bool {
	if (v.Encryption == nil) != (o.Encryption == nil) || v.Encryption != nil && *v.Encryption != *o.Encryption {
		return false
	}
	return v.ObjectOwnership == o.ObjectOwnership && v.AbortIncompleteDays == o.AbortIncompleteDays
}

// settingAction is what apply does to a setting that is before and must
// be after.
func settingAction(before, after SettingValue) string {
	switch {
	case before.Equal(after):
		return ActionNoOp
	case before.IsZero():
		return ActionCreate
	default:
		return ActionUpdate
	}
}

// String is the value's text in the plan's JSON (format 1.1) and views:
// "none", "BucketOwnerEnforced", "aws:kms <key>, bucket key enabled",
// "abort after 7 days". Changing it changes the plan format.
func (v SettingValue) String() string {
	switch {
	case v.ObjectOwnership != "":
		return v.ObjectOwnership
	case v.Encryption != nil:
		s := v.Encryption.Algorithm
		if v.Encryption.KMSKeyID != "" {
			s += " " + v.Encryption.KMSKeyID
		}
		if v.Encryption.BucketKeyEnabled {
			s += ", bucket key enabled"
		}
		return s
	case v.AbortIncompleteDays != 0:
		return fmt.Sprintf("abort after %d days", v.AbortIncompleteDays)
	}
	return "none"
}

// MarshalText writes v as String does.
func (v SettingValue) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// parseSettingValue reads the text String writes for a value of setting,
// as saved plan files hold it.
func parseSettingValue(setting, text string) (SettingValue, error) {
	var v SettingValue
	switch {
	case setting != SettingObjectOwnership && setting != SettingDefaultEncryption && setting != SettingAbortIncomplete:
		return v, fmt.Errorf("unknown bucket setting %q", setting)
	case text == "none":
		return v, nil
	}
	switch setting {
	case SettingObjectOwnership:
		if text != "" && !strings.ContainsAny(text, " ,") {
			v.ObjectOwnership = text
			return v, nil
		}
	case SettingDefaultEncryption:
		rest, bucketKey := strings.CutSuffix(text, ", bucket key enabled")
		alg, key, _ := strings.Cut(rest, " ")
		if alg != "" && !strings.ContainsAny(key, " ,") {
			v.Encryption = &BucketEncryption{Algorithm: alg, KMSKeyID: key, BucketKeyEnabled: bucketKey}
			return v, nil
		}
	case SettingAbortIncomplete:
		if _, err := fmt.Sscanf(text, "abort after %d days", &v.AbortIncompleteDays); err == nil && v.AbortIncompleteDays > 0 && v.String() == text {
			return v, nil
		}
	}
	return SettingValue{}, fmt.Errorf("%s %q is not a value lakesync writes (for example %q)", setting, text, example(setting))
}

func example(setting string) string {
	switch setting {
	case SettingObjectOwnership:
		return OwnershipEnforced
	case SettingDefaultEncryption:
		return "aws:kms arn:aws:kms:eu-west-1:222222222222:key/..., bucket key enabled"
	}
	return SettingValue{AbortIncompleteDays: AbortIncompleteDays}.String()
}

// UnmarshalJSON reads a setting change as plan --out saves it: its before
// and after are the text String writes, read for the change's setting.
func (s *SettingChange) UnmarshalJSON(data []byte) error {
	type plain SettingChange // without this method
	var in struct {
		*plain
		Before string `json:"before"` // shallower: decoded here, not into plain
		After  string `json:"after"`
	}
	in.plain = (*plain)(s)
	if err := json.Unmarshal(data, &in); err != nil {
		return err
	}
	var err error
	if s.Before, err = parseSettingValue(s.Setting, in.Before); err != nil {
		return fmt.Errorf("%s before: %w", s.Address, err)
	}
	if s.After, err = parseSettingValue(s.Setting, in.After); err != nil {
		return fmt.Errorf("%s after: %w", s.Address, err)
	}
	return nil
}
