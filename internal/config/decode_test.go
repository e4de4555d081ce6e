package config

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hashicorp/hcl/v2"
)

var ignoreRanges = cmpopts.IgnoreTypes(hcl.Range{})

// TestDecodeEndpoints checks that an empty endpoint_url means AWS itself
// and that http and https endpoints are kept as written.
func TestDecodeEndpoints(t *testing.T) {
	tests := []struct {
		name string
		vars map[string]string
		aws  string
	}{
		{"default", nil, ""},
		{"flag", map[string]string{"endpoint": "http://localhost:4566"}, "http://localhost:4566"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := load(t, "testdata/valid/endpoints.hcl", tt.vars, nil)
			want := []*Account{
				{Name: "aws", ID: "111111111111", Region: "eu-west-1", EndpointURL: tt.aws},
				{Name: "regional", ID: "222222222222", Region: "eu-west-1", EndpointURL: "https://s3.eu-west-1.amazonaws.com"},
				{Name: "minio", ID: "000000000000", Region: "us-east-1", EndpointURL: "http://127.0.0.1:9000", S3ForcePathStyle: true},
			}
			if diff := cmp.Diff(want, cfg.Accounts, ignoreRanges); diff != "" {
				t.Errorf("accounts (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDecodeLimits checks that S3's limits themselves are accepted:
// concurrency 1 and 1024, parts and threshold of 5MiB and 5GiB, restores
// of 1 day and of the largest int32.
func TestDecodeLimits(t *testing.T) {
	cfg := load(t, "testdata/valid/limits.hcl", nil, nil)
	type limits struct {
		Concurrency         int
		Threshold, PartSize int64
		RestoreDays         int
	}
	got := map[string]limits{}
	for _, j := range cfg.Jobs {
		got[j.Name] = limits{j.Concurrency, j.MultipartThreshold, j.PartSize, j.RestoreDays}
	}
	want := map[string]limits{
		"smallest": {1, 5 << 20, 5 << 20, 1},
		"largest":  {1024, 5 << 30, 5 << 30, 1<<31 - 1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("job limits (-want +got):\n%s", diff)
	}
}

// TestDecodeVariableBlocks checks the variables as declared: a default is
// kept as a string (32 as "32"), whatever value the run uses.
func TestDecodeVariableBlocks(t *testing.T) {
	cfg := load(t, "testdata/valid/variables.hcl", map[string]string{"env": "prod"}, nil)
	staging, n32 := "staging", "32"
	want := []*Variable{
		{Name: "env", Description: "Which Production environment to copy from.", Default: &staging},
		{Name: "concurrency", Default: &n32},
	}
	if diff := cmp.Diff(want, cfg.Variables, ignoreRanges); diff != "" {
		t.Errorf("variables (-want +got):\n%s", diff)
	}
}
