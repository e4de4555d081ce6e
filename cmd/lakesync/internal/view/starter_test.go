package view

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/golden"
	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/plan"
)

const lakeKey = "arn:aws:kms:eu-west-1:222222222222:key/7c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f"

var starterEstates = map[string]plan.Estate{
	"demo": {
		Source: plan.EstateAccount{Profile: "prod", ID: "111111111111", ARN: "arn:aws:iam::111111111111:user/admin", Region: "eu-west-1",
			Buckets: []plan.EstateBucket{{Name: "konfir-prod-data", Region: "eu-west-1"}},
			Roles:   []plan.EstateRole{{Name: "lakesync-copier", ARN: "arn:aws:iam::111111111111:role/lakesync-copier", Reason: `its name has "lakesync"`}}},
		Destination: plan.EstateAccount{Profile: "lake", ID: "222222222222", ARN: "arn:aws:iam::222222222222:user/admin", Region: "eu-west-1",
			Endpoint: "http://127.0.0.1:5000",
			Buckets:  []plan.EstateBucket{{Name: "konfir-datalake-raw", Region: "eu-west-1"}},
			Keys:     []plan.EstateKey{{ARN: lakeKey, ID: "7c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f", Region: "eu-west-1", Aliases: []string{"alias/datalake"}}}},
	},
	"several": {
		Source: plan.EstateAccount{Profile: "prod", ID: "111111111111", ARN: "arn:aws:iam::111111111111:user/admin", Region: "eu-west-1",
			Buckets: []plan.EstateBucket{
				{Name: "acme-clicks", Region: "eu-west-1", Encryption: "aws:kms", KeyARN: "arn:aws:kms:eu-west-1:111111111111:key/1111aaaa-0000-0000-0000-000000000000", Versioning: "Enabled"},
				{Name: "acme-orders", Region: "us-east-1", Encryption: "AES256"},
				{Name: "scratch", Region: "eu-west-1"},
			},
			Keys: []plan.EstateKey{{ARN: "arn:aws:kms:eu-west-1:111111111111:key/1111aaaa-0000-0000-0000-000000000000", ID: "1111aaaa-0000-0000-0000-000000000000", Region: "eu-west-1"}}},
		Destination: plan.EstateAccount{Profile: "lake", ID: "222222222222", ARN: "arn:aws:iam::222222222222:role/admin", Region: "eu-west-1",
			Buckets: []plan.EstateBucket{
				{Name: "acme-archive", Region: "eu-west-1", ObjectLock: true, Versioning: "Enabled"},
				{Name: "acme-lake-orders", Region: "eu-west-1", Encryption: "aws:kms", KeyARN: lakeKey},
				{Name: "acme-lake-raw", Region: "eu-west-1", Encryption: "aws:kms"},
			},
			Keys:  []plan.EstateKey{{ARN: lakeKey, ID: "7c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f", Region: "eu-west-1", Aliases: []string{"alias/lake"}}},
			Roles: []plan.EstateRole{{Name: "ingest", ARN: "arn:aws:iam::222222222222:role/ingest", Reason: "its trust policy names account 111111111111"}}},
	},
	"nothing-in-common": {
		Source:      plan.EstateAccount{Profile: "a", ID: "111111111111", Region: "eu-west-1", Buckets: []plan.EstateBucket{{Name: "alpha", Region: "eu-west-1"}}},
		Destination: plan.EstateAccount{Profile: "a", ID: "222222222222", Region: "eu-west-1", Buckets: []plan.EstateBucket{{Name: "beta", Region: "eu-west-1"}}},
	},
}

// TestStarter renders the starter file of each estate: it matches its
// golden file, is formatted as lakesync fmt formats, and validates.
func TestStarter(t *testing.T) {
	for name, e := range starterEstates {
		t.Run(name, func(t *testing.T) {
			out := Starter(&e, plan.Pairs(&e))
			golden.Compare(t, "starter-"+name+".hcl", out)
			if !bytes.Equal(hclwrite.Format(out), out) {
				t.Error("the starter file is not formatted")
			}
			if _, diags := config.NewLoader(nil, nil).Parse(out, "lakesync.hcl"); diags.HasErrors() {
				t.Errorf("the starter file does not validate: %s\n%s", diags.Error(), out)
			}
			if !strings.Contains(string(out), "# TODO") {
				t.Error("no TODO comment")
			}
		})
	}
}
