package plan

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lakesync/lakesync/internal/config"
)

const eastKeyARN = "arn:aws:kms:us-east-1:222222222222:key/1111aaaa-22bb-33cc-44dd-555555eeeeee"

// crossRegionWorld is emptyWorld for testdata/cross_region.hcl: the lake
// bucket and its key in us-east-1.
func crossRegionWorld() *Observed {
	obs := emptyWorld()
	obs.Buckets["lake"].Region = "us-east-1"
	obs.Keys["lake"].ARN = eastKeyARN
	return obs
}

// TestComputeRegionMismatch checks that a bucket S3 reports in another
// region than the configuration says, by its region attribute or by its
// account's region, stops the plan with a diagnostic on the line to fix,
// naming both regions and the attribute to write.
func TestComputeRegionMismatch(t *testing.T) {
	tests := []struct {
		name   string
		config string
		change func(*Observed)
		line   int
		want   []string
	}{
		{"account's region", "../../examples/push/lakesync.hcl", func(o *Observed) { o.Buckets["prod"].Region = "us-east-1" }, 22,
			[]string{"konfir-prod-data", "S3 reports", "in us-east-1", "account.prod's region eu-west-1", `Write region = "us-east-1" in bucket "prod"`}},
		// The key of a bucket looked for in the wrong region is not found
		// either: the region is the error to fix.
		{"region attribute", "testdata/cross_region.hcl", func(o *Observed) { o.Buckets["lake"].Region = "eu-west-1"; o.Keys["lake"].Exists = false }, 29,
			[]string{"konfir-datalake-raw", "in eu-west-1", "its region attribute says us-east-1", `Write region = "eu-west-1" in bucket "lake"`}},
		{"another region than the attribute", "testdata/cross_region.hcl", func(o *Observed) { o.Buckets["lake"].Region = "us-east-2" }, 29,
			[]string{"in us-east-2", "says us-east-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obs := crossRegionWorld()
			if strings.Contains(tt.config, "push") {
				obs = emptyWorld()
			}
			tt.change(obs)
			cfg := loadExample(t, tt.config)
			// lakesync check evaluates the same world: it must refuse it too.
			if _, err := Access(cfg, obs); !errors.As(err, new(*ConfigError)) {
				t.Errorf("Access: %v, want a ConfigError", err)
			}
			_, err := Compute(cfg, obs)
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("Compute: %v, want a ConfigError", err)
			}
			if len(ce.Diagnostics) != 1 {
				t.Fatalf("%d diagnostics, want 1: %v", len(ce.Diagnostics), ce)
			}
			d := ce.Diagnostics[0]
			if d.Summary != "Bucket in another region" || d.Subject == nil || d.Subject.Start.Line != tt.line {
				t.Errorf("diagnostic %q at %v, want \"Bucket in another region\" on line %d", d.Summary, d.Subject, tt.line)
			}
			for _, w := range tt.want {
				if !strings.Contains(d.Detail, w) {
					t.Errorf("detail lacks %q: %s", w, d.Detail)
				}
			}
		})
	}
}

// TestComputeCrossRegion checks a job between regions: the plan says so,
// and the destination key is granted through S3 of the bucket's region,
// not the account's.
func TestComputeCrossRegion(t *testing.T) {
	p, err := Compute(loadExample(t, "testdata/cross_region.hcl"), crossRegionWorld())
	if err != nil {
		t.Fatal(err)
	}
	j := p.Jobs[0]
	if diff := cmp.Diff([]any{true, "eu-west-1", "us-east-1"}, []any{j.CrossRegion, j.SourceRegion, j.DestinationRegion}); diff != "" {
		t.Errorf("cross_region, source_region, destination_region (-want +got):\n%s", diff)
	}
	for _, d := range p.Documents {
		if d.Address.String() != "key.lake" {
			continue
		}
		if !strings.Contains(string(d.After), `"s3.us-east-1.amazonaws.com"`) || strings.Contains(string(d.After), "s3.eu-west-1") {
			t.Errorf("key policy must allow use through S3 in us-east-1 only:\n%s", d.After)
		}
	}

	same, err := Compute(pushConfig(t), emptyWorld())
	if err != nil {
		t.Fatal(err)
	}
	if j := same.Jobs[0]; j.CrossRegion || j.SourceRegion != "" || j.DestinationRegion != "" {
		t.Errorf("a job within one region is marked cross-region: %+v", j)
	}
}

// A migration's bucket is in the migration's region, not its account's:
// the detail says so, not that a bucket block lacks a region attribute.
func TestRegionMismatchOfAMigrationBucket(t *testing.T) {
	acct := &config.Account{Name: "prod", ID: "111111111111", Region: "eu-west-1"}
	src := &config.Bucket{Name: "data", Account: acct, BucketName: "konfir-moving-data", Region: "eu-west-1"}
	m := &config.Migration{Name: "move", Bucket: src, To: acct, TemporaryBucket: "konfir-tmp", Region: "eu-central-1"}
	d := RegionMismatch(m.Parts().Moved, "eu-west-1")
	want := "S3 reports the bucket konfir-moving-data in eu-west-1, but the migration puts it in eu-central-1."
	if !strings.HasPrefix(d.Detail, want) || strings.Contains(d.Detail, "region attribute") {
		t.Errorf("detail %q, want it to start %q", d.Detail, want)
	}
}
