package policy

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func mustParse(t *testing.T, js string) *Document {
	t.Helper()
	d, err := Parse([]byte(js))
	if err != nil {
		t.Fatalf("%v\n%s", err, js)
	}
	return d
}

const (
	acctA   = "111122223333" // owns the bucket and keys (trusting account)
	acctB   = "444455556666" // owns the role (trusted account)
	roleB   = "arn:aws:iam::444455556666:role/Dave"
	roleA   = "arn:aws:iam::111122223333:role/Carlos"
	bucketA = "arn:aws:s3:::amzn-s3-demo-bucket"
	keyA    = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
)

// The cases follow AWS's documentation, not this evaluator:
//   - IAM "Cross-account policy evaluation logic": the resource policy and the
//     principal's identity policy must both allow;
//   - IAM "Policy evaluation for requests within a single account": either
//     the identity policy or the resource policy suffices;
//   - S3 walkthrough "Example 2: Bucket owner granting cross-account bucket
//     permissions", including step 3 (explicit deny);
//   - KMS "Key policies" / "Default key policy": IAM policies have no effect
//     unless the key policy allows the account (root); a key policy naming
//     the principal suffices by itself in the key's account; cross-account
//     use needs the key policy and the external account's IAM policy;
//   - IAM "Condition operators": a missing key makes positive operators false
//     and negated operators true; NotAction applies to every other action.
func TestEvaluateDocumentedExamples(t *testing.T) {
	daveAllowsList := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:ListBucket","s3:GetLifecycleConfiguration"],"Resource":"arn:aws:s3:::amzn-s3-demo-bucket"}]}`
	bucketGrantsB := `{"Version":"2012-10-17","Statement":[{"Sid":"Example permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":["s3:GetLifecycleConfiguration","s3:ListBucket"],"Resource":"arn:aws:s3:::amzn-s3-demo-bucket"}]}`
	bucketGrantsAndDeniesB := `{"Version":"2012-10-17","Statement":[
		{"Sid":"Example permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":["s3:GetLifecycleConfiguration","s3:ListBucket"],"Resource":"arn:aws:s3:::amzn-s3-demo-bucket"},
		{"Sid":"Deny permission","Effect":"Deny","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":["s3:ListBucket"],"Resource":"arn:aws:s3:::amzn-s3-demo-bucket"}]}`
	defaultKeyPolicy := `{"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}`
	keyPolicyNoRoot := `{"Version":"2012-10-17","Statement":[{"Sid":"Allow admins","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/KeyAdmin"},"Action":"kms:*","Resource":"*"}]}`
	keyPolicyNamesCarlos := `{"Version":"2012-10-17","Statement":[{"Sid":"Allow use","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/Carlos"},"Action":["kms:Decrypt","kms:Encrypt"],"Resource":"*"}]}`
	keyPolicyExternal := `{"Version":"2012-10-17","Statement":[
		{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
		{"Sid":"Allow an external account to use this KMS key","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*","kms:GenerateDataKey*","kms:DescribeKey"],"Resource":"*"}]}`
	iamAllowsKey := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:Decrypt","kms:Encrypt"],"Resource":"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}`
	iamAllowsS3 := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`

	listB := Request{Principal: roleB, PrincipalAccount: acctB, Action: "s3:ListBucket", Resource: bucketA, ResourceAccount: acctA, Policy: DestBucketDoc}
	putA := Request{Principal: roleA, PrincipalAccount: acctA, Action: "s3:PutObject", Resource: bucketA + "/logs/x", ResourceAccount: acctA, Policy: DestBucketDoc}
	decryptA := Request{Principal: roleA, PrincipalAccount: acctA, Action: "kms:Decrypt", Resource: keyA, ResourceAccount: acctA, Policy: DestKeyDoc}
	decryptB := decryptA
	decryptB.Principal, decryptB.PrincipalAccount = roleB, acctB

	tests := []struct {
		name     string
		req      Request
		identity string // "" for none
		resource string // "" for no resource policy
		want     string
		missing  string // substring of Missing, when denied
	}{
		{name: "cross-account: both allow", req: listB, identity: daveAllowsList, resource: bucketGrantsB, want: Allowed},
		{name: "cross-account: bucket policy only", req: listB, resource: bucketGrantsB, want: Denied,
			missing: "the identity policies of arn:aws:iam::444455556666:role/Dave has no Allow for s3:ListBucket"},
		{name: "cross-account: bucket policy names the account by id", req: listB, identity: daveAllowsList,
			resource: `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::amzn-s3-demo-bucket"}]}`, want: Allowed},
		{name: "cross-account: bucket policy names another account", req: listB, identity: daveAllowsList,
			resource: `{"Statement":[{"Effect":"Allow","Principal":{"AWS":["111122223333","arn:aws:iam::111122223333:root"]},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::amzn-s3-demo-bucket"}]}`, want: Denied},
		{name: "cross-account: bucket policy names everyone", req: listB, identity: daveAllowsList,
			resource: `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::amzn-s3-demo-bucket"}]}`, want: Allowed},
		{name: "cross-account: identity policy only", req: listB, identity: daveAllowsList, want: Denied,
			missing: "destination bucket policy has no Allow for s3:ListBucket on arn:aws:s3:::amzn-s3-demo-bucket for arn:aws:iam::444455556666:role/Dave"},
		{name: "cross-account: explicit deny beats allow", req: listB, identity: daveAllowsList, resource: bucketGrantsAndDeniesB, want: Denied},
		{name: "cross-account: deny is action specific", req: func() Request { r := listB; r.Action = "s3:GetLifecycleConfiguration"; return r }(),
			identity: daveAllowsList, resource: bucketGrantsAndDeniesB, want: Allowed},
		{name: "same account: identity policy alone", req: putA, identity: iamAllowsS3, want: Allowed},
		{name: "same account: bucket policy naming the role alone", req: putA,
			resource: `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/Carlos"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*"}]}`, want: Allowed},
		{name: "same account: bucket policy granting the account root needs IAM", req: putA,
			resource: `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*"}]}`, want: Denied},
		{name: "same account: neither", req: putA, identity: `{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`, want: Denied,
			missing: "neither the identity policies"},
		{name: "kms: default key policy delegates, IAM allows", req: decryptA, identity: iamAllowsKey, resource: defaultKeyPolicy, want: Allowed},
		{name: "kms: default key policy delegates, IAM silent", req: decryptA, resource: defaultKeyPolicy, want: Denied,
			missing: "(the destination key policy delegates to IAM)"},
		{name: "kms: key policy unknown, taken as the default, IAM allows", req: decryptA, identity: iamAllowsKey, want: Allowed},
		{name: "kms: key policy unknown, taken as the default, IAM silent", req: decryptA, want: Denied,
			missing: "the identity policies of arn:aws:iam::111122223333:role/Carlos has no Allow for kms:Decrypt on " + keyA + " (the destination key policy delegates to IAM)"},
		{name: "kms: cross-account, key policy unknown", req: decryptB, identity: iamAllowsKey, want: Denied},
		{name: "kms: key policy without root, IAM allows", req: decryptA, identity: iamAllowsKey, resource: keyPolicyNoRoot, want: Denied,
			missing: "destination key policy has no Allow for kms:Decrypt"},
		{name: "kms: key policy names the principal, no IAM", req: decryptA, resource: keyPolicyNamesCarlos, want: Allowed},
		{name: "kms: cross-account, key policy and external IAM", req: decryptB, identity: iamAllowsKey, resource: keyPolicyExternal, want: Allowed},
		{name: "kms: cross-account, key policy only", req: decryptB, resource: keyPolicyExternal, want: Denied},
		{name: "kms: cross-account, external IAM only", req: decryptB, identity: iamAllowsKey, resource: defaultKeyPolicy, want: Denied,
			missing: "destination key policy has no Allow"},
		{name: "kms: cross-account, key policy names a role but not ours", req: decryptB, identity: iamAllowsKey, resource: keyPolicyNamesCarlos, want: Denied},
		{name: "NotAction deny blocks other actions", req: putA, identity: iamAllowsS3,
			resource: `{"Statement":[{"Sid":"OnlyRead","Effect":"Deny","Principal":"*","NotAction":["s3:GetObject","s3:List*"],"Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*"}]}`, want: Denied},
		{name: "NotAction deny spares listed actions", req: func() Request { r := putA; r.Action = "s3:GetObject"; return r }(), identity: iamAllowsS3,
			resource: `{"Statement":[{"Sid":"OnlyRead","Effect":"Deny","Principal":"*","NotAction":["s3:GetObject","s3:List*"],"Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*"}]}`, want: Allowed},
		{name: "NotResource deny spares the resources it lists", req: putA, identity: iamAllowsS3,
			resource: `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","NotResource":"arn:aws:s3:::amzn-s3-demo-bucket/logs/*"}]}`, want: Allowed},
		{name: "NotResource deny", req: putA, identity: iamAllowsS3,
			resource: `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","NotResource":"arn:aws:s3:::amzn-s3-demo-bucket/public/*"}]}`, want: Denied},
		{name: "action match is case-insensitive", req: putA,
			identity: `{"Statement":[{"Effect":"Allow","Action":"S3:putobj*","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*"}]}`, want: Allowed},
		{name: "resource match is case-sensitive", req: putA,
			identity: `{"Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::AMZN-s3-demo-bucket/*"}]}`, want: Denied},
		{name: "resource ? wildcard", req: putA,
			identity: `{"Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/log?/*"}]}`, want: Allowed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			docs := Documents{Identity: map[string]*Document{}, Resource: map[string]*Document{}}
			if tc.identity != "" {
				docs.Identity["inline"] = mustParse(t, tc.identity)
			}
			if tc.resource != "" {
				docs.Resource[tc.req.Policy] = mustParse(t, tc.resource)
			}
			d := Evaluate(tc.req, docs)
			if d.Outcome != tc.want {
				t.Fatalf("outcome = %s, want %s (missing %q, denied by %v)", d.Outcome, tc.want, d.Missing, d.DeniedBy)
			}
			if tc.missing != "" && !strings.Contains(strings.Join(d.Missing, "\n"), tc.missing) {
				t.Errorf("missing = %q, want it to contain %q", d.Missing, tc.missing)
			}
		})
	}
}

