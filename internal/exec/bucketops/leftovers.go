package bucketops

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakesync/lakesync/internal/exec/awserr"
)

// notSet are the answers S3 gives for a configuration a bucket does not
// have: absent, not a failure.
var notSet = []string{
	"NoSuchBucketPolicy", "NoSuchLifecycleConfiguration", "NoSuchCORSConfiguration", "NoSuchTagSet",
	"ReplicationConfigurationNotFoundError", "ObjectLockConfigurationNotFoundError", "NoSuchWebsiteConfiguration",
}

// reader reads one setting of a bucket: nil when it is not set.
type reader func(ctx context.Context, t Target, owned func(string) bool) ([]Setting, error)

// readers are Leftovers' readers, in the order it returns the settings.
var readers = []reader{
	readPolicy, readNotifications, readReplication, readInventory, readLifecycle,
	readWebsite, readCORS, readTags, readLogging, readObjectLock,
}

// Leftovers reads every setting of t that is set; owned reports whether a
// policy statement Sid is lakesync's (those are left out of "policy").
func Leftovers(ctx context.Context, t Target, owned func(sid string) bool) ([]Setting, error) {
	var out []Setting
	for _, read := range readers {
		s, err := read(ctx, t, owned)
		if err != nil {
			return nil, err
		}
		out = append(out, s...)
	}
	return out, nil
}

// got turns the answer of a Get into the setting it reads: none when S3
// says it is not set or doc is nil, an awserr error when the request
// failed.
func got(t Target, op string, err error, doc func() (Setting, bool, error)) ([]Setting, error) {
	if awserr.HasCode(err, notSet...) {
		return nil, nil
	}
	if err != nil {
		return nil, awserr.New(op, t.Bucket, t.Account, err)
	}
	s, ok, err := doc()
	if err != nil || !ok {
		return nil, err
	}
	return []Setting{s}, nil
}

// setting is the Setting of cmd taking v (an SDK configuration type) as
// flag's file NAME.json.
func setting(t Target, name, cmd, flag string, v any, extra ...string) (Setting, bool, error) {
	doc, err := document(v)
	if err != nil {
		return Setting{}, false, fmt.Errorf("bucket %s: %s as JSON: %w", t.Bucket, name, err)
	}
	return newSetting(name, t.Bucket, cmd, flag, name+".json", doc, extra...), true, nil
}

func readNotifications(ctx context.Context, t Target, _ func(string) bool) ([]Setting, error) {
	out, err := t.Client.GetBucketNotificationConfiguration(ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: aws.String(t.Bucket)})
	return got(t, "s3:GetBucketNotificationConfiguration", err, func() (Setting, bool, error) {
		if out.EventBridgeConfiguration == nil && len(out.LambdaFunctionConfigurations)+len(out.QueueConfigurations)+len(out.TopicConfigurations) == 0 {
			return Setting{}, false, nil
		}
		return setting(t, "notifications", "put-bucket-notification-configuration", "--notification-configuration",
			s3types.NotificationConfiguration{EventBridgeConfiguration: out.EventBridgeConfiguration,
				LambdaFunctionConfigurations: out.LambdaFunctionConfigurations,
				QueueConfigurations:          out.QueueConfigurations, TopicConfigurations: out.TopicConfigurations})
	})
}

func readReplication(ctx context.Context, t Target, _ func(string) bool) ([]Setting, error) {
	out, err := t.Client.GetBucketReplication(ctx, &s3.GetBucketReplicationInput{Bucket: aws.String(t.Bucket)})
	return got(t, "s3:GetBucketReplication", err, func() (Setting, bool, error) {
		if out.ReplicationConfiguration == nil || len(out.ReplicationConfiguration.Rules) == 0 {
			return Setting{}, false, nil
		}
		return setting(t, "replication", "put-bucket-replication", "--replication-configuration", out.ReplicationConfiguration)
	})
}

func readInventory(ctx context.Context, t Target, _ func(string) bool) ([]Setting, error) {
	var settings []Setting
	in := &s3.ListBucketInventoryConfigurationsInput{Bucket: aws.String(t.Bucket)}
	for {
		out, err := t.Client.ListBucketInventoryConfigurations(ctx, in)
		if err != nil {
			return nil, awserr.New("s3:ListBucketInventoryConfigurations", t.Bucket, t.Account, err)
		}
		for _, c := range out.InventoryConfigurationList {
			id := aws.ToString(c.Id)
			doc, err := document(c)
			if err != nil {
				return nil, fmt.Errorf("bucket %s: inventory %s as JSON: %w", t.Bucket, id, err)
			}
			settings = append(settings, newSetting("inventory", t.Bucket, "put-bucket-inventory-configuration",
				"--inventory-configuration", "inventory-"+fileWord(id)+".json", doc, "--id", id))
		}
		if !aws.ToBool(out.IsTruncated) {
			return settings, nil
		}
		in.ContinuationToken = out.NextContinuationToken
	}
}

func readLifecycle(ctx context.Context, t Target, _ func(string) bool) ([]Setting, error) {
	out, err := t.Client.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: aws.String(t.Bucket)})
	return got(t, "s3:GetBucketLifecycleConfiguration", err, func() (Setting, bool, error) {
		if len(out.Rules) == 0 {
			return Setting{}, false, nil
		}
		return setting(t, "lifecycle", "put-bucket-lifecycle-configuration", "--lifecycle-configuration",
			s3types.BucketLifecycleConfiguration{Rules: out.Rules})
	})
}

