package plan

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// settingRow is what the plan says of one setting.
type settingRow struct{ Before, After, Action string }

// TestSettings: every destination bucket gets BucketOwnerEnforced, default
// encryption with the job's key and a bucket key, and a rule aborting
// incomplete multipart uploads. A setting already as wanted is a no-op;
// S3 reports the default encryption's key as it was configured, by ARN
// or by bare key id, and either names the key.
func TestSettings(t *testing.T) {
	const keyID = "1111aaaa-22bb-33cc-44dd-555555eeeeee" // of testKeyARN
	want := "aws:kms " + testKeyARN + ", bucket key enabled"
	tests := []struct {
		name                     string
		lake                     ObservedBucket
		ownership, enc, abortion settingRow
	}{
		{"nothing set", ObservedBucket{},
			settingRow{"none", "BucketOwnerEnforced", ActionCreate},
			settingRow{"none", want, ActionCreate},
			settingRow{"none", "abort after 7 days", ActionCreate}},
		{"all as wanted, key by ARN", ObservedBucket{ObjectOwnership: "BucketOwnerEnforced",
			Encryption: &BucketEncryption{Algorithm: "aws:kms", KMSKeyID: testKeyARN, BucketKeyEnabled: true}, AbortIncompleteDays: 7},
			settingRow{"BucketOwnerEnforced", "BucketOwnerEnforced", ActionNoOp},
			settingRow{want, want, ActionNoOp},
			settingRow{"abort after 7 days", "abort after 7 days", ActionNoOp}},
		{"key by bare id, another abort age kept", ObservedBucket{ObjectOwnership: "BucketOwnerEnforced",
			Encryption: &BucketEncryption{Algorithm: "aws:kms", KMSKeyID: keyID, BucketKeyEnabled: true}, AbortIncompleteDays: 3},
			settingRow{"BucketOwnerEnforced", "BucketOwnerEnforced", ActionNoOp},
			settingRow{"aws:kms " + keyID + ", bucket key enabled", "aws:kms " + keyID + ", bucket key enabled", ActionNoOp},
			settingRow{"abort after 3 days", "abort after 3 days", ActionNoOp}},
		{"ACLs on, SSE-S3", ObservedBucket{ObjectOwnership: "ObjectWriter", Encryption: &BucketEncryption{Algorithm: "AES256"}},
			settingRow{"ObjectWriter", "BucketOwnerEnforced", ActionUpdate},
			settingRow{"AES256", want, ActionUpdate},
			settingRow{"none", "abort after 7 days", ActionCreate}},
		{"the key without a bucket key", ObservedBucket{ObjectOwnership: "BucketOwnerPreferred",
			Encryption: &BucketEncryption{Algorithm: "aws:kms", KMSKeyID: testKeyARN}},
			settingRow{"BucketOwnerPreferred", "BucketOwnerEnforced", ActionUpdate},
			settingRow{"aws:kms " + testKeyARN, want, ActionUpdate},
			settingRow{"none", "abort after 7 days", ActionCreate}},
		{"another key", ObservedBucket{Encryption: &BucketEncryption{Algorithm: "aws:kms", KMSKeyID: "arn:aws:kms:eu-west-1:222222222222:key/9999", BucketKeyEnabled: true}},
			settingRow{"none", "BucketOwnerEnforced", ActionCreate},
			settingRow{"aws:kms arn:aws:kms:eu-west-1:222222222222:key/9999, bucket key enabled", want, ActionUpdate},
			settingRow{"none", "abort after 7 days", ActionCreate}},
		{"a key id that only ends like the key's", ObservedBucket{Encryption: &BucketEncryption{Algorithm: "aws:kms", KMSKeyID: "555555eeeeee", BucketKeyEnabled: true}},
			settingRow{"none", "BucketOwnerEnforced", ActionCreate},
			settingRow{"aws:kms 555555eeeeee, bucket key enabled", want, ActionUpdate},
			settingRow{"none", "abort after 7 days", ActionCreate}},
		{"DSSE-KMS with the key", ObservedBucket{Encryption: &BucketEncryption{Algorithm: "aws:kms:dsse", KMSKeyID: testKeyARN, BucketKeyEnabled: true}},
			settingRow{"none", "BucketOwnerEnforced", ActionCreate},
			settingRow{"aws:kms:dsse " + testKeyARN + ", bucket key enabled", want, ActionUpdate},
			settingRow{"none", "abort after 7 days", ActionCreate}},
		{"SSE-KMS with the default key", ObservedBucket{Encryption: &BucketEncryption{Algorithm: "aws:kms"}},
			settingRow{"none", "BucketOwnerEnforced", ActionCreate},
			settingRow{"aws:kms", want, ActionUpdate},
			settingRow{"none", "abort after 7 days", ActionCreate}},
		{"an empty rule", ObservedBucket{Encryption: &BucketEncryption{}},
			settingRow{"none", "BucketOwnerEnforced", ActionCreate},
			settingRow{"none", want, ActionCreate},
			settingRow{"none", "abort after 7 days", ActionCreate}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obs := emptyWorld()
			lake := tt.lake
			lake.Exists, lake.Region = true, "eu-west-1"
			obs.Buckets["lake"] = &lake
			p, err := Compute(pushConfig(t), obs)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]settingRow{}
			for _, s := range p.Settings {
				if s.Address.String() != "bucket.lake" || s.Bucket != "konfir-datalake-raw" || s.AccountID != "222222222222" || s.Reason == "" {
					t.Errorf("setting %s of %s (%s, account %s), reason %q", s.Setting, s.Address, s.Bucket, s.AccountID, s.Reason)
				}
				got[s.Setting] = settingRow{s.Before.String(), s.After.String(), s.Action}
				if s.Setting == SettingDefaultEncryption && s.KeyARN != testKeyARN {
					t.Errorf("default encryption with key %q, want %q", s.KeyARN, testKeyARN)
				}
			}
			wantRows := map[string]settingRow{SettingObjectOwnership: tt.ownership, SettingDefaultEncryption: tt.enc, SettingAbortIncomplete: tt.abortion}
			if diff := cmp.Diff(wantRows, got); diff != "" {
				t.Errorf("settings (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSettingsOncePerBucket: two jobs writing into one bucket set its
// settings once.
func TestSettingsOncePerBucket(t *testing.T) {
	cfg := pushConfig(t)
	second := *cfg.Jobs[0]
	second.Name, second.SourcePrefix, second.DestinationPrefix = "logs", "logs/", "logs/"
	cfg.Jobs = append(cfg.Jobs, &second)
	p, err := Compute(cfg, emptyWorld())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range p.Settings {
		got = append(got, s.Address.String()+" "+s.Setting)
	}
	want := []string{"bucket.lake " + SettingObjectOwnership, "bucket.lake " + SettingDefaultEncryption, "bucket.lake " + SettingAbortIncomplete}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("settings (-want +got):\n%s", diff)
	}
}
