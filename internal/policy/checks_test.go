package policy

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// TestCheckSizeLimits holds each document at the limit AWS documents and
// one over it: S3 bucket policies 20 KB (20,480 bytes), KMS key policies
// 32 KB (32,768 bytes), and all inline policies of an IAM role together
// 10,240 characters, which IAM counts without whitespace. The documents
// are written out here, so their sizes do not depend on the encoder.
func TestCheckSizeLimits(t *testing.T) {
	// bucketDoc is a compact document of exactly n bytes.
	bucketDoc := func(n int) *Document {
		head, tail := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/`, `"}]}`
		return mustParse(t, head+strings.Repeat("x", n-len(head)-len(tail))+tail)
	}
	// roleDoc has exactly n characters that are not whitespace, as AWS
	// returns it: spaced and indented, with a two-byte character.
	roleDoc := func(n int) *Document {
		head, tail := "{\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"*\",\n      \"Resource\": \"arn:aws:s3:::b/\u00e9", "\"\n    }\n  ]\n}\n"
		chars := func(s string) int { return utf8.RuneCountInString(strings.Join(strings.Fields(s), "")) }
		return mustParse(t, head+strings.Repeat("x", n-chars(head)-chars(tail))+tail)
	}
	sizeFinding := func(doc, msg string) []Finding {
		return []Finding{{Check: CheckSize, Document: doc, Index: -1, Blocking: true, Message: msg}}
	}
	tests := []struct {
		name string
		got  []Finding
		want []Finding
	}{
		{"bucket policy at 20480 bytes", CheckBucketPolicySize(DestBucketDoc, bucketDoc(20480)), nil},
		{"bucket policy at 20481 bytes", CheckBucketPolicySize(DestBucketDoc, bucketDoc(20481)),
			sizeFinding(DestBucketDoc, "destination bucket policy would be 20481 bytes, over the limit of 20480")},
		{"key policy at 32768 bytes", CheckKeyPolicySize(DestKeyDoc, bucketDoc(32768)), nil},
		{"key policy at 32769 bytes", CheckKeyPolicySize(DestKeyDoc, bucketDoc(32769)),
			sizeFinding(DestKeyDoc, "destination key policy would be 32769 bytes, over the limit of 32768")},
		{"absent bucket policy", CheckBucketPolicySize(DestBucketDoc, nil), nil},
		{"role policy at 10240 characters", CheckRolePolicySize(prodRole, map[string]*Document{RolePolicyName: roleDoc(10240)}), nil},
		{"role policy at 10241 characters", CheckRolePolicySize(prodRole, map[string]*Document{RolePolicyName: roleDoc(10241)}),
			sizeFinding(RolePolicyName, "inline policies of "+prodRole+" would total 10241 characters without whitespace, over the limit of 10240")},
		{"inline policies together at the limit", CheckRolePolicySize(prodRole, map[string]*Document{RolePolicyName: roleDoc(4000), "other": roleDoc(6240), "deleted": nil}), nil},
		{"inline policies together over the limit", CheckRolePolicySize(prodRole, map[string]*Document{RolePolicyName: roleDoc(4000), "other": roleDoc(6241)}),
			sizeFinding(RolePolicyName, "inline policies of "+prodRole+" would total 10241 characters without whitespace, over the limit of 10240")},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, tc.got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

// TestCheckSizeUnencodable: a document that cannot be encoded (a statement
// whose raw JSON is broken) is refused, not measured as empty.
func TestCheckSizeUnencodable(t *testing.T) {
	broken := &Document{Statements: []Statement{{Effect: Allow, Raw: json.RawMessage(`{"Effect":`)}}}
	msg := `encode policy: Statement[0] (Sid ""): raw statement is not valid JSON`
	tests := []struct {
		name string
		got  []Finding
		want []Finding
	}{
		{"bucket policy", CheckBucketPolicySize(DestBucketDoc, broken),
			[]Finding{{Check: CheckSize, Document: DestBucketDoc, Index: -1, Blocking: true, Message: DestBucketDoc + ": " + msg}}},
		{"key policy", CheckKeyPolicySize(DestKeyDoc, broken),
			[]Finding{{Check: CheckSize, Document: DestKeyDoc, Index: -1, Blocking: true, Message: DestKeyDoc + ": " + msg}}},
		{"role policy", CheckRolePolicySize(prodRole, map[string]*Document{"other": broken}),
			[]Finding{{Check: CheckSize, Document: "other", Index: -1, Blocking: true, Message: `inline policy "other" of ` + prodRole + ": " + msg}}},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, tc.got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
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
			var want []Finding
			if tc.blocked {
				want = []Finding{{Check: CheckManagedKey, Document: DestKeyDoc, Index: -1, Blocking: true,
					Message: "destination key " + tc.ref + " is AWS managed: its key policy cannot be changed and other accounts cannot use it; use a customer managed key"}}
			}
			if diff := cmp.Diff(want, CheckDestinationKey(tc.ref, tc.manager)); diff != "" {
				t.Errorf("CheckDestinationKey(%q, %q) (-want +got):\n%s", tc.ref, tc.manager, diff)
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
	lockout := []Finding{{Check: CheckKeyLockout, Document: DestKeyDoc, Index: -1, Blocking: true,
		Message: "destination key policy would not let account 222222222222 administer the key (no Allow of kms:PutKeyPolicy to arn:aws:iam::222222222222:root or a principal of the account); refusing to write it"}}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var want []Finding
			if tc.blocked {
				want = lockout
			}
			if diff := cmp.Diff(want, CheckKeyAdmin(DestKeyDoc, mustParse(t, tc.policy), lakeAcct)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
	if diff := cmp.Diff(lockout, CheckKeyAdmin(DestKeyDoc, nil, lakeAcct)); diff != "" {
		t.Errorf("nil key policy (-want +got):\n%s", diff)
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

// TestCheckAccessAllOwnedDeny: a Deny statement with a lakesync Sid (here
// in another inline policy of the role, which no merge touches) is not
// left to CheckDenies. An explicit Deny wins over every Allow, so the
// access check reports each action it certainly denies as blocking, and
// one it may deny as a warning, naming the statement; a certain Deny
// blocks even when an undecided one comes first.
func TestCheckAccessAllOwnedDeny(t *testing.T) {
	sure := `{"Sid":"LakesyncSure","Effect":"Deny","Action":"s3:PutObject","Resource":"*"}`
	unsure := `{"Sid":"LakesyncMaybe","Effect":"Deny","Action":"s3:PutObject","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}}`
	objects := "arn:aws:s3:::konfir-datalake-raw/prod/*"
	tests := []struct {
		name, guard string
		want        []Finding
	}{
		{"certain", sure, []Finding{{Check: CheckAccess, Document: DestBucketDoc, Index: -1, Blocking: true,
			Message: `s3:PutObject on ` + objects + ` is denied: denied by guard statement "LakesyncSure"`}}},
		{"undecided", unsure, []Finding{{Check: CheckAccess, Document: DestBucketDoc, Index: -1, Blocking: false,
			Message: `s3:PutObject on ` + objects + ` is uncertain: denied by guard statement "LakesyncMaybe"`}}},
		{"undecided, then certain", unsure + "," + sure, []Finding{{Check: CheckAccess, Document: DestBucketDoc, Index: -1, Blocking: true,
			Message: `s3:PutObject on ` + objects + ` is denied: denied by guard statement "LakesyncSure"`}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := pushGrant()
			docs := denyWorld(t, g, "")
			docs.Identity["guard"] = mustParse(t, `{"Statement":[`+tc.guard+`]}`)
			if diff := cmp.Diff(tc.want, allChecks(g, docs)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

// TestStatementRefString: a statement is named by its Sid, or by its index
// when it has none.
func TestStatementRefString(t *testing.T) {
	for _, tc := range []struct {
		ref  StatementRef
		want string
	}{
		{StatementRef{Document: DestBucketDoc, Index: 2, Sid: "TLSOnly"}, `destination bucket policy statement "TLSOnly"`},
		{StatementRef{Document: DestBucketDoc, Index: 2}, `destination bucket policy statement #2`},
	} {
		if got := tc.ref.String(); got != tc.want {
			t.Errorf("String() = %q, want %q", got, tc.want)
		}
	}
}