func TestEvaluateConditions(t *testing.T) {
	identity := `{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`
	req := func(ctx Context) Request {
		return Request{Principal: roleA, PrincipalAccount: acctA, Action: "s3:PutObject", Resource: bucketA + "/x",
			ResourceAccount: acctA, Policy: DestBucketDoc, Context: ctx}
	}
	tests := []struct {
		name   string
		policy string // the bucket policy
		ctx    Context
		want   string
	}{
		{"deny insecure transport, request uses TLS", `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`,
			Context{"aws:SecureTransport": {"true"}}, Allowed},
		{"deny insecure transport, request without TLS", `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":false}}}]}`,
			Context{"aws:SecureTransport": {"false"}}, Denied},
		{"deny outside a VPC endpoint the context does not know", `{"Statement":[{"Sid":"VpceOnly","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}}]}`,
			Context{"aws:SecureTransport": {"true"}}, Uncertain},
		{"negated operator, key known absent: true", `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}}]}`,
			Context{"aws:SourceVpce": {}}, Denied},
		{"positive operator, key known absent: false", `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}}]}`,
			Context{"aws:SourceVpce": {}}, Allowed},
		{"IfExists with absent key: true", `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringEqualsIfExists":{"aws:SourceVpce":"vpce-1a2b3c4d"}}}]}`,
			Context{"aws:SourceVpce": {}}, Denied},
		{"deny unless SSE-KMS, request uses SSE-KMS", `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"*","Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption":"aws:kms"}}}]}`,
			Context{"s3:x-amz-server-side-encryption": {"aws:kms"}}, Allowed},
		{"ArnNotLike principal deny spares our role", `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/Car*"}}}]}`,
			Context{"aws:PrincipalArn": {roleA}}, Allowed},
		{"ArnEquals principal deny hits our role", `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/Carlos"}}}]}`,
			Context{"aws:PrincipalArn": {roleA}}, Denied},
		{"unsupported operator answers maybe", `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}`,
			Context{"aws:SourceIp": {"192.0.2.1"}}, Uncertain},
		{"Null: key present", `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Null":{"s3:x-amz-server-side-encryption":"true"}}}]}`,
			Context{"s3:x-amz-server-side-encryption": {"aws:kms"}}, Allowed},
		{"key names are case-insensitive", `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"AWS:securetransport":"false"}}}]}`,
			Context{"aws:SecureTransport": {"false"}}, Denied},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			docs := Documents{Identity: map[string]*Document{"i": mustParse(t, identity)},
				Resource: map[string]*Document{DestBucketDoc: mustParse(t, tc.policy)}}
			d := Evaluate(req(tc.ctx), docs)
			if d.Outcome != tc.want {
				t.Errorf("outcome = %s, want %s (denied by %v)", d.Outcome, tc.want, d.DeniedBy)
			}
		})
	}
}

