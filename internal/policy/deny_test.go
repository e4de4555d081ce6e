package policy

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// denyWorld is the push job with its generated statements in force and the
// given foreign statements (JSON objects, comma-separated) first in the
// destination bucket policy, with AWS's default key policy on the key.
func denyWorld(t *testing.T, g Grant, foreign string) Documents {
	t.Helper()
	d, err := Generate(g)
	if err != nil {
		t.Fatal(err)
	}
	current := mustParse(t, `{"Version":"2012-10-17","Statement":[`+foreign+`]}`)
	bucket, err := Merge(current, d.DestBucketPolicy, []string{JobID(g.Job)})
	if err != nil {
		t.Fatal(err)
	}
	key, err := Merge(mustParse(t, `{"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"kms:*","Resource":"*"}]}`),
		d.DestKeyPolicy, []string{JobID(g.Job)})
	if err != nil {
		t.Fatal(err)
	}
	role, err := Merge(nil, d.RolePolicy, nil)
	if err != nil {
		t.Fatal(err)
	}
	return Documents{Identity: map[string]*Document{RolePolicyName: role},
		Resource: map[string]*Document{DestBucketDoc: bucket, DestKeyDoc: key}}
}

// allChecks is what the plan reports about access: the foreign Deny
// statements and the access check.
func allChecks(g Grant, docs Documents) []Finding {
	reqs := Required(g)
	return append(CheckDenies(reqs, docs), CheckAccessAll(reqs, docs)...)
}

const dstAll = `"Resource":["arn:aws:s3:::konfir-datalake-raw","arn:aws:s3:::konfir-datalake-raw/*"]`

