package bucketops

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/google/go-cmp/cmp"
)

const leftoverPolicy = `{"Version":"2012-10-17","Statement":[
 {"Sid":"LakesyncRead","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::src/*"},
 {"Sid":"Theirs","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::src/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`

// puts put a setting's document back on a bucket through the SDK's put
// input types: the document must unmarshal into them.
var puts = map[string]func(ctx context.Context, c *s3.Client, bucket string, doc []byte) error{
	"policy": func(ctx context.Context, c *s3.Client, b string, doc []byte) error {
		_, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: &b, Policy: aws.String(string(doc))})
		return err
	},
	"lifecycle": func(ctx context.Context, c *s3.Client, b string, doc []byte) error {
		var v s3types.BucketLifecycleConfiguration
		return put(doc, &v, func() error {
			_, err := c.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{Bucket: &b, LifecycleConfiguration: &v})
			return err
		})
	},
	"cors": func(ctx context.Context, c *s3.Client, b string, doc []byte) error {
		var v s3types.CORSConfiguration
		return put(doc, &v, func() error {
			_, err := c.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: &b, CORSConfiguration: &v})
			return err
		})
	},
	"tags": func(ctx context.Context, c *s3.Client, b string, doc []byte) error {
		var v s3types.Tagging
		return put(doc, &v, func() error {
			_, err := c.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: &b, Tagging: &v})
			return err
		})
	},
	"website": func(ctx context.Context, c *s3.Client, b string, doc []byte) error {
		var v s3types.WebsiteConfiguration
		return put(doc, &v, func() error {
			_, err := c.PutBucketWebsite(ctx, &s3.PutBucketWebsiteInput{Bucket: &b, WebsiteConfiguration: &v})
			return err
		})
	},
	"notifications": func(ctx context.Context, c *s3.Client, b string, doc []byte) error {
		var v s3types.NotificationConfiguration
		return put(doc, &v, func() error {
			_, err := c.PutBucketNotificationConfiguration(ctx, &s3.PutBucketNotificationConfigurationInput{Bucket: &b, NotificationConfiguration: &v})
			return err
		})
	},
	"inventory": func(ctx context.Context, c *s3.Client, b string, doc []byte) error {
		var v s3types.InventoryConfiguration
		return put(doc, &v, func() error {
			_, err := c.PutBucketInventoryConfiguration(ctx, &s3.PutBucketInventoryConfigurationInput{Bucket: &b, Id: v.Id, InventoryConfiguration: &v})
			return err
		})
	},
	"logging": func(ctx context.Context, c *s3.Client, b string, doc []byte) error {
		var v s3types.BucketLoggingStatus
		return put(doc, &v, func() error {
			_, err := c.PutBucketLogging(ctx, &s3.PutBucketLoggingInput{Bucket: &b, BucketLoggingStatus: &v})
			return err
		})
	},
	"replication": func(ctx context.Context, c *s3.Client, b string, doc []byte) error {
		var v s3types.ReplicationConfiguration
		return put(doc, &v, func() error {
			_, err := c.PutBucketReplication(ctx, &s3.PutBucketReplicationInput{Bucket: &b, ReplicationConfiguration: &v})
			return err
		})
	},
}

