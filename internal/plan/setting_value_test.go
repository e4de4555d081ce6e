package plan

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSettingAction: a setting's action is decided on its typed values,
// whatever their text: a value whose text reads "none" is still a value,
// and the same encryption is a no-op however its key was written.
func TestSettingAction(t *testing.T) {
	kms := func(key string, bucketKey bool) SettingValue {
		return SettingValue{Encryption: &BucketEncryption{Algorithm: "aws:kms", KMSKeyID: key, BucketKeyEnabled: bucketKey}}
	}
	tests := []struct {
		name          string
		before, after SettingValue
		want          string
	}{
		{"absent", SettingValue{}, SettingValue{ObjectOwnership: OwnershipEnforced}, ActionCreate},
		{"other ownership", SettingValue{ObjectOwnership: "ObjectWriter"}, SettingValue{ObjectOwnership: OwnershipEnforced}, ActionUpdate},
		{"a value that reads none", SettingValue{ObjectOwnership: "none"}, SettingValue{ObjectOwnership: OwnershipEnforced}, ActionUpdate},
		{"same ownership", SettingValue{ObjectOwnership: OwnershipEnforced}, SettingValue{ObjectOwnership: OwnershipEnforced}, ActionNoOp},
		{"same encryption, other pointer", kms("k", true), kms("k", true), ActionNoOp},
		{"no bucket key", kms("k", false), kms("k", true), ActionUpdate},
		{"no encryption", SettingValue{}, kms("k", true), ActionCreate},
		{"no rule", SettingValue{}, SettingValue{AbortIncompleteDays: 7}, ActionCreate},
		{"another age", SettingValue{AbortIncompleteDays: 3}, SettingValue{AbortIncompleteDays: 7}, ActionUpdate},
		{"same age", SettingValue{AbortIncompleteDays: 7}, SettingValue{AbortIncompleteDays: 7}, ActionNoOp},
	}
	for _, tt := range tests {
		if got := settingAction(tt.before, tt.after); got != tt.want {
			t.Errorf("%s: settingAction(%v, %v) = %s, want %s", tt.name, tt.before, tt.after, got, tt.want)
		}
	}
}

// TestSettingChangeJSON: a setting change saved by plan --out before the
// values were typed reads back into typed values and is written again
// byte for byte.
func TestSettingChangeJSON(t *testing.T) {
	const key = "arn:aws:kms:eu-west-1:222222222222:key/1111aaaa-22bb-33cc-44dd-555555eeeeee"
	tests := []struct {
		saved         string
		before, after SettingValue
	}{
		{`{"address":"bucket.lake","account_name":"lake","account_id":"222222222222","bucket":"raw","setting":"object_ownership","action":"update","before":"ObjectWriter","after":"BucketOwnerEnforced","reason":"r"}`,
			SettingValue{ObjectOwnership: "ObjectWriter"}, SettingValue{ObjectOwnership: OwnershipEnforced}},
		{`{"address":"bucket.lake","account_name":"lake","account_id":"222222222222","bucket":"raw","setting":"default_encryption","action":"update","before":"AES256","after":"aws:kms ` + key + `, bucket key enabled","key_arn":"` + key + `","reason":"r"}`,
			SettingValue{Encryption: &BucketEncryption{Algorithm: "AES256"}}, SettingValue{Encryption: &BucketEncryption{Algorithm: "aws:kms", KMSKeyID: key, BucketKeyEnabled: true}}},
		{`{"address":"bucket.lake","account_name":"lake","account_id":"222222222222","bucket":"raw","setting":"default_encryption","action":"update","before":"aws:kms 9999","after":"aws:kms ` + key + `, bucket key enabled","key_arn":"` + key + `","reason":"r"}`,
			SettingValue{Encryption: &BucketEncryption{Algorithm: "aws:kms", KMSKeyID: "9999"}}, SettingValue{Encryption: &BucketEncryption{Algorithm: "aws:kms", KMSKeyID: key, BucketKeyEnabled: true}}},
		{`{"address":"bucket.lake","account_name":"lake","account_id":"222222222222","bucket":"raw","setting":"abort_incomplete_multipart_uploads","action":"create","before":"none","after":"abort after 7 days","reason":"r"}`,
			SettingValue{}, SettingValue{AbortIncompleteDays: 7}},
	}
	for _, tt := range tests {
		var s SettingChange
		if err := json.Unmarshal([]byte(tt.saved), &s); err != nil {
			t.Fatalf("%s: %v", tt.saved, err)
		}
		if diff := cmp.Diff([2]SettingValue{tt.before, tt.after}, [2]SettingValue{s.Before, s.After}); diff != "" {
			t.Errorf("%s: before, after (-want +got):\n%s", s.Setting, diff)
		}
		if s.Address != (Ref{Kind: KindBucket, Name: "lake"}) || s.Reason != "r" {
			t.Errorf("%s: address %v, reason %q", s.Setting, s.Address, s.Reason)
		}
		out, err := json.Marshal(&s)
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != tt.saved {
			t.Errorf("written again as\n%s\nwant\n%s", out, tt.saved)
		}
	}
}

// TestSettingChangeJSONRefused: a saved value lakesync cannot read is an
// error naming the setting, not a value that plans or writes something
// else.
func TestSettingChangeJSONRefused(t *testing.T) {
	for _, kv := range [][2]string{
		{SettingAbortIncomplete, "abort after seven days"},
		{SettingAbortIncomplete, "abort after 0 days"},
		{SettingAbortIncomplete, "abort after 7 days!"},
		{SettingObjectOwnership, ""},
		{SettingDefaultEncryption, ", bucket key enabled"},
		{"versioning", "none"},
	} {
		saved := `{"address":"bucket.lake","setting":"` + kv[0] + `","before":"none","after":"` + kv[1] + `"}`
		var s SettingChange
		if err := json.Unmarshal([]byte(saved), &s); err == nil {
			t.Errorf("%s read as %+v, want an error", saved, s)
		}
	}
}
