package config

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDecodeRegions checks where each bucket and key of a configuration
// is: a bucket's region attribute, else its account's; a key's ARN region,
// else (an alias) the region of the bucket that uses it.
func TestDecodeRegions(t *testing.T) {
	cfg := load(t, "testdata/valid/regions.hcl", nil, nil)
	got := map[string]string{}
	for _, b := range cfg.Buckets {
		got["bucket."+b.Name] = b.InRegion()
		if b.RegionRange != nil {
			got["bucket."+b.Name] += fmt.Sprintf(" (line %d)", b.RegionRange.Start.Line)
		}
	}
	for _, k := range cfg.Keys {
		got["key."+k.Name] = k.InRegion()
	}
	want := map[string]string{
		"bucket.prod":         "eu-west-1",
		"bucket.lake":         "us-east-1 (line 40)",
		"bucket.lake_archive": "us-east-1 (line 47)",
		"key.lake_east":       "us-east-1",
		"key.lake_east_arn":   "us-east-1",
		"key.prod":            "eu-west-1",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("regions (-want +got):\n%s", diff)
	}
}

// TestInRegionByHand checks the regions of blocks built without the
// decoder, as tests and callers do: a bucket in its account's region, a
// key in its ARN's region, else its account's.
func TestInRegionByHand(t *testing.T) {
	acct := &Account{Name: "lake", Region: "eu-west-1"}
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"bucket without region", (&Bucket{Account: acct}).InRegion(), "eu-west-1"},
		{"bucket with region", (&Bucket{Account: acct, Region: "us-east-1"}).InRegion(), "us-east-1"},
		{"key by ARN", (&Key{Account: acct, ARN: "arn:aws:kms:us-west-2:222222222222:key/abcd"}).InRegion(), "us-west-2"},
		{"key by alias", (&Key{Account: acct, Alias: "alias/x"}).InRegion(), "eu-west-1"},
		{"key with region", (&Key{Account: acct, Alias: "alias/x", Region: "ap-south-1"}).InRegion(), "ap-south-1"},
		{"no account", (&Bucket{}).InRegion(), ""},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}
