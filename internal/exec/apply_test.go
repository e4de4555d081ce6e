package exec

import (
	"encoding/json"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/google/go-cmp/cmp"

	"github.com/lakesync/lakesync/internal/plan"
	"github.com/lakesync/lakesync/internal/testenv/moto"
)

func TestApplyRoundTrip(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	must(t, w.Lake.CreateBucket(ctx, "lake-raw"))
	keyARN, err := w.Lake.CreateKey(ctx, "alias/lake")
	must(t, err)
	_, err = w.Prod.CreateRole(ctx, "lakesync-copier", moto.TrustAccount(prodID))
	must(t, err)
	// An existing lifecycle rule of someone else must survive.
	_, err = w.Lake.S3().PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{
		Bucket: aws.String("lake-raw"),
		LifecycleConfiguration: &s3types.BucketLifecycleConfiguration{Rules: []s3types.LifecycleRule{{
			ID: aws.String("expire-tmp"), Status: s3types.ExpirationStatusEnabled,
			Filter:     &s3types.LifecycleRuleFilter{Prefix: aws.String("tmp/")},
			Expiration: &s3types.LifecycleExpiration{Days: aws.Int32(30)},
		}}},
	})
	must(t, err)

	b := w.Bucket(t, "lake-raw", w.LakeAcct)
	k := w.Key(t, "lake", "alias/lake", w.LakeAcct)
	r := w.Role(t, "lakesync-copier", w.ProdAcct)
	acc := NewAccounts(w.Cfg)

	bucketPolicy := []byte(`{"Version":"2012-10-17","Statement":[{"Sid":"LakesyncProdToLakeWrite","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/lakesync-copier"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::lake-raw/prod/*"}]}`)
	keyPolicy := []byte(`{"Version":"2012-10-17","Statement":[{"Sid":"Root","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"kms:*","Resource":"*"}]}`)
	rolePolicy := []byte(`{"Version":"2012-10-17","Statement":[{"Sid":"LakesyncProdToLakeRead","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::prod-data/exports/*"}]}`)

	must(t, PutBucketPolicy(ctx, acc, b, bucketPolicy))
	must(t, PutKeyPolicy(ctx, acc, k, keyPolicy))
	must(t, PutRolePolicy(ctx, acc, r, "lakesync", rolePolicy))
	must(t, PutBucketOwnershipEnforced(ctx, acc, b))
	must(t, PutBucketEncryptionKMS(ctx, acc, b, keyARN))
	must(t, PutAbortIncompleteRule(ctx, acc, b, AbortIncompleteRuleDays))
	must(t, PutAbortIncompleteRule(ctx, acc, b, AbortIncompleteRuleDays)) // idempotent: no second rule

	obs, err := Observe(ctx, w.Cfg, acc)
	must(t, err)
	ob := obs.Buckets["lake-raw"]
	var rules []s3types.LifecycleRule
	must(t, json.Unmarshal(ob.Lifecycle, &rules))
	var ids []string
	for _, r := range rules {
		ids = append(ids, aws.ToString(r.ID))
	}
	if d := cmp.Diff([]string{"expire-tmp", AbortIncompleteRuleID}, ids); d != "" {
		t.Errorf("lifecycle rule ids (-want +got):\n%s", d)
	}
	ob.Lifecycle = nil
	wantBucket := &plan.ObservedBucket{
		Exists: true, Region: "eu-west-1", Policy: bucketPolicy,
		ObjectOwnership:     "BucketOwnerEnforced",
		Encryption:          &plan.BucketEncryption{Algorithm: "aws:kms", KMSKeyID: keyARN, BucketKeyEnabled: true},
		AbortIncompleteDays: AbortIncompleteRuleDays,
	}
	if d := cmp.Diff(wantBucket, ob); d != "" {
		t.Errorf("bucket after apply (-want +got):\n%s", d)
	}
	if got := string(obs.Keys["lake"].Policy); got != string(keyPolicy) {
		t.Errorf("key policy after apply: %s", got)
	}
	if got := string(obs.Roles["lakesync-copier"].InlinePolicies["lakesync"]); got != string(rolePolicy) {
		t.Errorf("role policy after apply: %s", got)
	}

	// nil deletes.
	must(t, PutBucketPolicy(ctx, acc, b, nil))
	must(t, PutRolePolicy(ctx, acc, r, "lakesync", nil))
	must(t, PutRolePolicy(ctx, acc, r, "lakesync", nil)) // already gone: fine
	if err := PutKeyPolicy(ctx, acc, k, nil); err == nil {
		t.Error("PutKeyPolicy(nil) succeeded; a key policy cannot be deleted")
	}
	obs, err = Observe(ctx, w.Cfg, acc)
	must(t, err)
	if p := obs.Buckets["lake-raw"].Policy; p != nil {
		t.Errorf("bucket policy after delete: %s", p)
	}
	if n := len(obs.Roles["lakesync-copier"].InlinePolicies); n != 0 {
		t.Errorf("role has %d inline policies after delete", n)
	}
}