// TestCheckDeniesOneFindingPerStatement: a foreign Deny s3:* that lakesync
// cannot decide gives one finding, not one per action or call, naming the
// statement, its document and bucket, the key it cannot evaluate, every
// action it may block and what to make sure of.
func TestCheckDeniesOneFindingPerStatement(t *testing.T) {
	g := pushGrant()
	docs := denyWorld(t, g, `{"Sid":"OrgOnly","Effect":"Deny","Principal":"*","Action":"s3:*",`+dstAll+`,"Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}`)
	fs := allChecks(g, docs)
	for i := range fs {
		fs[i].Calls = nil // asserted in TestCheckDeniesCalls
	}
	want := []Finding{{
		Check: CheckDeny, Document: DestBucketDoc, Sid: "OrgOnly", Index: 0, Blocking: false,
		Message: `Deny statement "OrgOnly" in the destination bucket policy of bucket konfir-datalake-raw may block sync "prod_to_lake": ` +
			`it may deny every request the job makes to it (s3:ListBucket, s3:ListBucketMultipartUploads, s3:GetObject, s3:PutObject, s3:PutObjectTagging, s3:AbortMultipartUpload, s3:ListMultipartUploadParts); ` +
			`it depends on aws:PrincipalOrgID, which lakesync cannot evaluate`,
		Job: "prod_to_lake", Resource: "konfir-datalake-raw", ConditionKeys: []string{"aws:PrincipalOrgID"},
		Actions: []string{"s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:GetObject", "s3:PutObject", "s3:PutObjectTagging", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"},
		Advice:  []string{"the copier role's account 111111111111 must belong to organization o-a1b2c3d4e5, or the statement denies every request"},
	}}
	if diff := cmp.Diff(want, fs); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

// TestCheckDeniesCalls: the finding lists each call of the job the
// statement touches, with its outcome and whether only multipart copies
// make it.
func TestCheckDeniesCalls(t *testing.T) {
	g := pushGrant()
	docs := denyWorld(t, g, `{"Sid":"NoTags","Effect":"Deny","Principal":"*","Action":["s3:PutObjectTagging","s3:DeleteObject"],"Resource":"arn:aws:s3:::konfir-datalake-raw/*"}`)
	fs := CheckDenies(Required(g), docs)
	if len(fs) != 1 {
		t.Fatalf("findings = %+v", fs)
	}
	objects := "arn:aws:s3:::konfir-datalake-raw/prod/*"
	want := []DeniedCall{
		{API: "CopyObject", Action: "s3:PutObjectTagging", Resource: objects, Outcome: Denied},
		{API: "CreateMultipartUpload", Action: "s3:PutObjectTagging", Resource: objects, Outcome: Denied, Multipart: MultipartPossible},
	}
	if diff := cmp.Diff(want, fs[0].Calls); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	if !fs[0].Blocking || fs[0].Message != `Deny statement "NoTags" in the destination bucket policy of bucket konfir-datalake-raw blocks sync "prod_to_lake": it denies s3:PutObjectTagging (CopyObject, CreateMultipartUpload)` {
		t.Errorf("finding = %+v", fs[0])
	}
	if diff := cmp.Diff([]string{`the statement denies s3:PutObjectTagging (CopyObject, CreateMultipartUpload) to the copier whatever lakesync sends: change the statement, or the job; until then the job fails`}, fs[0].Advice); diff != "" {
		t.Errorf("advice (-want +got):\n%s", diff)
	}
}

// TestCheckDeniesConditionKeys: each common key lakesync cannot evaluate is
// named, with what the user must make sure of; a negated operator asks for
// a match, a positive one for none.
func TestCheckDeniesConditionKeys(t *testing.T) {
	tests := []struct {
		name, condition string
		keys            []string
		advice          []string
	}{
		{"org id", `{"StringNotEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}`, []string{"aws:PrincipalOrgID"},
			[]string{"the copier role's account 111111111111 must belong to organization o-a1b2c3d4e5, or the statement denies every request"}},
		{"org id, positive", `{"StringEquals":{"aws:PrincipalOrgID":["o-1","o-2"]}}`, []string{"aws:PrincipalOrgID"},
			[]string{"the copier role's account 111111111111 must not belong to organization o-1 or o-2, or the statement denies every request"}},
		{"org paths", `{"ForAnyValue:StringNotLike":{"aws:PrincipalOrgPaths":"o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"}}`, []string{"aws:PrincipalOrgPaths"},
			[]string{"the copier role's account 111111111111 must sit under the organization path o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/* (AWS Organizations: root and organizational units), or the statement denies every request"}},
		{"vpc endpoint", `{"StringNotEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}`, []string{"aws:SourceVpce"},
			[]string{"lakesync's requests must reach S3 through VPC endpoint vpce-1a2b3c4d: run it in a VPC whose route to S3 uses that endpoint, or the statement denies every request"}},
		{"vpc", `{"StringNotEqualsIfExists":{"aws:SourceVpc":"vpc-111bbb22"}}`, []string{"aws:SourceVpc"},
			[]string{"lakesync must run in VPC vpc-111bbb22 and reach S3 through a VPC endpoint there, or the statement denies every request"}},
		{"source ip", `{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.7/32"]}}`, []string{"aws:SourceIp"},
			[]string{"lakesync's requests must come from an address in 192.0.2.0/24 or 203.0.113.7/32 (the public address S3 sees: the host's, or its NAT gateway's; through a VPC endpoint S3 sees no public address), or the statement denies every request"}},
		{"principal tag", `{"StringNotEquals":{"aws:PrincipalTag/team":"data"}}`, []string{"aws:PrincipalTag/team"},
			[]string{"the copier role lakesync-copier must carry the tag team = data (lakesync passes no session tags), or the statement denies every request"}},
		{"user id", `{"StringNotLike":{"aws:userid":"AROAEXAMPLE:*"}}`, []string{"aws:userid"},
			[]string{"the copier's aws:userid, ROLEID:lakesync where ROLEID is what `aws iam get-role --role-name lakesync-copier --query Role.RoleId` prints, must match AROAEXAMPLE:*, or the statement denies every request"}},
		{"null", `{"Null":{"aws:PrincipalOrgID":"true"}}`, []string{"aws:PrincipalOrgID"},
			[]string{"the copier's requests must carry aws:PrincipalOrgID, or the statement denies every request"}},
		{"other key", `{"StringNotEquals":{"aws:RequestedRegion":"eu-west-1"}}`, []string{"aws:RequestedRegion"},
			[]string{"lakesync cannot know aws:RequestedRegion for the copier's requests: make sure the condition StringNotEquals aws:RequestedRegion eu-west-1 does not hold for them, or the statement denies every request"}},
		{"two keys: any one spares", `{"StringNotEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5","aws:SourceVpce":"vpce-1"}}`, []string{"aws:PrincipalOrgID", "aws:SourceVpce"},
			[]string{"the copier role's account 111111111111 must belong to organization o-a1b2c3d4e5",
				"lakesync's requests must reach S3 through VPC endpoint vpce-1: run it in a VPC whose route to S3 uses that endpoint",
				"if none of these holds, the statement denies every request"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := pushGrant()
			docs := denyWorld(t, g, `{"Sid":"Guard","Effect":"Deny","Principal":"*","Action":"s3:*",`+dstAll+`,"Condition":`+tc.condition+`}`)
			fs := allChecks(g, docs)
			if len(fs) != 1 {
				t.Fatalf("want one finding, got %d: %+v", len(fs), fs)
			}
			f := fs[0]
			if f.Blocking || f.Sid != "Guard" || f.Check != CheckDeny {
				t.Errorf("finding = %+v", f)
			}
			if diff := cmp.Diff(tc.keys, f.ConditionKeys); diff != "" {
				t.Errorf("condition keys (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.advice, f.Advice); diff != "" {
				t.Errorf("advice (-want +got):\n%s", diff)
			}
			if !strings.HasSuffix(f.Message, "it depends on "+joinAnd(tc.keys)+", which lakesync cannot evaluate") {
				t.Errorf("message = %q", f.Message)
			}
		})
	}
}

// TestKeyAdvice covers the keys lakesync normally decides itself (the
// principal's ARN and account are in every request context), for when a
// condition on them is still undecided.
func TestKeyAdvice(t *testing.T) {
	r := Request{Principal: prodRole, PrincipalAccount: prodAcct}
	tests := []struct {
		t    term
		want string
	}{
		{term{Op: "ArnNotLike", Key: "aws:PrincipalArn", Values: Values{"arn:aws:iam::*:role/lakesync-*"}},
			"the copier role's ARN arn:aws:iam::111111111111:role/lakesync-copier must match arn:aws:iam::*:role/lakesync-*"},
		{term{Op: "StringEquals", Key: "aws:PrincipalArn", Values: Values{"arn:aws:iam::111111111111:role/x"}},
			"the copier role's ARN arn:aws:iam::111111111111:role/lakesync-copier must not match arn:aws:iam::111111111111:role/x"},
		{term{Op: "StringNotEquals", Key: "aws:PrincipalAccount", Values: Values{"111111111111", "222222222222"}},
			"the copier role's account 111111111111 must be 111111111111 or 222222222222"},
		{term{Op: "Null", Key: "aws:SourceVpce", Values: Values{"false"}},
			"the copier's requests must not carry aws:SourceVpce"},
		{term{Op: "StringEquals", Key: "AWS:SOURCEVPCE", Values: Values{"vpce-9"}},
			"lakesync's requests must not reach S3 through VPC endpoint vpce-9: run it in a VPC whose route to S3 uses that endpoint"},
		{term{Op: "ForAnyValue:StringNotEqualsIfExists", Key: "aws:SourceVpc", Values: Values{"vpc-1"}},
			"lakesync must run in VPC vpc-1 and reach S3 through a VPC endpoint there"},
		{term{Op: "ForAllValues:Null", Key: "aws:SourceVpce", Values: Values{"true"}},
			"the copier's requests must carry aws:SourceVpce"},
		// A Null without a value (AWS would refuse the policy) is not
		// indexed into.
		{term{Op: "Null", Key: "aws:SourceVpce"}, "the copier's requests must not carry aws:SourceVpce"},
	}
	for _, tc := range tests {
		if got := keyAdvice(tc.t, r); got != tc.want {
			t.Errorf("keyAdvice(%s %s):\n got %q\nwant %q", tc.t.Op, tc.t.Key, got, tc.want)
		}
	}
}

// TestCheckAccessAllOncePerAction: a missing grant is reported once per
// action and resource, however many calls need it, and foreign Deny
// statements are left to CheckDenies.
func TestCheckAccessAllOncePerAction(t *testing.T) {
	g := pushGrant()
	docs := denyWorld(t, g, `{"Sid":"OrgOnly","Effect":"Deny","Principal":"*","Action":"s3:*",`+dstAll+`,"Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}`)
	docs.Identity[RolePolicyName] = mustParse(t, `{"Statement":[{"Effect":"Allow","NotAction":"s3:PutObject","Resource":"*"}]}`)
	var got []string
	for _, f := range CheckAccessAll(Required(g), docs) {
		got = append(got, f.Message)
		if !f.Blocking || f.Check != CheckAccess || f.Document != DestBucketDoc {
			t.Errorf("finding = %+v", f)
		}
	}
	want := []string{"s3:PutObject on arn:aws:s3:::konfir-datalake-raw/prod/* is denied: the identity policies of arn:aws:iam::111111111111:role/lakesync-copier has no Allow for s3:PutObject on arn:aws:s3:::konfir-datalake-raw/prod/*"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestCheckDeniesWhere: the finding names the document the statement is
// in: a key policy by its key, an identity policy by its name and role,
// and a statement without Sid by its index.
func TestCheckDeniesWhere(t *testing.T) {
	g := pushGrant()
	docs := denyWorld(t, g, `{"Sid":"Other","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::333333333333:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::konfir-datalake-raw/x/*"}`)
	key := docs.Resource[DestKeyDoc]
	key.Statements = append(key.Statements, mustParse(t, `{"Statement":[{"Sid":"KeyOrg","Effect":"Deny","Principal":"*","Action":"kms:*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}]}`).Statements...)
	docs.Identity["guard"] = mustParse(t, `{"Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}`)
	var got []string
	for _, f := range CheckDenies(Required(g), docs) {
		got = append(got, f.Document+" | "+f.Resource+" | "+f.Message)
	}
	want := []string{
		`guard | ` + prodRole + ` | Deny statement #0 (no Sid) in the policy "guard" of role ` + prodRole + ` may block sync "prod_to_lake": it may deny s3:ListBucket (ListObjectsV2), s3:GetObject (CopyObject, HeadObject, UploadPartCopy), s3:GetObjectTagging (CopyObject, GetObjectTagging), s3:ListBucketMultipartUploads (ListMultipartUploads), s3:PutObject (CopyObject, CreateMultipartUpload, UploadPartCopy, CompleteMultipartUpload), s3:PutObjectTagging (CopyObject, CreateMultipartUpload), s3:AbortMultipartUpload (AbortMultipartUpload), s3:ListMultipartUploadParts (ListParts); it depends on aws:SourceIp, which lakesync cannot evaluate`,
		`destination key policy | ` + lakeKey + ` | Deny statement "KeyOrg" in the destination key policy of key ` + lakeKey + ` may block sync "prod_to_lake": it may deny every request the job makes to it (kms:GenerateDataKey, kms:Encrypt, kms:Decrypt, kms:DescribeKey); it depends on aws:PrincipalOrgID, which lakesync cannot evaluate`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestCheckDeniesWrongEncryption: a Deny that wants another encryption
// than the SSE-KMS lakesync sends blocks every copy, and says why for the
// calls that carry the header and for those that do not.
func TestCheckDeniesWrongEncryption(t *testing.T) {
	g := pushGrant()
	fs := allChecks(g, denyWorld(t, g, `{"Sid":"AES","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::konfir-datalake-raw/*","Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption":"AES256"}}}`))
	if len(fs) != 1 {
		t.Fatalf("findings = %+v", fs)
	}
	f := fs[0]
	msg := `Deny statement "AES" in the destination bucket policy of bucket konfir-datalake-raw blocks sync "prod_to_lake": ` +
		`it denies s3:PutObject (CopyObject, CreateMultipartUpload, UploadPartCopy, CompleteMultipartUpload); ` +
		`CopyObject and CreateMultipartUpload send s3:x-amz-server-side-encryption = aws:kms, for which StringNotEquals AES256 holds; ` +
		`UploadPartCopy and CompleteMultipartUpload carry no s3:x-amz-server-side-encryption, and StringNotEquals holds when the request lacks the key`
	if !f.Blocking || f.Message != msg {
		t.Errorf("finding:\n got %+v\nwant blocking, %q", f, msg)
	}
	want := []string{
		`add "Null": {"s3:x-amz-server-side-encryption": "false"} to this statement, so that it denies only requests that carry s3:x-amz-server-side-encryption with another value (S3 encrypts the others with the bucket's default encryption, which lakesync sets), or the job fails`,
		`the statement denies s3:PutObject (CopyObject, CreateMultipartUpload) to the copier whatever lakesync sends: change the statement, or the job; until then the job fails`,
	}
	if diff := cmp.Diff(want, f.Advice); diff != "" {
		t.Errorf("advice (-want +got):\n%s", diff)
	}
}

// TestCheckDeniesEveryRequest: a Deny in another inline policy of the
// role that may apply to every call of the job (S3 and KMS alike) says
// so, instead of listing them.
func TestCheckDeniesEveryRequest(t *testing.T) {
	g := pushGrant()
	docs := denyWorld(t, g, "")
	docs.Identity["guard"] = mustParse(t, `{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}`)
	fs := CheckDenies(Required(g), docs)
	if len(fs) != 1 {
		t.Fatalf("findings = %+v", fs)
	}
	want := `Deny statement #0 (no Sid) in the policy "guard" of role ` + prodRole + ` may block sync "prod_to_lake": it may deny every request the job makes to it ` +
		`(s3:ListBucket, s3:GetObject, s3:GetObjectTagging, s3:ListBucketMultipartUploads, s3:PutObject, s3:PutObjectTagging, s3:AbortMultipartUpload, s3:ListMultipartUploadParts, ` +
		`kms:GenerateDataKey, kms:Encrypt, kms:Decrypt, kms:DescribeKey); it depends on aws:SourceIp, which lakesync cannot evaluate`
	if fs[0].Blocking || fs[0].Message != want {
		t.Errorf("finding:\n got %+v\nwant %s", fs[0], want)
	}
}

// TestCheckDeniesKey: a Deny in the key policy blocks the KMS requests S3
// makes for the copier; they have no API call of their own to name.
func TestCheckDeniesKey(t *testing.T) {
	g := pushGrant()
	docs := denyWorld(t, g, "")
	key := docs.Resource[DestKeyDoc]
	key.Statements = append(key.Statements, mustParse(t, `{"Statement":[{"Sid":"NoUse","Effect":"Deny","Principal":"*","Action":"kms:*","Resource":"*"}]}`).Statements...)
	fs := CheckDenies(Required(g), docs)
	if len(fs) != 1 {
		t.Fatalf("findings = %+v", fs)
	}
	actions := "kms:GenerateDataKey, kms:Encrypt, kms:Decrypt, kms:DescribeKey"
	want := Finding{Check: CheckDeny, Document: DestKeyDoc, Sid: "NoUse", Index: 2, Blocking: true, Job: "prod_to_lake", Resource: lakeKey,
		Message: `Deny statement "NoUse" in the destination key policy of key ` + lakeKey + ` blocks sync "prod_to_lake": it denies ` + actions,
		Actions: []string{"kms:GenerateDataKey", "kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"},
		Calls: []DeniedCall{
			{Action: "kms:GenerateDataKey", Resource: lakeKey, Outcome: Denied},
			{Action: "kms:Encrypt", Resource: lakeKey, Outcome: Denied},
			{Action: "kms:Decrypt", Resource: lakeKey, Outcome: Denied},
			{Action: "kms:DescribeKey", Resource: lakeKey, Outcome: Denied},
		},
		Advice: []string{"the statement denies " + actions + " to the copier whatever lakesync sends: change the statement, or the job; until then the job fails"},
	}
	if diff := cmp.Diff(want, fs[0]); diff != "" {
		t.Errorf("finding (-want +got):\n%s", diff)
	}
}

// TestSizeText: a multipart threshold is named in the largest binary unit
// that divides it.
func TestSizeText(t *testing.T) {
	for n, want := range map[int64]string{
		1 << 40: "1 TiB", 1 << 30: "1 GiB", 5 << 30: "5 GiB", 1536 << 20: "1536 MiB", 1 << 20: "1 MiB",
		8 << 10: "8 KiB", 1 << 10: "1 KiB", 1000: "1000 bytes", 5_000_000_000: "5000000000 bytes",
	} {
		if got := sizeText(n); got != want {
			t.Errorf("sizeText(%d) = %q, want %q", n, got, want)
		}
	}
}
