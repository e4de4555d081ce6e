package plan_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/plan"
	"github.com/lakesync/lakesync/internal/policy"
)

// The statements lakesync writes for every example are least-privilege:
// no wildcard action, no "*" resource outside key policies, S3 resources
// only the job's buckets and prefixes, KMS resources only the job's exact
// key ARN, aws:SecureTransport on every S3 allow, and no principal wider
// than the job's copier role.
func TestExamplesAreLeastPrivilege(t *testing.T) {
	var files []string
	err := filepath.WalkDir("../../examples", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".hcl") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 5 {
		t.Fatalf("found %d example files: %v", len(files), files)
	}
	total := 0
	for _, file := range files {
		t.Run(filepath.Base(filepath.Dir(file)), func(t *testing.T) {
			l := config.NewLoader(os.ReadFile, os.LookupEnv)
			l.LookupEnv = func(string) (string, bool) { return "", false }
			cfg, diags := l.LoadFile(file)
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			obs, keyARN := syntheticWorld(cfg)
			p, err := plan.Compute(cfg, obs)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, d := range p.Documents {
				if d.After == nil {
					continue
				}
				doc, err := policy.Parse(d.After)
				if err != nil {
					t.Fatalf("%s: %v", d.Address, err)
				}
				for _, st := range doc.Statements {
					if !policy.Owned(st.Sid) {
						continue
					}
					n++
					for _, problem := range leastPrivilegeProblems(cfg, keyARN, d, st) {
						t.Errorf("%s %s: %s", d.Address, st.Sid, problem)
					}
				}
			}
			if want := grantingJobs(cfg); want > 0 && n == 0 {
				t.Fatalf("%d jobs need grants but no lakesync statement was generated", want)
			}
			t.Logf("%d lakesync statements checked", n)
			total += n
		})
	}
	t.Logf("%d statements in %d examples", total, len(files))
}

// grantingJobs counts the jobs that copy server-side with a role.
func grantingJobs(cfg *config.Config) int {
	n := 0
	for _, j := range cfg.Jobs {
		if j.Role != nil {
			n++
		}
	}
	return n
}

// syntheticWorld is the world before lakesync ever ran: every bucket in its
// account's region without policy, every key (aliases resolved to fake
// ARNs) with the default key policy, every role without inline policies.
func syntheticWorld(cfg *config.Config) (*plan.Observed, map[string]string) {
	obs := &plan.Observed{
		Buckets: map[string]*plan.ObservedBucket{},
		Keys:    map[string]*plan.ObservedKey{},
		Roles:   map[string]*plan.ObservedRole{},
	}
	keyARN := map[string]string{}
	for _, b := range cfg.Buckets {
		obs.Buckets[b.Name] = &plan.ObservedBucket{Exists: true, Region: b.Account.Region}
	}
	for i, k := range cfg.Keys {
		arn := k.ARN
		if arn == "" {
			arn = fmt.Sprintf("arn:aws:kms:%s:%s:key/00000000-0000-4000-8000-%012d", k.Account.Region, k.Account.ID, i)
		}
		keyARN[k.Name] = arn
		def := fmt.Sprintf(`{"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},"Action":"kms:*","Resource":"*"}]}`, k.Account.ID)
		obs.Keys[k.Name] = &plan.ObservedKey{Exists: true, ARN: arn, KeyManager: "CUSTOMER", KeyState: "Enabled", KeySpec: "SYMMETRIC_DEFAULT", KeyUsage: "ENCRYPT_DECRYPT", Policy: []byte(def)}
	}
	for _, r := range cfg.Roles {
		obs.Roles[r.Name] = &plan.ObservedRole{Exists: true, ARN: r.ARN(), InlinePolicies: map[string][]byte{}}
	}
	return obs, keyARN
}