func put(doc []byte, v any, call func() error) error {
	dec := json.NewDecoder(strings.NewReader(string(doc)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	return call()
}

// Leftovers reads each setting set on a moto bucket, the policy without
// lakesync's statements; each document unmarshals into its SDK put type
// (no unknown field), and put back on another bucket it reads back the
// same. The Reapply commands are the aws s3api ones.
func TestLeftoversRoundTrip(t *testing.T) {
	old, _ := accounts(t)
	ctx := t.Context()
	c := old.S3()
	versionedBucket(t, old, "src")
	versionedBucket(t, old, "copy")
	if err := old.CreateBucket(ctx, "logs"); err != nil {
		t.Fatal(err)
	}
	logDelivery := aws.String("uri=http://acs.amazonaws.com/groups/s3/LogDelivery")
	if _, err := c.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: aws.String("logs"), GrantWrite: logDelivery, GrantReadACP: logDelivery}); err != nil {
		t.Fatal(err)
	}
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	src := aws.String("src")
	if err := old.PutBucketPolicy(ctx, "src", leftoverPolicy); err != nil {
		t.Fatal(err)
	}
	must(c.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{Bucket: src,
		LifecycleConfiguration: &s3types.BucketLifecycleConfiguration{Rules: []s3types.LifecycleRule{{
			ID: aws.String("expire-logs"), Status: s3types.ExpirationStatusEnabled,
			Filter:     &s3types.LifecycleRuleFilter{Prefix: aws.String("logs/")},
			Expiration: &s3types.LifecycleExpiration{Days: aws.Int32(30)},
		}}}}))
	must(c.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: src, CORSConfiguration: &s3types.CORSConfiguration{
		CORSRules: []s3types.CORSRule{{AllowedMethods: []string{"GET"}, AllowedOrigins: []string{"https://example.com"}, MaxAgeSeconds: aws.Int32(600)}}}}))
	must(c.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: src, Tagging: &s3types.Tagging{
		TagSet: []s3types.Tag{{Key: aws.String("team"), Value: aws.String("data")}}}}))
	must(c.PutBucketWebsite(ctx, &s3.PutBucketWebsiteInput{Bucket: src, WebsiteConfiguration: &s3types.WebsiteConfiguration{
		IndexDocument: &s3types.IndexDocument{Suffix: aws.String("index.html")}}}))
	must(c.PutBucketInventoryConfiguration(ctx, &s3.PutBucketInventoryConfigurationInput{Bucket: src, Id: aws.String("daily"),
		InventoryConfiguration: &s3types.InventoryConfiguration{Id: aws.String("daily"), IsEnabled: aws.Bool(true),
			IncludedObjectVersions: s3types.InventoryIncludedObjectVersionsCurrent,
			Schedule:               &s3types.InventorySchedule{Frequency: s3types.InventoryFrequencyDaily},
			Destination: &s3types.InventoryDestination{S3BucketDestination: &s3types.InventoryS3BucketDestination{
				Bucket: aws.String("arn:aws:s3:::copy"), Format: s3types.InventoryFormatCsv}}}}))
	must(c.PutBucketReplication(ctx, &s3.PutBucketReplicationInput{Bucket: src, ReplicationConfiguration: &s3types.ReplicationConfiguration{
		Role: aws.String("arn:aws:iam::111111111111:role/replication"),
		Rules: []s3types.ReplicationRule{{ID: aws.String("all"), Status: s3types.ReplicationRuleStatusEnabled, Priority: aws.Int32(1),
			Filter:                  &s3types.ReplicationRuleFilter{Prefix: aws.String("")},
			DeleteMarkerReplication: &s3types.DeleteMarkerReplication{Status: s3types.DeleteMarkerReplicationStatusDisabled},
			Destination:             &s3types.Destination{Bucket: aws.String("arn:aws:s3:::elsewhere")}}}}}))
	must(c.PutBucketNotificationConfiguration(ctx, &s3.PutBucketNotificationConfigurationInput{Bucket: src,
		NotificationConfiguration: &s3types.NotificationConfiguration{
			QueueConfigurations: []s3types.QueueConfiguration{{Id: aws.String("new-objects"),
				QueueArn: aws.String("arn:aws:sqs:eu-west-1:111111111111:new-objects"), Events: []s3types.Event{"s3:ObjectCreated:*"},
				Filter: &s3types.NotificationConfigurationFilter{Key: &s3types.S3KeyFilter{FilterRules: []s3types.FilterRule{
					{Name: s3types.FilterRuleNamePrefix, Value: aws.String("in/")}}}}}}}}))
	must(c.PutBucketLogging(ctx, &s3.PutBucketLoggingInput{Bucket: src, BucketLoggingStatus: &s3types.BucketLoggingStatus{
		LoggingEnabled: &s3types.LoggingEnabled{TargetBucket: aws.String("logs"), TargetPrefix: aws.String("src/")}}}))

	owned := func(sid string) bool { return strings.HasPrefix(sid, "Lakesync") }
	got, err := Leftovers(ctx, target(old, "src", nil), owned)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range got {
		names = append(names, s.Name)
	}
	want := []string{"policy", "notifications", "replication", "inventory", "lifecycle", "website", "cors", "tags", "logging"}
	if d := cmp.Diff(want, names); d != "" {
		t.Fatalf("settings (-want +got):\n%s", d)
	}
	reapply := map[string]string{
		"policy":    "aws s3api put-bucket-policy --bucket src --policy file://policy.json",
		"inventory": "aws s3api put-bucket-inventory-configuration --bucket src --id daily --inventory-configuration file://inventory-daily.json",
		"lifecycle": "aws s3api put-bucket-lifecycle-configuration --bucket src --lifecycle-configuration file://lifecycle.json",
		"tags":      "aws s3api put-bucket-tagging --bucket src --tagging file://tags.json",
	}
	for _, s := range got {
		if w, ok := reapply[s.Name]; ok && s.Reapply != w {
			t.Errorf("%s reapply %q, want %q", s.Name, s.Reapply, w)
		}
		if !strings.HasSuffix(s.Reapply, "file://"+s.File) {
			t.Errorf("%s: reapply %q does not read its file %q", s.Name, s.Reapply, s.File)
		}
		if strings.Contains(string(s.JSON), "null") {
			t.Errorf("%s: the document has nulls, which the AWS CLI rejects:\n%s", s.Name, s.JSON)
		}
		doc := strings.ReplaceAll(string(s.JSON), "arn:aws:s3:::src/", "arn:aws:s3:::copy/")
		if err := puts[s.Name](ctx, c, "copy", []byte(doc)); err != nil {
			t.Errorf("%s: putting the document back: %v\n%s", s.Name, err, s.JSON)
		}
	}
	if p := string(got[0].JSON); strings.Contains(p, "LakesyncRead") || !strings.Contains(p, `"Sid": "Theirs"`) {
		t.Errorf("policy document keeps lakesync's statement or loses the foreign one:\n%s", p)
	}
	back, err := Leftovers(ctx, target(old, "copy", nil), owned)
	if err != nil {
		t.Fatal(err)
	}
	for i := range back {
		back[i].JSON = []byte(strings.ReplaceAll(string(back[i].JSON), "arn:aws:s3:::copy/", "arn:aws:s3:::src/"))
		back[i].Reapply = strings.ReplaceAll(back[i].Reapply, "--bucket copy", "--bucket src")
	}
	if d := cmp.Diff(jsonText(got), jsonText(back)); d != "" {
		t.Errorf("settings put back read differently (-src +copy):\n%s", d)
	}
}

func jsonText(s []Setting) string {
	b, _ := json.MarshalIndent(s, "", " ")
	return string(b)
}

// A bucket with nothing set has no leftovers: every "not set" answer of
// S3 is absence, not an error; a policy of lakesync's statements only is
// absent too.
func TestLeftoversNoneSet(t *testing.T) {
	old, _ := accounts(t)
	ctx := t.Context()
	if err := old.CreateBucket(ctx, "bare"); err != nil {
		t.Fatal(err)
	}
	got, err := Leftovers(ctx, target(old, "bare", nil), func(string) bool { return true })
	if err != nil || len(got) != 0 {
		t.Fatalf("Leftovers of a bare bucket: %v, %v; want none", got, err)
	}
	if err := old.PutBucketPolicy(ctx, "bare", strings.ReplaceAll(leftoverPolicy, "src", "bare")); err != nil {
		t.Fatal(err)
	}
	got, err = Leftovers(ctx, target(old, "bare", nil), func(string) bool { return true })
	if err != nil || len(got) != 0 {
		t.Errorf("Leftovers of lakesync's own policy: %v, %v; want none", got, err)
	}
}
