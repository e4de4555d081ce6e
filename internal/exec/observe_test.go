package exec

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/google/go-cmp/cmp"

	"github.com/lakesync/lakesync/internal/plan"
	"github.com/lakesync/lakesync/internal/testenv/moto"
)

const prodPolicy = `{"Version":"2012-10-17","Statement":[{"Sid":"Others","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::prod-data/*"}]}`

// moto validates IAM documents (an empty Statement list is refused).
const lakesyncRolePolicy = `{"Version":"2012-10-17","Statement":[{"Sid":"LakesyncJob","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::prod-data"}]}`

// A role policy with characters IAM URL-encodes: spaces, "+", "%", "/".
const rolePolicy = `{"Version": "2012-10-17", "Statement": [{"Sid": "A+B 100%", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::prod-data/a b+c/*"}]}`

func TestObserve(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	// prod: a bucket with a policy and settings, a key by alias, a role.
	must(t, w.Prod.CreateBucket(ctx, "prod-data"))
	must(t, w.Prod.PutBucketPolicy(ctx, "prod-data", prodPolicy))
	prodKey, err := w.Prod.CreateKey(ctx, "alias/prod")
	must(t, err)
	_, err = w.Prod.S3().PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{
		Bucket: aws.String("prod-data"),
		OwnershipControls: &s3types.OwnershipControls{Rules: []s3types.OwnershipControlsRule{
			{ObjectOwnership: s3types.ObjectOwnershipBucketOwnerPreferred}}},
	})
	must(t, err)
	_, err = w.Prod.S3().PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{
		Bucket: aws.String("prod-data"),
		LifecycleConfiguration: &s3types.BucketLifecycleConfiguration{Rules: []s3types.LifecycleRule{
			{ID: aws.String("tmp-only"), Status: s3types.ExpirationStatusEnabled,
				Filter:                         &s3types.LifecycleRuleFilter{Prefix: aws.String("tmp/")},
				AbortIncompleteMultipartUpload: &s3types.AbortIncompleteMultipartUpload{DaysAfterInitiation: aws.Int32(1)}},
			{ID: aws.String("all"), Status: s3types.ExpirationStatusEnabled,
				Filter:                         &s3types.LifecycleRuleFilter{Prefix: aws.String("")},
				AbortIncompleteMultipartUpload: &s3types.AbortIncompleteMultipartUpload{DaysAfterInitiation: aws.Int32(3)}},
		}},
	})
	must(t, err)
	_, err = w.Prod.CreateRole(ctx, "lakesync-copier", moto.TrustAccount(prodID))
	must(t, err)
	must(t, w.Prod.PutRolePolicy(ctx, "lakesync-copier", "theirs", rolePolicy))
	must(t, w.Prod.PutRolePolicy(ctx, "lakesync-copier", "lakesync", lakesyncRolePolicy))

	// lake: a bucket with no policy, one with a policy that is not JSON,
	// one with SSE-KMS default encryption; a key by ARN.
	must(t, w.Lake.CreateBucket(ctx, "lake-raw"))
	must(t, w.Lake.CreateBucket(ctx, "lake-bad"))
	must(t, w.Lake.PutBucketPolicy(ctx, "lake-bad", `{"Statement": [ oops`))
	must(t, w.Lake.CreateBucket(ctx, "lake-enc"))
	lakeKey, err := w.Lake.CreateKey(ctx, "")
	must(t, err)
	_, err = w.Lake.S3().PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{
		Bucket: aws.String("lake-enc"),
		ServerSideEncryptionConfiguration: &s3types.ServerSideEncryptionConfiguration{Rules: []s3types.ServerSideEncryptionRule{{
			ApplyServerSideEncryptionByDefault: &s3types.ServerSideEncryptionByDefault{
				SSEAlgorithm: s3types.ServerSideEncryptionAwsKms, KMSMasterKeyID: aws.String(lakeKey)},
			BucketKeyEnabled: aws.Bool(true)}}},
	})
	must(t, err)

	// lake-raw is versioned; lake-locked has Object Lock with a default
	// retention (and so versioning).
	_, err = w.Lake.S3().PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("lake-raw"),
		VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}})
	must(t, err)
	_, err = w.Lake.S3().CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("lake-locked"), ObjectLockEnabledForBucket: aws.Bool(true),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraintEuWest1}})
	must(t, err)
	_, err = w.Lake.S3().PutObjectLockConfiguration(ctx, &s3.PutObjectLockConfigurationInput{Bucket: aws.String("lake-locked"),
		ObjectLockConfiguration: &s3types.ObjectLockConfiguration{ObjectLockEnabled: s3types.ObjectLockEnabledEnabled,
			Rule: &s3types.ObjectLockRule{DefaultRetention: &s3types.DefaultRetention{Mode: s3types.ObjectLockRetentionModeGovernance, Days: aws.Int32(30)}}}})
	must(t, err)
	w.Bucket(t, "lake-locked", w.LakeAcct)

	w.Bucket(t, "prod-data", w.ProdAcct)
	w.Bucket(t, "lake-raw", w.LakeAcct)
	w.Bucket(t, "lake-bad", w.LakeAcct)
	w.Bucket(t, "lake-enc", w.LakeAcct)
	w.Bucket(t, "lake-missing", w.LakeAcct)
	w.Key(t, "prod", "alias/prod", w.ProdAcct)
	w.Key(t, "lake", lakeKey, w.LakeAcct)
	w.Key(t, "gone", "alias/nosuch", w.LakeAcct)
	w.Role(t, "lakesync-copier", w.ProdAcct)
	w.Role(t, "nosuch", w.LakeAcct)

	obs, err := Observe(ctx, w.Cfg, NewAccounts(w.Cfg))
	must(t, err)

	// Lifecycle is checked apart: it is the SDK's JSON.
	var rules []s3types.LifecycleRule
	must(t, json.Unmarshal(obs.Buckets["prod-data"].Lifecycle, &rules))
	if len(rules) != 2 || aws.ToString(rules[0].ID) != "tmp-only" || aws.ToString(rules[1].ID) != "all" {
		t.Errorf("lifecycle rules read back as %s", obs.Buckets["prod-data"].Lifecycle)
	}
	obs.Buckets["prod-data"].Lifecycle = nil
	// Key policies are moto's default: check they are JSON naming the account.
	for name, id := range map[string]string{"prod": prodID, "lake": lakeID} {
		k := obs.Keys[name]
		if k == nil || !json.Valid(k.Policy) || !strings.Contains(string(k.Policy), "arn:aws:iam::"+id+":root") {
			t.Errorf("key %s policy: %+v", name, k)
			continue
		}
		k.Policy = nil
	}

	want := &plan.Observed{
		Buckets: map[string]*plan.ObservedBucket{
			"prod-data": {Exists: true, Region: "eu-west-1", Policy: []byte(prodPolicy),
				ObjectOwnership: "BucketOwnerPreferred", AbortIncompleteDays: 3},
			"lake-raw": {Exists: true, Region: "eu-west-1", Versioning: "Enabled"},
			"lake-locked": {Exists: true, Region: "eu-west-1", Versioning: "Enabled",
				ObjectLock: &plan.BucketObjectLock{Mode: "GOVERNANCE", Days: 30}},
			"lake-bad": {Exists: true, Region: "eu-west-1", Policy: []byte(`{"Statement": [ oops`)},
			"lake-enc": {Exists: true, Region: "eu-west-1", Encryption: &plan.BucketEncryption{
				Algorithm: "aws:kms", KMSKeyID: lakeKey, BucketKeyEnabled: true}},
			"lake-missing": {Exists: false},
		},
		Keys: map[string]*plan.ObservedKey{
			"prod": {Exists: true, ARN: prodKey, KeyManager: "CUSTOMER", KeyState: "Enabled",
				KeySpec: "SYMMETRIC_DEFAULT", KeyUsage: "ENCRYPT_DECRYPT"},
			"lake": {Exists: true, ARN: lakeKey, KeyManager: "CUSTOMER", KeyState: "Enabled",
				KeySpec: "SYMMETRIC_DEFAULT", KeyUsage: "ENCRYPT_DECRYPT"},
			"gone": {Exists: false},
		},
		Roles: map[string]*plan.ObservedRole{
			"lakesync-copier": {Exists: true, ARN: "arn:aws:iam::111111111111:role/lakesync-copier",
				InlinePolicies: map[string][]byte{
					"theirs":   []byte(rolePolicy),
					"lakesync": []byte(lakesyncRolePolicy),
				}},
			"nosuch": {Exists: false},
		},
	}
	if d := cmp.Diff(want, obs); d != "" {
		t.Errorf("Observe (-want +got):\n%s", d)
	}
}

func TestObserveUnreachableAccount(t *testing.T) {
	w := newWorld(t)
	w.LakeAcct.Profile = "nosuch"
	w.Bucket(t, "lake-raw", w.LakeAcct)
	_, err := Observe(t.Context(), w.Cfg, NewAccounts(w.Cfg))
	if err == nil || !strings.Contains(err.Error(), `account "lake"`) {
		t.Fatalf("Observe with an unreachable account: got %v, want an error naming it", err)
	}
}

func TestObserveDecodesPolicyDocument(t *testing.T) {
	for in, want := range map[string]string{
		"%7B%22a%22%3A%22b+c%20d%22%7D": `{"a":"b+c d"}`,  // "+" stays a plus
		`{"raw":"100%"}`:                `{"raw":"100%"}`, // not encoded: kept
	} {
		if got := decodePolicyDocument(in); got != want {
			t.Errorf("decodePolicyDocument(%q) = %q, want %q", in, got, want)
		}
	}
}
