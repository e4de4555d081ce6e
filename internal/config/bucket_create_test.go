package config

import (
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDecodeBucketCreate(t *testing.T) {
	src := []byte(`
account "lake" {
  id     = "222222222222"
  region = "eu-west-1"
}
key "lake" {
  account = account.lake
  alias   = "alias/lake"
}
bucket "created" {
  account    = account.lake
  name       = "konfir-created"
  key        = key.lake
  create     = true
  versioning = true
}
bucket "plain" {
  account = account.lake
  name    = "konfir-plain"
  key     = key.lake
}
`)
	l := NewLoader(os.ReadFile, os.LookupEnv)
	l.LookupEnv = noEnv
	cfg, diags := l.Parse(src, "create.hcl")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	type flags struct{ Create, Versioning bool }
	got := map[string]flags{}
	for _, b := range cfg.Buckets {
		got[b.Name] = flags{b.Create, b.Versioning}
	}
	want := map[string]flags{"created": {true, true}, "plain": {}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
