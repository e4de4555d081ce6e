package config

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

func TestSortDiagnostics(t *testing.T) {
	at := func(file string, byte int) *hcl.Range {
		return &hcl.Range{Filename: file, Start: hcl.Pos{Byte: byte}}
	}
	diags := hcl.Diagnostics{
		{Summary: "b.hcl 1", Subject: at("b.hcl", 1)},
		{Summary: "a.hcl 20, found first", Subject: at("a.hcl", 20)},
		{Summary: "no place, found first"},
		{Summary: "a.hcl 5", Subject: at("a.hcl", 5)},
		{Summary: "a.hcl 20, found second", Subject: at("a.hcl", 20)},
		{Summary: "no place, found second"},
		{Summary: "a.hcl 0", Subject: at("a.hcl", 0)},
	}
	sortDiagnostics(diags)
	var got []string
	for _, d := range diags {
		got = append(got, d.Summary)
	}
	want := []string{
		"no place, found first", "no place, found second",
		"a.hcl 0", "a.hcl 5", "a.hcl 20, found first", "a.hcl 20, found second",
		"b.hcl 1",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
}

func TestParseVarFlag(t *testing.T) {
	for in, want := range map[string][2]string{
		"env=prod": {"env", "prod"},
		"env=":     {"env", ""},
		"q=a=b":    {"q", "a=b"},
	} {
		name, value, err := ParseVarFlag(in)
		if err != nil || name != want[0] || value != want[1] {
			t.Errorf("ParseVarFlag(%q) = %q, %q, %v; want %q, %q", in, name, value, err, want[0], want[1])
		}
	}
	for _, in := range []string{"env", "=prod", ""} {
		want := `invalid --var "` + in + `": write --var NAME=VALUE`
		if _, _, err := ParseVarFlag(in); err == nil || err.Error() != want {
			t.Errorf("ParseVarFlag(%q) = %v, want %s", in, err, want)
		}
	}
}

// TestIdentifiers checks the ARNs and references other packages build
// policies from.
func TestIdentifiers(t *testing.T) {
	acct := &Account{Name: "lake", ID: "222222222222", Region: "eu-west-1"}
	keyARN := "arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	got := []string{
		(&Key{Account: acct, ARN: keyARN}).Ref(),
		(&Key{Account: acct, Alias: "alias/datalake"}).Ref(),
		(&Bucket{Account: acct, BucketName: "konfir-datalake-raw"}).ARN(),
		(&Role{Account: acct, RoleName: "lakesync-copier"}).ARN(),
		(&Job{Name: "prod_to_lake"}).ID(),
	}
	want := []string{
		keyARN,
		"alias/datalake",
		"arn:aws:s3:::konfir-datalake-raw",
		"arn:aws:iam::222222222222:role/lakesync-copier",
		"ProdToLake",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("identifiers (-want +got):\n%s", diff)
	}
}
