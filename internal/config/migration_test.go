package config

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDecodeMigration(t *testing.T) {
	cfg := load(t, "testdata/valid/migration.hcl", nil, nil)
	type got struct {
		Bucket, To, Key, Temporary, Role, Region string
	}
	summary := func(m *Migration) got {
		g := got{m.Bucket.BucketName, m.To.ID, m.Key.Alias, m.TemporaryBucket, "", m.Region}
		if m.Role != nil {
			g.Role = m.Role.ARN()
		}
		return g
	}
	tests := []struct {
		name string
		want got
	}{
		{"prod_data", got{"konfir-prod-data", "222222222222", "alias/lake", "konfir-prod-data-moving", "", "eu-west-1"}},
		{"prod_data_server_side", got{"konfir-prod-data", "222222222222", "alias/lake", "konfir-prod-data-moving2", "arn:aws:iam::111111111111:role/lakesync-copier", "eu-west-1"}},
		{"to_frankfurt", got{"konfir-prod-data", "111111111111", "alias/prod", "konfir-prod-data-fra", "", "eu-central-1"}},
	}
	for _, tt := range tests {
		m := cfg.Migration(tt.name)
		if m == nil {
			t.Fatalf("migration %s missing", tt.name)
		}
		if diff := cmp.Diff(tt.want, summary(m)); diff != "" {
			t.Errorf("migration %s (-want +got):\n%s", tt.name, diff)
		}
	}
	// An alias key no bucket block uses is looked up where the bucket is
	// recreated, not in its account's region.
	if got := cfg.Migration("to_frankfurt").Key.InRegion(); got != "eu-central-1" {
		t.Errorf("the region move's key is looked up in %s, want eu-central-1", got)
	}
	if cfg.Migration("nope") != nil {
		t.Error("Migration(nope) is not nil")
	}
}
