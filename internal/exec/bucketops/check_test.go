package bucketops

import (
	"bytes"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// A bucket with Object Lock is refused, naming the object under legal
// hold; its lock configuration is a leftover too. Replication rules are
// refused unless ignoreReplication; a plain bucket passes.
func TestCheckSource(t *testing.T) {
	old, _ := accounts(t)
	ctx := t.Context()
	c := old.S3()
	_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("locked"), ObjectLockEnabledForBucket: aws.Bool(true),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(old.Region)}})
	if err != nil {
		t.Fatal(err)
	}
	putMany(t, old, "locked", 2, 1)
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("locked"), Key: aws.String("evidence.pdf"),
		Body: bytes.NewReader([]byte("x")), ChecksumAlgorithm: s3types.ChecksumAlgorithmCrc32, ObjectLockLegalHoldStatus: s3types.ObjectLockLegalHoldStatusOn}); err != nil {
		t.Fatal(err)
	}
	refusals, err := CheckSource(ctx, target(old, "locked", nil), false)
	if err != nil {
		t.Fatal(err)
	}
	if len(refusals) != 1 || !strings.Contains(refusals[0].Error(), "bucket locked: Object Lock is enabled") ||
		!strings.Contains(refusals[0].Reason, "objects under legal hold: evidence.pdf)") || refusals[0].Fix == "" {
		t.Errorf("refusals %v, want Object Lock naming evidence.pdf", refusals)
	}
	settings, err := Leftovers(ctx, target(old, "locked", nil), nil)
	if err != nil || len(settings) != 1 || settings[0].Name != "object_lock" ||
		!strings.Contains(string(settings[0].JSON), `"ObjectLockEnabled": "Enabled"`) {
		t.Errorf("Leftovers of a locked bucket: %v, %v; want object_lock", settings, err)
	}

	versionedBucket(t, old, "replicated")
	if _, err := c.PutBucketReplication(ctx, &s3.PutBucketReplicationInput{Bucket: aws.String("replicated"),
		ReplicationConfiguration: &s3types.ReplicationConfiguration{Role: aws.String("arn:aws:iam::111111111111:role/r"),
			Rules: []s3types.ReplicationRule{{ID: aws.String("to-dr"), Status: s3types.ReplicationRuleStatusEnabled,
				Prefix: aws.String(""), Destination: &s3types.Destination{Bucket: aws.String("arn:aws:s3:::dr")}}}}}); err != nil {
		t.Fatal(err)
	}
	refusals, err = CheckSource(ctx, target(old, "replicated", nil), false)
	if err != nil || len(refusals) != 1 || !strings.Contains(refusals[0].Reason, `replication rules ("to-dr")`) ||
		!strings.Contains(refusals[0].Fix, "--ignore-replication") {
		t.Errorf("replicated bucket: %v, %v; want a refusal naming rule to-dr and --ignore-replication", refusals, err)
	}
	if refusals, err = CheckSource(ctx, target(old, "replicated", nil), true); err != nil || len(refusals) != 0 {
		t.Errorf("replicated bucket with ignoreReplication: %v, %v; want none", refusals, err)
	}
	if refusals, err = CheckSource(ctx, target(old, "src", nil), false); err == nil {
		t.Errorf("missing bucket: %v, want an error", refusals)
	}
	versionedBucket(t, old, "plain")
	if refusals, err = CheckSource(ctx, target(old, "plain", nil), false); err != nil || len(refusals) != 0 {
		t.Errorf("plain bucket: %v, %v; want none", refusals, err)
	}
}

// A free name passes, so does one the account holds itself (a resumed
// migration); one another account holds is refused.
//
// What moto does with two accounts and one name (moto 5, found here): it
// keeps one global namespace, as S3 does. CreateBucket of a name another
// account holds answers 409 BucketAlreadyExists, and of a name the same
// account holds 409 BucketAlreadyOwnedByYou; two accounts never hold the
// same name at once. But HeadBucket from the other account answers 200
// (moto checks no cross-account access, and ignores ExpectedBucketOwner),
// where S3 answers 403: so HeadBucket alone cannot tell "mine" from
// "theirs" on moto, and CheckNameFree asks the account's own ListBuckets,
// which lists only that account's buckets on both.
func TestCheckNameFree(t *testing.T) {
	old, neu := accounts(t)
	ctx := t.Context()
	if err := old.CreateBucket(ctx, "taken"); err != nil {
		t.Fatal(err)
	}
	if err := neu.CreateBucket(ctx, "taken"); err == nil || !strings.Contains(err.Error(), "BucketAlreadyExists") {
		t.Errorf("moto let a second account create the same name: %v", err)
	}
	if err := headBucket(ctx, neu, "taken"); err != nil {
		t.Logf("moto now answers HeadBucket across accounts with %v: update the comment above", err)
	}
	if err := neu.CreateBucket(ctx, "tmp-mine"); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		bucket string
		want   string
	}{
		{"free-name", ""},
		{"tmp-mine", ""},
		{"taken", "bucket taken: the name is held by another account; choose a name no one holds (temporary_bucket in the migration block)"},
	} {
		r, err := CheckNameFree(ctx, target(neu, tt.bucket, nil))
		if err != nil {
			t.Errorf("%s: %v", tt.bucket, err)
			continue
		}
		got := ""
		if r != nil {
			got = r.Error()
		}
		if got != tt.want {
			t.Errorf("%s: refusal %q, want %q", tt.bucket, got, tt.want)
		}
	}
}