func readWebsite(ctx context.Context, t Target, _ func(string) bool) ([]Setting, error) {
	out, err := t.Client.GetBucketWebsite(ctx, &s3.GetBucketWebsiteInput{Bucket: aws.String(t.Bucket)})
	return got(t, "s3:GetBucketWebsite", err, func() (Setting, bool, error) {
		return setting(t, "website", "put-bucket-website", "--website-configuration", s3types.WebsiteConfiguration{
			ErrorDocument: out.ErrorDocument, IndexDocument: out.IndexDocument,
			RedirectAllRequestsTo: out.RedirectAllRequestsTo, RoutingRules: out.RoutingRules})
	})
}

func readCORS(ctx context.Context, t Target, _ func(string) bool) ([]Setting, error) {
	out, err := t.Client.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String(t.Bucket)})
	return got(t, "s3:GetBucketCors", err, func() (Setting, bool, error) {
		if len(out.CORSRules) == 0 {
			return Setting{}, false, nil
		}
		return setting(t, "cors", "put-bucket-cors", "--cors-configuration", s3types.CORSConfiguration{CORSRules: out.CORSRules})
	})
}

func readTags(ctx context.Context, t Target, _ func(string) bool) ([]Setting, error) {
	out, err := t.Client.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String(t.Bucket)})
	return got(t, "s3:GetBucketTagging", err, func() (Setting, bool, error) {
		if len(out.TagSet) == 0 {
			return Setting{}, false, nil
		}
		return setting(t, "tags", "put-bucket-tagging", "--tagging", s3types.Tagging{TagSet: out.TagSet})
	})
}

func readLogging(ctx context.Context, t Target, _ func(string) bool) ([]Setting, error) {
	out, err := t.Client.GetBucketLogging(ctx, &s3.GetBucketLoggingInput{Bucket: aws.String(t.Bucket)})
	return got(t, "s3:GetBucketLogging", err, func() (Setting, bool, error) {
		if out.LoggingEnabled == nil {
			return Setting{}, false, nil
		}
		return setting(t, "logging", "put-bucket-logging", "--bucket-logging-status",
			s3types.BucketLoggingStatus{LoggingEnabled: out.LoggingEnabled})
	})
}

func readObjectLock(ctx context.Context, t Target, _ func(string) bool) ([]Setting, error) {
	out, err := t.Client.GetObjectLockConfiguration(ctx, &s3.GetObjectLockConfigurationInput{Bucket: aws.String(t.Bucket)})
	return got(t, "s3:GetObjectLockConfiguration", err, func() (Setting, bool, error) {
		if out.ObjectLockConfiguration == nil || out.ObjectLockConfiguration.ObjectLockEnabled == "" {
			return Setting{}, false, nil
		}
		return setting(t, "object_lock", "put-object-lock-configuration", "--object-lock-configuration", out.ObjectLockConfiguration)
	})
}

// policyDocument is a bucket policy as far as Leftovers reads it: the
// statements stay as written.
type policyDocument struct {
	Version   string            `json:"Version,omitempty"`
	ID        string            `json:"Id,omitempty"`
	Statement []json.RawMessage `json:"Statement"`
}

func readPolicy(ctx context.Context, t Target, owned func(string) bool) ([]Setting, error) {
	out, err := t.Client.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String(t.Bucket)})
	return got(t, "s3:GetBucketPolicy", err, func() (Setting, bool, error) {
		doc, err := foreignStatements(aws.ToString(out.Policy), owned)
		if err != nil {
			return Setting{}, false, fmt.Errorf("bucket policy of %s: %w", t.Bucket, err)
		}
		if doc == nil {
			return Setting{}, false, nil
		}
		return newSetting("policy", t.Bucket, "put-bucket-policy", "--policy", "policy.json", doc), true, nil
	})
}

// foreignStatements is the policy with only the statements owned does not
// claim, indented; nil when none is left.
func foreignStatements(policy string, owned func(string) bool) (json.RawMessage, error) {
	var raw struct {
		Version   string          `json:"Version"`
		ID        string          `json:"Id"`
		Statement json.RawMessage `json:"Statement"`
	}
	if err := json.Unmarshal([]byte(policy), &raw); err != nil {
		return nil, fmt.Errorf("not a JSON policy document: %w", err)
	}
	var stmts []json.RawMessage
	if len(raw.Statement) == 0 {
		return nil, nil
	}
	if err := json.Unmarshal(raw.Statement, &stmts); err != nil {
		stmts = []json.RawMessage{raw.Statement} // a single statement object
	}
	doc := policyDocument{Version: raw.Version, ID: raw.ID}
	for _, s := range stmts {
		var st struct{ Sid string }
		if err := json.Unmarshal(s, &st); err != nil {
			return nil, fmt.Errorf("a statement is not a JSON object: %w", err)
		}
		if owned == nil || !owned(st.Sid) {
			doc.Statement = append(doc.Statement, s)
		}
	}
	if len(doc.Statement) == 0 {
		return nil, nil
	}
	return json.MarshalIndent(doc, "", "  ")
}
