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
// concurrency 1 and 4096, parts and threshold of 5MiB and 5GiB, restores
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
		"largest":  {4096, 5 << 30, 5 << 30, 1<<31 - 1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("job limits (-want +got):\n%s", diff)
	}
}

// TestDecodeRequestLimits checks concurrency ("auto" by default, or a
// number, also from a string as variables give), max_requests_per_second
// and bandwidth (with or without "/s").
func TestDecodeRequestLimits(t *testing.T) {
	cfg := load(t, "testdata/valid/concurrency.hcl", nil, nil)
	type limits struct {
		Concurrency int
		Rate        float64
		Bandwidth   int64
	}
	got := map[string]limits{}
	for _, j := range cfg.Jobs {
		got[j.Name] = limits{j.Concurrency, j.MaxRequestsPerSecond, j.Bandwidth}
	}
	want := map[string]limits{
		"absent":            {ConcurrencyAuto, 0, 0},
		"auto":              {ConcurrencyAuto, 0, 0},
		"fixed":             {4096, 0.5, 0},
		"from_string":       {128, 3500, 0},
		"stream":            {ConcurrencyAuto, 0, 200 << 20},
		"stream_per_second": {ConcurrencyAuto, 100, 1.5e9},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("request limits (-want +got):\n%s", diff)
	}
}

func TestParseBandwidth(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int64
		err  bool
	}{
		{"200MiB", 200 << 20, false},
		{"200MiB/s", 200 << 20, false},
		{" 1GB/S ", 1e9, false},
		{"512", 512, false},
		{"200MiB/h", 0, true},
		{"/s", 0, true},
		{"0", 0, true},
		{"fast", 0, true},
	} {
		got, err := ParseBandwidth(tt.in)
		if got != tt.want || (err != nil) != tt.err {
			t.Errorf("ParseBandwidth(%q) = %d, %v; want %d, error %v", tt.in, got, err, tt.want, tt.err)
		}
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
