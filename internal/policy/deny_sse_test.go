package policy

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRequiredSSEContextPerAPI: the encryption headers are in the request
// context of CopyObject and CreateMultipartUpload only, so a foreign Deny
// on them is judged per call as AWS documents it: a negated operator, with
// or without IfExists, holds when the key is absent (UploadPartCopy,
// CompleteMultipartUpload), ForAnyValue does not, Null tests presence.
func TestRequiredSSEContextPerAPI(t *testing.T) {
	deny := func(condition string) string {
		return `{"Sid":"RequireKMS","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::konfir-datalake-raw/*","Condition":` + condition + `}`
	}
	ref := []StatementRef{{Document: DestBucketDoc, Index: 0, Sid: "RequireKMS", Certain: true}}
	type outcome struct {
		Outcome  string
		DeniedBy []StatementRef
	}
	allowed, denied := outcome{Allowed, nil}, outcome{Denied, ref}
	tests := []struct {
		name      string
		condition string
		want      map[string]outcome // by API call of s3:PutObject
	}{
		{"StringNotEquals aws:kms", `{"StringNotEquals":{"s3:x-amz-server-side-encryption":"aws:kms"}}`,
			map[string]outcome{"CopyObject": allowed, "CreateMultipartUpload": allowed, "UploadPartCopy": denied, "CompleteMultipartUpload": denied}},
		{"StringNotEquals AES256", `{"StringNotEquals":{"s3:x-amz-server-side-encryption":"AES256"}}`,
			map[string]outcome{"CopyObject": denied, "CreateMultipartUpload": denied, "UploadPartCopy": denied, "CompleteMultipartUpload": denied}},
		{"StringNotEqualsIfExists: true on a missing key", `{"StringNotEqualsIfExists":{"s3:x-amz-server-side-encryption":"aws:kms"}}`,
			map[string]outcome{"CopyObject": allowed, "CreateMultipartUpload": allowed, "UploadPartCopy": denied, "CompleteMultipartUpload": denied}},
		{"StringNotEquals with Null false spares the parts", `{"StringNotEquals":{"s3:x-amz-server-side-encryption":"aws:kms"},"Null":{"s3:x-amz-server-side-encryption":"false"}}`,
			map[string]outcome{"CopyObject": allowed, "CreateMultipartUpload": allowed, "UploadPartCopy": allowed, "CompleteMultipartUpload": allowed}},
		{"Null true", `{"Null":{"s3:x-amz-server-side-encryption":"true"}}`,
			map[string]outcome{"CopyObject": allowed, "CreateMultipartUpload": allowed, "UploadPartCopy": denied, "CompleteMultipartUpload": denied}},
		{"ForAnyValue is false on a missing key", `{"ForAnyValue:StringNotEquals":{"s3:x-amz-server-side-encryption":"aws:kms"}}`,
			map[string]outcome{"CopyObject": allowed, "CreateMultipartUpload": allowed, "UploadPartCopy": allowed, "CompleteMultipartUpload": allowed}},
		{"our key", `{"StringNotEquals":{"s3:x-amz-server-side-encryption-aws-kms-key-id":"` + lakeKey + `"}}`,
			map[string]outcome{"CopyObject": allowed, "CreateMultipartUpload": allowed, "UploadPartCopy": denied, "CompleteMultipartUpload": denied}},
		{"another key", `{"StringNotEquals":{"s3:x-amz-server-side-encryption-aws-kms-key-id":"` + prodKey + `"}}`,
			map[string]outcome{"CopyObject": denied, "CreateMultipartUpload": denied, "UploadPartCopy": denied, "CompleteMultipartUpload": denied}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := pushGrant()
			docs := denyWorld(t, g, deny(tc.condition))
			got := map[string]outcome{}
			for _, r := range Required(g) {
				if r.Action != "s3:PutObject" {
					continue
				}
				d := Evaluate(r, docs)
				got[r.API] = outcome{d.Outcome, d.DeniedBy}
				if d.Allow != Allowed {
					t.Errorf("%s: the generated grants do not allow it: %s %v", r.API, d.Allow, d.Missing)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("per call (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCheckDeniesSSE: the usual "encrypted uploads only" Deny blocks only
// the multipart copies; it stops the apply when the plan copies objects in
// parts, and warns otherwise, saying what to change.
func TestCheckDeniesSSE(t *testing.T) {
	foreign := `{"Sid":"RequireKMS","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::konfir-datalake-raw/*","Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption":"aws:kms"}}}`
	advice := []string{`add "Null": {"s3:x-amz-server-side-encryption": "false"} to this statement, so that it denies only requests that carry s3:x-amz-server-side-encryption with another value (S3 encrypts the others with the bucket's default encryption, which lakesync sets), or objects over 5 GiB cannot be copied`}
	for _, planned := range []bool{false, true} {
		g := pushGrant()
		g.PartsPlanned = planned
		fs := allChecks(g, denyWorld(t, g, foreign))
		if len(fs) != 1 {
			t.Fatalf("planned %v: findings = %+v", planned, fs)
		}
		f := fs[0]
		which := ""
		if planned {
			which = ", which this plan copies"
		}
		msg := `Deny statement "RequireKMS" in the destination bucket policy of bucket konfir-datalake-raw blocks the multipart copies of sync "prod_to_lake" (objects over 5 GiB` + which +
			`): it denies s3:PutObject (UploadPartCopy, CompleteMultipartUpload); UploadPartCopy and CompleteMultipartUpload carry no s3:x-amz-server-side-encryption, and StringNotEquals holds when the request lacks the key`
		if f.Blocking != planned || f.Message != msg || f.ConditionKeys != nil {
			t.Errorf("planned %v: finding\n got %+v\nwant blocking %v, message %q", planned, f, planned, msg)
		}
		if diff := cmp.Diff(advice, f.Advice); diff != "" {
			t.Errorf("advice (-want +got):\n%s", diff)
		}
		multipart := MultipartPossible
		if planned {
			multipart = MultipartPlanned
		}
		objects := "arn:aws:s3:::konfir-datalake-raw/prod/*"
		wantCalls := []DeniedCall{
			{API: "UploadPartCopy", Action: "s3:PutObject", Resource: objects, Outcome: Denied, Multipart: multipart},
			{API: "CompleteMultipartUpload", Action: "s3:PutObject", Resource: objects, Outcome: Denied, Multipart: multipart},
		}
		if diff := cmp.Diff(wantCalls, f.Calls); diff != "" {
			t.Errorf("calls (-want +got):\n%s", diff)
		}
	}

	// A custom threshold is named.
	g := pushGrant()
	g.MultipartThreshold = 64 << 20
	fs := CheckDenies(Required(g), denyWorld(t, g, foreign))
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "(objects over 64 MiB)") ||
		!strings.HasSuffix(fs[0].Advice[0], "or objects over 64 MiB cannot be copied") {
		t.Errorf("findings = %+v", fs)
	}
}

// TestCheckDeniesSSEOnOtherActions: AWS does not document whether S3
// evaluates the encryption keys for the tagging and source-read parts of a
// copy: the statement may block, naming the key; it is never claimed
// allowed.
func TestCheckDeniesSSEOnOtherActions(t *testing.T) {
	g := pushGrant()
	docs := denyWorld(t, g, `{"Sid":"PutKMS","Effect":"Deny","Principal":"*","Action":"s3:Put*","Resource":"arn:aws:s3:::konfir-datalake-raw/*","Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption":"aws:kms"}}}`)
	var got []string
	for _, r := range Required(g) {
		if d := Evaluate(r, docs); !d.Allowed() {
			got = append(got, r.API+" "+r.Action+" "+d.Outcome+" "+strings.Join(d.DeniedBy[0].ConditionKeys, ","))
		}
	}
	want := []string{
		"UploadPartCopy s3:PutObject denied ",
		"CompleteMultipartUpload s3:PutObject denied ",
		"CopyObject s3:PutObjectTagging uncertain s3:x-amz-server-side-encryption",
		"CreateMultipartUpload s3:PutObjectTagging uncertain s3:x-amz-server-side-encryption",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	fs := CheckDenies(Required(g), docs)
	if len(fs) != 1 || fs[0].Blocking || !strings.Contains(fs[0].Message, "and may deny s3:PutObjectTagging (CopyObject, CreateMultipartUpload)") ||
		len(fs[0].Advice) != 2 || !strings.HasPrefix(fs[0].Advice[1], "AWS does not document whether S3 evaluates s3:x-amz-server-side-encryption for these actions") {
		t.Errorf("findings = %+v", fs)
	}
}
