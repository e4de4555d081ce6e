package policy

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCheckDeniesNotPrincipalNotAction: a Deny with NotPrincipal spares the
// copier only when it lists the session, the role and the account, as
// IAM's documentation shows; NotAction applies to every action it does not
// list, call by call.
func TestCheckDeniesNotPrincipalNotAction(t *testing.T) {
	session := "arn:aws:sts::111111111111:assumed-role/lakesync-copier/lakesync"
	notPrincipal := func(ids string) string {
		return `{"Sid":"OnlyUs","Effect":"Deny","NotPrincipal":{"AWS":[` + ids + `]},"Action":"s3:*",` + dstAll + `}`
	}
	tests := []struct {
		name, foreign string
		blocking      bool
		count         int
		advice        []string
	}{
		{"lists session, role and account", notPrincipal(`"` + session + `","` + prodRole + `","arn:aws:iam::111111111111:root"`), false, 0, nil},
		{"lists session, role and account id", notPrincipal(`"` + session + `","` + prodRole + `","111111111111"`), false, 0, nil},
		{"lists role and account", notPrincipal(`"` + prodRole + `","arn:aws:iam::111111111111:root"`), false, 1,
			[]string{"its NotPrincipal spares the copier only if it lists the session, the role and the account (AWS may evaluate each): add " + session + ", or the statement denies every request"}},
		{"lists session only", notPrincipal(`"` + session + `"`), false, 1,
			[]string{"its NotPrincipal spares the copier only if it lists the session, the role and the account (AWS may evaluate each): add " + prodRole + " and arn:aws:iam::111111111111:root, or the statement denies every request"}},
		{"lists another session of the role", notPrincipal(`"arn:aws:sts::111111111111:assumed-role/lakesync-copier/admin"`), true, 1,
			[]string{`the statement denies s3:ListBucket (ListObjectsV2), s3:ListBucketMultipartUploads (ListMultipartUploads), s3:GetObject (HeadObject), s3:PutObject (CopyObject, CreateMultipartUpload, UploadPartCopy, CompleteMultipartUpload), s3:PutObjectTagging (CopyObject, CreateMultipartUpload), s3:AbortMultipartUpload (AbortMultipartUpload), s3:ListMultipartUploadParts (ListParts) to the copier whatever lakesync sends: change the statement, or the job; until then the job fails`}},
		{"NotAction with an encryption condition", `{"Sid":"WritesEncrypted","Effect":"Deny","Principal":"*","NotAction":["s3:Get*","s3:List*","s3:PutObjectTagging"],` + dstAll + `,"Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption":"aws:kms"}}}`, false, 1,
			[]string{`add "Null": {"s3:x-amz-server-side-encryption": "false"} to this statement, so that it denies only requests that carry s3:x-amz-server-side-encryption with another value (S3 encrypts the others with the bucket's default encryption, which lakesync sets), or objects over 5 GiB cannot be copied`}},
	}
	messages := map[string]string{
		"lists role and account": `Deny statement "OnlyUs" in the destination bucket policy of bucket konfir-datalake-raw may block sync "prod_to_lake": it may deny every request the job makes to it ` +
			`(s3:ListBucket, s3:ListBucketMultipartUploads, s3:GetObject, s3:PutObject, s3:PutObjectTagging, s3:AbortMultipartUpload, s3:ListMultipartUploadParts); ` +
			`its NotPrincipal does not list ` + session,
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := pushGrant()
			fs := allChecks(g, denyWorld(t, g, tc.foreign))
			if len(fs) != tc.count {
				t.Fatalf("want %d findings, got %+v", tc.count, fs)
			}
			if tc.count == 0 {
				return
			}
			if fs[0].Blocking != tc.blocking {
				t.Errorf("blocking = %v, want %v: %s", fs[0].Blocking, tc.blocking, fs[0].Message)
			}
			if diff := cmp.Diff(tc.advice, fs[0].Advice); diff != "" {
				t.Errorf("advice (-want +got):\n%s", diff)
			}
			if want, ok := messages[tc.name]; ok && fs[0].Message != want {
				t.Errorf("message:\n got %s\nwant %s", fs[0].Message, want)
			}
		})
	}

	// NotAction: the ListParts and HEAD calls are spared, the aborts and
	// the parts are not.
	g := pushGrant()
	fs := CheckDenies(Required(g), denyWorld(t, g, tests[len(tests)-1].foreign))
	var calls []string
	for _, c := range fs[0].Calls {
		calls = append(calls, c.API+" "+c.Action+" "+c.Outcome)
	}
	want := []string{"UploadPartCopy s3:PutObject denied", "CompleteMultipartUpload s3:PutObject denied", "AbortMultipartUpload s3:AbortMultipartUpload denied"}
	if diff := cmp.Diff(want, calls); diff != "" {
		t.Errorf("NotAction calls (-want +got):\n%s", diff)
	}
	if fs[0].Message != `Deny statement "WritesEncrypted" in the destination bucket policy of bucket konfir-datalake-raw blocks the multipart copies of sync "prod_to_lake" (objects over 5 GiB): it denies s3:PutObject (UploadPartCopy, CompleteMultipartUpload), s3:AbortMultipartUpload (AbortMultipartUpload); UploadPartCopy, CompleteMultipartUpload and AbortMultipartUpload carry no s3:x-amz-server-side-encryption, and StringNotEquals holds when the request lacks the key` {
		t.Errorf("message = %q", fs[0].Message)
	}
}

// TestCheckDeniesPartialResource: a Deny on part of the job's prefix may
// block: the finding says which objects.
func TestCheckDeniesPartialResource(t *testing.T) {
	g := pushGrant()
	fs := allChecks(g, denyWorld(t, g, `{"Sid":"ReadOnlyArchive","Effect":"Deny","Principal":"*","NotAction":["s3:Get*","s3:List*"],"Resource":"arn:aws:s3:::konfir-datalake-raw/prod/archive/*"}`))
	if len(fs) != 1 {
		t.Fatalf("findings = %+v", fs)
	}
	want := `Deny statement "ReadOnlyArchive" in the destination bucket policy of bucket konfir-datalake-raw may block sync "prod_to_lake": it may deny s3:PutObject (CopyObject, CreateMultipartUpload, UploadPartCopy, CompleteMultipartUpload), s3:PutObjectTagging (CopyObject, CreateMultipartUpload), s3:AbortMultipartUpload (AbortMultipartUpload); its resource covers part of the job's objects`
	if fs[0].Message != want || fs[0].Blocking || fs[0].ConditionKeys != nil {
		t.Errorf("finding = %+v", fs[0])
	}
	if diff := cmp.Diff([]string{"the statement covers the job's objects under arn:aws:s3:::konfir-datalake-raw/prod/archive/*: exclude them from the job, or copies of them fail"}, fs[0].Advice); diff != "" {
		t.Errorf("advice (-want +got):\n%s", diff)
	}
}
