package main

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/view"
	"github.com/lakesync/lakesync/internal/policy"
	"github.com/lakesync/lakesync/internal/testenv/moto"
)

// bucketQueries are the subresources of bucket requests and the actions
// they need by method (AWS's S3 actions, permissions and condition keys).
var bucketQueries = map[string]map[string]string{
	"location":          {"GET": "s3:GetBucketLocation"},
	"policy":            {"GET": "s3:GetBucketPolicy", "PUT": "s3:PutBucketPolicy", "DELETE": "s3:DeleteBucketPolicy"},
	"ownershipControls": {"GET": "s3:GetBucketOwnershipControls", "PUT": "s3:PutBucketOwnershipControls"},
	"encryption":        {"GET": "s3:GetEncryptionConfiguration", "PUT": "s3:PutEncryptionConfiguration"},
	"lifecycle":         {"GET": "s3:GetLifecycleConfiguration", "PUT": "s3:PutLifecycleConfiguration"},
	"versioning":        {"GET": "s3:GetBucketVersioning", "PUT": "s3:PutBucketVersioning"},
	"object-lock":       {"GET": "s3:GetBucketObjectLockConfiguration"},
	"replication":       {"GET": "s3:GetReplicationConfiguration"},
	"notification":      {"GET": "s3:GetBucketNotification"},
	"inventory":         {"GET": "s3:GetInventoryConfiguration"},
	"website":           {"GET": "s3:GetBucketWebsite"},
	"cors":              {"GET": "s3:GetBucketCORS"},
	"tagging":           {"GET": "s3:GetBucketTagging"},
	"logging":           {"GET": "s3:GetBucketLogging"},
	"publicAccessBlock": {"GET": "s3:GetBucketPublicAccessBlock", "PUT": "s3:PutBucketPublicAccessBlock"},
	"versions":          {"GET": "s3:ListBucketVersions"},
	"uploads":           {"GET": "s3:ListBucketMultipartUploads"},
}

// s3Actions are the IAM actions and resources one S3 request c needs
// (path-style: /BUCKET or /BUCKET/KEY).
func s3Actions(t *testing.T, c signedRequest) [][2]string {
	t.Helper()
	query, err := url.ParseQuery(c.query)
	must(t, err)
	p := strings.TrimPrefix(c.path, "/")
	if p == "" {
		return [][2]string{{"s3:ListAllMyBuckets", "*"}}
	}
	bucket, key, isObject := strings.Cut(p, "/")
	bucketARN := "arn:aws:s3:::" + bucket
	objectARN := bucketARN + "/" + key
	has := func(q string) bool { return query.Has(q) }
	if !isObject {
		for q, byMethod := range bucketQueries {
			if has(q) {
				if a := byMethod[c.method]; a != "" {
					return [][2]string{{a, bucketARN}}
				}
				t.Fatalf("unmapped bucket request %s ?%s", c.method, q)
			}
		}
		switch {
		case c.method == "POST" && has("delete"):
			return [][2]string{{"s3:DeleteObject", bucketARN + "/*"}, {"s3:DeleteObjectVersion", bucketARN + "/*"}}
		case c.method == "GET" || c.method == "HEAD":
			return [][2]string{{"s3:ListBucket", bucketARN}}
		case c.method == "PUT":
			return [][2]string{{"s3:CreateBucket", bucketARN}}
		case c.method == "DELETE":
			return [][2]string{{"s3:DeleteBucket", bucketARN}}
		}
		t.Fatalf("unmapped bucket request %s", c)
	}
	var out [][2]string
	if c.copySource != "" {
		src, _ := url.PathUnescape(strings.TrimPrefix(c.copySource, "/"))
		src, _, _ = strings.Cut(src, "?versionId=")
		out = append(out, [2]string{"s3:GetObject", "arn:aws:s3:::" + src})
	}
	switch {
	case has("tagging") && c.method == "GET":
		out = append(out, [2]string{"s3:GetObjectTagging", objectARN})
	case has("tagging") && c.method == "PUT":
		out = append(out, [2]string{"s3:PutObjectTagging", objectARN})
	case has("legal-hold"):
		out = append(out, [2]string{"s3:GetObjectLegalHold", objectARN})
	case has("uploadId") && c.method == "GET":
		out = append(out, [2]string{"s3:ListMultipartUploadParts", objectARN})
	case has("uploadId") && c.method == "DELETE":
		out = append(out, [2]string{"s3:AbortMultipartUpload", objectARN})
	case c.method == "GET" || c.method == "HEAD":
		a := "s3:GetObject"
		if has("versionId") {
			a = "s3:GetObjectVersion"
		}
		out = append(out, [2]string{a, objectARN})
	case c.method == "PUT" || c.method == "POST":
		out = append(out, [2]string{"s3:PutObject", objectARN})
	case c.method == "DELETE":
		out = append(out, [2]string{"s3:DeleteObject", objectARN})
	default:
		t.Fatalf("unmapped object request %s %s", c.method, c.path)
	}
	return out
}