// leastPrivilegeProblems lists what is wider than the job that owns st
// needs, in the document d.
func leastPrivilegeProblems(cfg *config.Config, keyARN map[string]string, d *plan.DocumentChange, st policy.Statement) []string {
	var job *config.Job
	for _, j := range cfg.Jobs {
		if policy.OwnedBy(st.Sid, j.ID()) {
			job = j
		}
	}
	if job == nil {
		return []string{"no job owns this Sid"}
	}
	if job.Role == nil {
		return []string{"a stream job (no role) has a statement"}
	}
	var out []string
	bad := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }

	if st.Effect != policy.Allow {
		bad("effect %q: lakesync only writes Allow statements", st.Effect)
	}
	if st.NotPrincipal != nil || len(st.NotAction) > 0 || len(st.NotResource) > 0 {
		bad("NotPrincipal/NotAction/NotResource grant everything else")
	}

	// Principal: exactly the job's copier role in resource policies, none
	// in the role's own policy.
	roleARN := job.Role.ARN()
	switch {
	case d.Kind == plan.RolePolicy && st.Principal != nil:
		bad("an identity policy statement has a Principal")
	case d.Kind != plan.RolePolicy && st.Principal == nil:
		bad("a resource policy statement has no Principal")
	case d.Kind != plan.RolePolicy && (st.Principal.All || len(st.Principal.IDs) != 1 || !slices.Equal(st.Principal.IDs["AWS"], policy.Values{roleARN})):
		bad("principal %+v, want exactly {AWS: %s}", *st.Principal, roleARN)
	}

	// The side of the job the statement serves, from its purpose.
	bucket, prefix := job.Destination, job.DestinationPrefix
	purpose := strings.TrimPrefix(st.Sid, policy.SidPrefix+job.ID())
	if strings.HasPrefix(purpose, "Source") {
		bucket, prefix = job.Source, job.SourcePrefix
	}
	bucketName := bucket.BucketName
	if strings.HasPrefix(purpose, "Inventory") && job.SourceInventory != nil {
		bucketName, prefix = job.SourceInventory.Bucket, job.SourceInventory.Prefix
	}
	var s3Actions, kmsActions bool
	for _, a := range st.Action {
		switch {
		case strings.Contains(a, "*"):
			bad("wildcard action %q", a)
		case strings.HasPrefix(a, "s3:"):
			s3Actions = true
		case strings.HasPrefix(a, "kms:"):
			kmsActions = true
		default:
			bad("action %q is neither s3 nor kms", a)
		}
	}
	if s3Actions == kmsActions {
		bad("actions %v: want only s3 or only kms actions", st.Action)
	}
	if len(st.Resource) == 0 {
		bad("no Resource")
	}

	if s3Actions {
		bucketARN := "arn:aws:s3:::" + bucketName
		for _, r := range st.Resource {
			if r != bucketARN && r != bucketARN+"/"+prefix+"*" {
				bad("S3 resource %q is outside %s and %s/%s*", r, bucketARN, bucketARN, prefix)
			}
		}
		if got := st.Condition["Bool"]["aws:SecureTransport"]; !slices.Equal(got, policy.Values{"true"}) {
			bad("aws:SecureTransport is %v, want [true]", got)
		}
		if slices.Contains(st.Action, "s3:ListBucket") && prefix != "" {
			if got := st.Condition["StringLike"]["s3:prefix"]; !slices.Equal(got, policy.Values{prefix + "*"}) {
				bad("s3:ListBucket with s3:prefix %v, want [%s*]", got, prefix)
			}
		}
		if d.Kind == plan.KeyPolicy {
			bad("S3 actions in a key policy")
		}
	}

	if kmsActions {
		if bucket.Key == nil {
			bad("KMS actions for bucket %s, which has no customer-managed key", bucket.BucketName)
			return out
		}
		want := keyARN[bucket.Key.Name]
		switch d.Kind {
		case plan.KeyPolicy:
			// In a key policy "*" means this key, and only there.
			if d.Resource != want {
				bad("statement in the policy of key %s, want key %s", d.Resource, want)
			}
			if !slices.Equal(st.Resource, policy.Values{"*"}) {
				bad("key policy resource %v, want [*] (this key)", st.Resource)
			}
		case plan.RolePolicy:
			if !slices.Equal(st.Resource, policy.Values{want}) {
				bad("KMS resource %v, want exactly [%s]", st.Resource, want)
			}
		default:
			bad("KMS actions in a %s", d.Kind)
		}
		via := "s3." + bucket.Account.Region + ".amazonaws.com"
		if got := st.Condition["StringEquals"]["kms:ViaService"]; !slices.Equal(got, policy.Values{via}) {
			bad("kms:ViaService %v, want [%s]", got, via)
		}
	}
	return out
}

