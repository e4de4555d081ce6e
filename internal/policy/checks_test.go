package policy

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCheckSizes(t *testing.T) {
	big := func(n int) *Document {
		d := &Document{Version: DefaultVersion}
		for i := range n {
			d.Statements = append(d.Statements, Statement{Sid: fmt.Sprintf("S%04d", i), Effect: Allow,
				Action: Values{"s3:GetObject"}, Resource: Values{"arn:aws:s3:::bucket/" + strings.Repeat("x", 60)}})
		}
		return d
	}
	size := func(d *Document) int { n, _ := compactSize(d); return n }
	// Find statement counts just under and over each limit.
	under := func(limit int) int {
		n := 1
		for size(big(n+1)) <= limit {
			n++
		}
		return n
	}
	bu := under(BucketPolicyLimit)
	if got := CheckBucketPolicySize("b", big(bu)); got != nil {
		t.Errorf("%d bytes flagged: %v", size(big(bu)), got)
	}
	if got := CheckBucketPolicySize("b", big(bu+1)); len(got) != 1 || !got[0].Blocking || got[0].Check != CheckSize {
		t.Errorf("%d bytes not flagged: %v", size(big(bu+1)), got)
	}
	ku := under(KeyPolicyLimit)
	if CheckKeyPolicySize("k", big(ku)) != nil || CheckKeyPolicySize("k", big(ku+1)) == nil {
		t.Error("key policy limit not at 32768 bytes")
	}
	// Whitespace inside raw statements does not count for IAM.
	spaced := mustParse(t, "{\"Statement\":[ {  \"Effect\" : \"Allow\" ,\n \"Action\":\"*\" } ]}")
	js, _ := spaced.JSON()
	if got := CheckRolePolicySize("r", map[string]*Document{"a": spaced}); got != nil {
		t.Errorf("small policy flagged: %v", got)
	}
	if n := len(js) - strings.Count(string(js), " ") - strings.Count(string(js), "\n"); n != len(`{"Statement":[{"Effect":"Allow","Action":"*"}]}`) {
		t.Fatalf("test setup: %d", n)
	}
	ru := under(RoleInlineLimit)
	half := big(ru / 2)
	other := big(ru - ru/2 + 1)
	if got := CheckRolePolicySize("r", map[string]*Document{"lakesync": half, "other": other}); len(got) != 1 {
		t.Errorf("all inline policies together are not counted: %v", got)
	}
	if got := CheckRolePolicySize("r", map[string]*Document{"lakesync": half}); got != nil {
		t.Errorf("half flagged: %v", got)
	}
}

func TestCheckDestinationKey(t *testing.T) {
	tests := map[string]struct {
		ref, manager string
		blocked      bool
	}{
		"alias":           {"alias/aws/s3", "", true},
		"alias ARN":       {"arn:aws:kms:eu-west-1:222222222222:alias/aws/s3", "", true},
		"manager AWS":     {lakeKey, "AWS", true},
		"customer key":    {lakeKey, "CUSTOMER", false},
		"customer alias":  {"alias/datalake", "", false},
		"alias named aws": {"alias/awsome", "", false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := CheckDestinationKey(tc.ref, tc.manager)
			if Blocking(got) != tc.blocked {
				t.Errorf("CheckDestinationKey(%q, %q) = %v", tc.ref, tc.manager, got)
			}
		})
	}
}

func TestCheckKeyAdmin(t *testing.T) {
	tests := map[string]struct {
		policy  string
		blocked bool
	}{
		"default":        {`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"kms:*","Resource":"*"}]}`, false},
		"account id":     {`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"kms:*","Resource":"*"}]}`, false},
		"admin role":     {`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:role/KeyAdmin"},"Action":["kms:Create*","kms:Put*","kms:Describe*"],"Resource":"*"}]}`, false},
		"only users":     {`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:role/App"},"Action":["kms:Decrypt","kms:Encrypt"],"Resource":"*"}]}`, true},
		"other account":  {`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"kms:*","Resource":"*"}]}`, true},
		"deny not allow": {`{"Statement":[{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"kms:*","Resource":"*"}]}`, true},
		"only lakesync":  {`{"Statement":[{"Sid":"LakesyncProdToLakeDestKey","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/lakesync-copier"},"Action":"kms:Decrypt","Resource":"*"}]}`, true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := CheckKeyAdmin(DestKeyDoc, mustParse(t, tc.policy), lakeAcct)
			if Blocking(got) != tc.blocked {
				t.Errorf("findings = %v, want blocking %v", got, tc.blocked)
			}
		})
	}
	if !Blocking(CheckKeyAdmin(DestKeyDoc, nil, lakeAcct)) {
		t.Error("nil key policy not refused")
	}
}

func TestCheckDenies(t *testing.T) {
	g := pushGrant()
	d, err := Generate(g)
	if err != nil {
		t.Fatal(err)
	}
	current := mustParse(t, `{"Version":"2012-10-17","Statement":[
		{"Sid":"TLSOnly","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::konfir-datalake-raw","arn:aws:s3:::konfir-datalake-raw/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}},
		{"Sid":"NoDeletes","Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"s3:Delete*","Resource":"arn:aws:s3:::konfir-datalake-raw/*"},
		{"Effect":"Deny","Principal":"*","Action":["s3:PutObject","s3:PutObjectTagging"],"Resource":"arn:aws:s3:::konfir-datalake-raw/*","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}},
		{"Sid":"ReadOnlyProd","Effect":"Deny","Principal":"*","NotAction":["s3:Get*","s3:List*"],"Resource":"arn:aws:s3:::konfir-datalake-raw/prod/archive/*"}
	]}`)
	merged, err := Merge(current, d.DestBucketPolicy, []string{"ProdToLake"})
	if err != nil {
		t.Fatal(err)
	}
	rp, _ := Merge(nil, d.RolePolicy, nil)
	docs := Documents{Identity: map[string]*Document{RolePolicyName: rp}, Resource: map[string]*Document{DestBucketDoc: merged}}
	type row struct {
		Sid      string
		Index    int
		Blocking bool
	}
	var got []row
	for _, f := range CheckDenies(Required(g), docs) {
		got = append(got, row{f.Sid, f.Index, f.Blocking})
	}
	// TLSOnly never applies (requests use TLS); NoDeletes does not matter
	// without delete; the VPC endpoint Deny may block; ReadOnlyProd blocks
	// writes to part of the prefix, so it may block.
	want := []row{{"", 2, false}, {"ReadOnlyProd", 3, false}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}

	g.Delete = true
	d, _ = Generate(g)
	merged, _ = Merge(current, d.DestBucketPolicy, []string{"ProdToLake"})
	rp, _ = Merge(nil, d.RolePolicy, nil)
	docs = Documents{Identity: map[string]*Document{RolePolicyName: rp}, Resource: map[string]*Document{DestBucketDoc: merged}}
	fs := CheckDenies(Required(g), docs)
	if len(fs) != 3 || fs[2].Sid != "NoDeletes" || !fs[2].Blocking ||
		fs[2].Message != `Deny statement "NoDeletes" in the destination bucket policy of bucket konfir-datalake-raw blocks sync "prod_to_lake": it denies s3:DeleteObject (DeleteObjects)` {
		t.Errorf("findings = %+v", fs)
	}
	// The access check leaves foreign Deny statements to CheckDenies: the
	// bucket grants themselves are complete (the key policy is not given).
	for _, f := range CheckAccessAll(Required(g), docs) {
		if f.Document != DestKeyDoc {
			t.Errorf("access finding = %+v", f)
		}
	}
}