// TestCIPolicyIsEnoughToMigrate: every S3 request a whole migration makes
// with each account's own credentials, recorded on the wire, is allowed
// by the migrating role's policy ci-policy prints for that account, as
// lakesync's evaluator of AWS's rules decides. moto cannot decide it
// itself: with identity policies enforced it refuses every request with
// a "/" in its query string (the delimiter of a listing by key ranges),
// whatever the policy. KMS, IAM and STS requests are not checked here.
func TestCIPolicyIsEnoughToMigrate(t *testing.T) {
	s := moto.Require(t, motoSrv)
	rec := newSigningRecorder(t, s.URL)
	w := newMigrationWorld(t, worldOptions{objects: 20, endpoint: rec.srv.URL})
	code, out, errs := runCLI(t, "", "ci-policy", "-c", w.cfg, "--json", "--role", "migrate")
	if code != 0 {
		t.Fatalf("ci-policy --role migrate: exit %d\n%s", code, errs)
	}
	var got view.CIPolicies
	must(t, json.Unmarshal([]byte(out), &got))
	type signer struct {
		account string
		policy  *policy.Document
	}
	signers := map[string]signer{}
	for _, e := range got.Policies {
		acct := map[string]*moto.Account{"prod": w.Prod, "lake": w.Lake}[e.AccountName]
		if acct == nil || e.Role != "migrate" {
			t.Fatalf("ci-policy printed the %s role of account %q", e.Role, e.AccountName)
		}
		doc, err := policy.Parse(e.Policy)
		must(t, err)
		user := ciUser(t, acct, "ci-migrate", e.AccountName, e.Policy)
		signers[user.AccessKeyID] = signer{acct.ID, doc}
		if e.AccountName == "prod" {
			w.Prod = user
		} else {
			w.Lake = user
		}
	}
	if len(signers) != 2 {
		t.Fatalf("ci-policy gave %d migrating policies, want one per account", len(signers))
	}
	env, err := s.WriteSharedConfig(t.TempDir(), w.Prod, w.Lake)
	must(t, err)
	env.Setenv(t)

	code, out, errs = runCLI(t, "", "migrate", "move", "-c", w.cfg, "--auto-approve", "--confirm-delete-source", moveBucket)
	if code != 0 || !strings.Contains(out, "migration move: done, 100%") {
		t.Fatalf("migrate as the CI users: exit %d\n%s%s", code, out, errs)
	}
	calls := rec.requests()
	checked := map[string]bool{}
	for _, c := range calls {
		sg, ok := signers[c.accessKey]
		if !ok || c.service != "s3" {
			continue // the test's own requests, and KMS, IAM, STS
		}
		for _, a := range s3Actions(t, c) {
			req := policy.Request{Principal: "arn:aws:iam::" + sg.account + ":user/ci-migrate", PrincipalAccount: sg.account,
				Action: a[0], Resource: a[1], ResourceAccount: sg.account}
			if d := policy.Evaluate(req, policy.Documents{Identity: map[string]*policy.Document{"ci-policy": sg.policy}}); !d.Allowed() {
				t.Errorf("account %s: %s %s needs %s on %s, which the migrating policy does not allow (%s)", sg.account, c.method, c.path, a[0], a[1], d.Outcome)
			}
			checked[a[0]] = true
		}
	}
	for _, a := range []string{"s3:CreateBucket", "s3:DeleteBucket", "s3:ListBucketVersions", "s3:DeleteObjectVersion", "s3:GetReplicationConfiguration", "s3:PutObject", "s3:GetObject"} {
		if !checked[a] {
			t.Errorf("no request needed %s: the recording missed the migration's requests (%d recorded)", a, len(calls))
		}
	}
}
