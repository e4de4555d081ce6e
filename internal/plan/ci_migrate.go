package plan

import (
	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/policy"
)

// withMigrations is cfg with every migration's buckets and copies added,
// the configuration lakesync migrate plans and applies at its steps.
func withMigrations(cfg *config.Config) *config.Config {
	c := *cfg
	c.Buckets = append([]*config.Bucket(nil), cfg.Buckets...)
	c.Jobs = append([]*config.Job(nil), cfg.Jobs...)
	for _, m := range cfg.Migrations {
		p := m.Parts()
		c.Buckets = append(c.Buckets, p.Temporary, p.Moved)
		c.Jobs = append(c.Jobs, p.Out, p.Back)
	}
	c.Migrations = nil
	return &c
}

// migrateStatements are the migrating role's in account a: what the
// applying role does for the configuration with the migrations' buckets
// and copies (migrate applies them as apply does), and each migration's
// own bucket operations with the account's credentials: on the bucket it
// moves, the checks before anything is written (replication, Object Lock,
// legal holds), the census and the settings that do not move, then its
// deletion with every version; on the temporary bucket, the census and
// its deletion.
func migrateStatements(cfg *config.Config, a *config.Account) []policy.Statement {
	out := ciStatements(withMigrations(cfg), a, CIPolicyOptions{Role: CIApplyRole})
	for _, m := range cfg.Migrations {
		id := "CIMigrate" + config.JobID(m.Name)
		if b := m.Bucket; b.Account == a {
			out = append(out,
				policy.Statement{Sid: id + "Source", Effect: policy.Allow, Action: policy.Values{
					"s3:ListBucket", "s3:ListBucketVersions", "s3:GetBucketVersioning", "s3:GetReplicationConfiguration",
					"s3:GetBucketObjectLockConfiguration", "s3:GetBucketPolicy", "s3:GetBucketNotification",
					"s3:GetInventoryConfiguration", "s3:GetLifecycleConfiguration", "s3:GetBucketWebsite", "s3:GetBucketCORS",
					"s3:GetBucketTagging", "s3:GetBucketLogging", "s3:DeleteBucket"}, Resource: policy.Values{b.ARN()}},
				policy.Statement{Sid: id + "SourceObjects", Effect: policy.Allow, Action: policy.Values{
					"s3:GetObjectLegalHold", "s3:DeleteObject", "s3:DeleteObjectVersion"}, Resource: policy.Values{b.ARN() + "/*"}})
		}
		if m.To == a {
			tmp := "arn:aws:s3:::" + m.TemporaryBucket
			out = append(out,
				policy.Statement{Sid: id + "Temporary", Effect: policy.Allow, Action: policy.Values{
					"s3:ListBucket", "s3:ListBucketVersions", "s3:GetBucketVersioning", "s3:DeleteBucket"}, Resource: policy.Values{tmp}},
				policy.Statement{Sid: id + "TemporaryObjects", Effect: policy.Allow, Action: policy.Values{
					"s3:DeleteObject", "s3:DeleteObjectVersion"}, Resource: policy.Values{tmp + "/*"}})
		}
	}
	return out
}