// TestEvaluateAllowCondition: an Allow whose condition does not hold grants
// nothing (the cross-account side then lacks an Allow).
func TestEvaluateAllowCondition(t *testing.T) {
	bucket := mustParse(t, `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/Dave"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::amzn-s3-demo-bucket","Condition":{"StringLike":{"s3:prefix":"prod/*"}}}]}`)
	identity := mustParse(t, `{"Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}`)
	docs := Documents{Identity: map[string]*Document{"i": identity}, Resource: map[string]*Document{DestBucketDoc: bucket}}
	for prefix, want := range map[string]string{"prod/": Allowed, "prod/2024/": Allowed, "dev/": Denied, "": Denied} {
		ctx := Context{"s3:prefix": {prefix}}
		if prefix == "" {
			ctx = Context{"s3:prefix": {}}
		}
		r := Request{Principal: roleB, PrincipalAccount: acctB, Action: "s3:ListBucket", Resource: bucketA, ResourceAccount: acctA, Policy: DestBucketDoc, Context: ctx}
		if got := Evaluate(r, docs).Outcome; got != want {
			t.Errorf("prefix %q: %s, want %s", prefix, got, want)
		}
	}
}

// TestEvaluatePrefixResources: a request for every object under a prefix is
// allowed only by a statement covering all of them, and a Deny on part of
// them may block.
func TestEvaluatePrefixResources(t *testing.T) {
	tests := []struct {
		name, identity, bucket, want string
	}{
		{"allow covers prefix", `{"Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*"}]}`, "", Allowed},
		{"allow covers exact prefix", `{"Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/prod/*"}]}`, "", Allowed},
		{"allow covers only part", `{"Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/prod/x*"}]}`, "", Uncertain},
		{"allow elsewhere", `{"Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/dev/*"}]}`, "", Denied},
		{"deny on a sub-prefix may block", `{"Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*"}]}`,
			`{"Statement":[{"Sid":"Secret","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/prod/secret/*"}]}`, Uncertain},
		{"deny on the whole bucket blocks", `{"Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*"}]}`,
			`{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:Put*","Resource":"arn:aws:s3:::b/*"}]}`, Denied},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			docs := Documents{Identity: map[string]*Document{"i": mustParse(t, tc.identity)}, Resource: map[string]*Document{}}
			if tc.bucket != "" {
				docs.Resource[DestBucketDoc] = mustParse(t, tc.bucket)
			}
			r := Request{Principal: roleA, PrincipalAccount: acctA, Action: "s3:PutObject", Resource: "arn:aws:s3:::b/prod/*", ResourceAccount: acctA, Policy: DestBucketDoc}
			if got := Evaluate(r, docs).Outcome; got != tc.want {
				t.Errorf("outcome = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestGlob(t *testing.T) {
	tests := []struct {
		pattern, text  string
		match, overlap bool
	}{
		{"*", "anything", true, true},
		{"a*c", "abbbc", true, true},
		{"a?c", "abc", true, true},
		{"a?c", "a*", false, true},
		{"a*b", "a*", false, true},
		{"b/prod/secret/*", "b/prod/*", false, true},
		{"b/dev/*", "b/prod/*", false, false},
		{"", "", true, true},
		{"x", "", false, false},
	}
	for _, tc := range tests {
		if got := globMatch(tc.pattern, tc.text, false); got != tc.match {
			t.Errorf("globMatch(%q, %q) = %v", tc.pattern, tc.text, got)
		}
		if got := globOverlap(tc.pattern, tc.text, false); got != tc.overlap {
			t.Errorf("globOverlap(%q, %q) = %v", tc.pattern, tc.text, got)
		}
	}
}

// TestRequiredAgainstGenerated wires the generated statements into
// documents (with AWS's default key policies) and checks the job's requests:
// every topology is allowed, and removing one side's grant denies exactly
// the requests that depend on it, naming the document.
func TestRequiredAgainstGenerated(t *testing.T) {
	defaultKey := func(keyARN string) *Document {
		return mustParse(t, `{"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::`+accountOf(keyARN)+`:root"},"Action":"kms:*","Resource":"*"}]}`)
	}
	build := func(t *testing.T, g Grant, drop string) Documents {
		d, err := Generate(g)
		if err != nil {
			t.Fatal(err)
		}
		docs := Documents{Identity: map[string]*Document{}, Resource: map[string]*Document{}}
		put := func(name string, base *Document, stmts []Statement) {
			m, err := Merge(base, stmts, []string{JobID(g.Job)})
			if err != nil {
				t.Fatal(err)
			}
			if name != drop && m != nil {
				docs.Resource[name] = m
			}
		}
		rp, _ := Merge(nil, d.RolePolicy, nil)
		if drop != "role" {
			docs.Identity[RolePolicyName] = rp
		}
		put(SourceBucketDoc, nil, d.SourceBucketPolicy)
		put(DestBucketDoc, nil, d.DestBucketPolicy)
		if g.Source.KeyARN != "" {
			put(SourceKeyDoc, defaultKey(g.Source.KeyARN), d.SourceKeyPolicy)
		}
		put(DestKeyDoc, defaultKey(g.Destination.KeyARN), d.DestKeyPolicy)
		return docs
	}
	for name, g := range generateCases() {
		if g.Transfer == Stream {
			if Required(g) != nil {
				t.Errorf("%s: stream job requires requests", name)
			}
			continue
		}
		t.Run(name, func(t *testing.T) {
			docs := build(t, g, "")
			for _, r := range Required(g) {
				if d := Evaluate(r, docs); !d.Allowed() {
					t.Errorf("%s on %s: %s %v %v", r.Action, r.Resource, d.Outcome, d.Missing, d.DeniedBy)
				}
			}
		})
	}

	// Push without the destination bucket policy: every destination S3 call
	// is denied, naming that document; source calls stay allowed.
	g := pushGrant()
	docs := build(t, g, DestBucketDoc)
	var denied []string
	for _, r := range Required(g) {
		d := Evaluate(r, docs)
		if !d.Allowed() {
			denied = appendUnique(denied, r.Action)
			if !strings.Contains(strings.Join(d.Missing, ""), "destination bucket policy has no Allow for "+r.Action) {
				t.Errorf("%s: missing = %q", r.Action, d.Missing)
			}
		}
	}
	want := []string{"s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:GetObject", "s3:PutObject", "s3:PutObjectTagging", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"}
	if diff := cmp.Diff(want, denied); diff != "" {
		t.Errorf("denied (-want +got):\n%s", diff)
	}

	// Push without the destination key policy statement: KMS is denied.
	docs = build(t, g, DestKeyDoc)
	docs.Resource[DestKeyDoc] = defaultKey(g.Destination.KeyARN)
	for _, r := range Required(g) {
		d := Evaluate(r, docs)
		if strings.HasPrefix(r.Action, "kms:") == d.Allowed() {
			t.Errorf("%s: outcome %s", r.Action, d.Outcome)
		}
	}

	// Pull without the role policy: everything is denied.
	pull := pushGrant()
	pull.RoleARN, pull.RoleAccount = lakeRole, lakeAcct
	docs = build(t, pull, "role")
	for _, r := range Required(pull) {
		if d := Evaluate(r, docs); d.Allowed() {
			t.Errorf("pull without role policy: %s allowed", r.Action)
		}
	}
}