// The checker itself finds each kind of over-grant: a test that cannot
// fail proves nothing.
func TestLeastPrivilegeChecker(t *testing.T) {
	l := config.NewLoader(os.ReadFile, os.LookupEnv)
	l.LookupEnv = func(string) (string, bool) { return "", false }
	cfg, diags := l.LoadFile("../../examples/push/lakesync.hcl")
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	_, keyARN := syntheticWorld(cfg)
	role := cfg.Roles[0].ARN()
	job := cfg.Jobs[0]
	sid := func(p policy.Purpose) string { return policy.SidFor(job.ID(), p) }
	secure := policy.Condition{"Bool": {"aws:SecureTransport": {"true"}}}
	bucketDoc := &plan.DocumentChange{Address: plan.Ref{Kind: plan.KindBucket, Name: "lake"}, Kind: plan.BucketPolicy}
	roleDoc := &plan.DocumentChange{Address: plan.Ref{Kind: plan.KindRole, Name: "copier"}, Kind: plan.RolePolicy}
	keyDoc := &plan.DocumentChange{Address: plan.Ref{Kind: plan.KindKey, Name: "lake"}, Kind: plan.KeyPolicy, Resource: keyARN["lake"]}
	write := func() policy.Statement {
		return policy.Statement{Sid: sid(policy.DestWrite), Effect: policy.Allow, Principal: policy.AWSPrincipal(role),
			Action: policy.Values{"s3:PutObject"}, Resource: policy.Values{"arn:aws:s3:::konfir-datalake-raw/prod/*"}, Condition: secure}
	}
	if got := leastPrivilegeProblems(cfg, keyARN, bucketDoc, write()); len(got) != 0 {
		t.Fatalf("a correct statement fails: %v", got)
	}
	tests := []struct {
		name string
		doc  *plan.DocumentChange
		edit func(*policy.Statement)
		want string
	}{
		{"s3:*", bucketDoc, func(s *policy.Statement) { s.Action = policy.Values{"s3:*"} }, "wildcard action"},
		{"*", bucketDoc, func(s *policy.Statement) { s.Action = policy.Values{"*"} }, "wildcard action"},
		{"resource *", bucketDoc, func(s *policy.Statement) { s.Resource = policy.Values{"*"} }, "outside"},
		{"whole bucket", bucketDoc, func(s *policy.Statement) { s.Resource = policy.Values{"arn:aws:s3:::konfir-datalake-raw/*"} }, "outside"},
		{"other bucket", bucketDoc, func(s *policy.Statement) { s.Resource = policy.Values{"arn:aws:s3:::konfir-prod-data/prod/*"} }, "outside"},
		{"no SecureTransport", bucketDoc, func(s *policy.Statement) { s.Condition = nil }, "aws:SecureTransport"},
		{"account root", bucketDoc, func(s *policy.Statement) { s.Principal = policy.AWSPrincipal("arn:aws:iam::111111111111:root") }, "principal"},
		{"anyone", bucketDoc, func(s *policy.Statement) { s.Principal = &policy.Principal{All: true} }, "principal"},
		{"NotResource", bucketDoc, func(s *policy.Statement) { s.NotResource = policy.Values{"arn:aws:s3:::x/*"} }, "NotResource"},
		{"principal in a role policy", roleDoc, func(*policy.Statement) {}, "has a Principal"},
		{"KMS * in a role policy", roleDoc, func(s *policy.Statement) {
			*s = policy.Statement{Sid: sid(policy.DestKey), Effect: policy.Allow, Action: policy.Values{"kms:Decrypt"}, Resource: policy.Values{"*"},
				Condition: policy.Condition{"StringEquals": {"kms:ViaService": {"s3.eu-west-1.amazonaws.com"}}}}
		}, "want exactly"},
		{"kms:* in a key policy", keyDoc, func(s *policy.Statement) {
			*s = policy.Statement{Sid: sid(policy.DestKey), Effect: policy.Allow, Principal: policy.AWSPrincipal(role), Action: policy.Values{"kms:*"}, Resource: policy.Values{"*"},
				Condition: policy.Condition{"StringEquals": {"kms:ViaService": {"s3.eu-west-1.amazonaws.com"}}}}
		}, "wildcard action"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := write()
			tt.edit(&st)
			got := leastPrivilegeProblems(cfg, keyARN, tt.doc, st)
			if !strings.Contains(strings.Join(got, "; "), tt.want) {
				t.Errorf("problems %q, want one about %q", got, tt.want)
			}
		})
	}
}
