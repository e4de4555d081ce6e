package config

import (
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The policy attribute of bucket, key and role blocks: managed unless
// it says external.
func TestOwnership(t *testing.T) {
	src := []byte(`
account "lake" {
  id     = "222222222222"
  region = "eu-west-1"
}
key "lake" {
  account = account.lake
  arn     = "arn:aws:kms:eu-west-1:222222222222:key/abcd"
  policy  = "external"
}
bucket "lake" {
  account = account.lake
  name    = "konfir-lake"
  key     = key.lake
  policy  = "external"
}
bucket "raw" {
  account = account.lake
  name    = "konfir-raw"
  policy  = "managed"
}
role "copier" {
  account = account.lake
  name    = "lakesync-copier"
}
role "terraform" {
  account = account.lake
  name    = "lakesync-copier-tf"
  policy  = "external"
}
`)
	l := NewLoader(os.ReadFile, os.LookupEnv)
	l.LookupEnv = noEnv
	cfg, diags := l.Parse(src, "ownership.hcl")
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	got := map[string]Ownership{}
	for _, k := range cfg.Keys {
		got["key."+k.Name] = k.Policy
	}
	for _, b := range cfg.Buckets {
		got["bucket."+b.Name] = b.Policy
	}
	for _, r := range cfg.Roles {
		got["role."+r.Name] = r.Policy
	}
	want := map[string]Ownership{
		"key.lake": External, "bucket.lake": External, "bucket.raw": Managed,
		"role.copier": Managed, "role.terraform": External,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ownership (-want +got):\n%s", diff)
	}
}
