package plan

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/policy"
)

const (
	testKeyARN       = "arn:aws:kms:eu-west-1:222222222222:key/1111aaaa-22bb-33cc-44dd-555555eeeeee"
	defaultKeyPolicy = `{"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"kms:*","Resource":"*"}]}`
)

func pushConfig(t *testing.T) *config.Config {
	t.Helper()
	return loadExample(t, "../../examples/push/lakesync.hcl")
}

// emptyWorld is what exec observes before lakesync ever ran: buckets
// without policies or settings, the key with its default policy, the role
// without inline policies.
func emptyWorld() *Observed {
	return &Observed{
		Buckets: map[string]*ObservedBucket{
			"prod": {Exists: true, Region: "eu-west-1"},
			"lake": {Exists: true, Region: "eu-west-1"},
		},
		Keys: map[string]*ObservedKey{
			"lake": {Exists: true, ARN: testKeyARN, KeyManager: "CUSTOMER", KeyState: "Enabled", KeySpec: "SYMMETRIC_DEFAULT", KeyUsage: "ENCRYPT_DECRYPT", Policy: []byte(defaultKeyPolicy)},
		},
		Roles: map[string]*ObservedRole{
			"copier": {Exists: true, ARN: "arn:aws:iam::111111111111:role/lakesync-copier", InlinePolicies: map[string][]byte{}},
		},
	}
}

func actions(p *Plan) map[string]string {
	out := map[string]string{}
	for _, d := range p.Documents {
		out[d.Address.String()+" "+d.Kind] = d.Action
	}
	for _, s := range p.Settings {
		out[s.Address.String()+" "+s.Setting] = s.Action
	}
	return out
}

// applied returns the world after p was applied to obs.
func applied(obs *Observed, p *Plan) *Observed {
	for _, d := range p.Documents {
		name := d.Address.Name
		switch d.Kind {
		case BucketPolicy:
			obs.Buckets[name].Policy = d.After
		case KeyPolicy:
			obs.Keys[name].Policy = d.After
		case RolePolicy:
			if d.After == nil {
				delete(obs.Roles[name].InlinePolicies, d.PolicyName)
			} else {
				obs.Roles[name].InlinePolicies[d.PolicyName] = d.After
			}
		}
	}
	for _, s := range p.Settings {
		b := obs.Buckets[s.Address.Name]
		switch s.Setting {
		case SettingObjectOwnership:
			b.ObjectOwnership = "BucketOwnerEnforced"
		case SettingDefaultEncryption:
			b.Encryption = &BucketEncryption{Algorithm: "aws:kms", KMSKeyID: s.KeyARN, BucketKeyEnabled: true}
		case SettingAbortIncomplete:
			b.AbortIncompleteDays = AbortIncompleteDays
		}
	}
	return obs
}

func TestComputeFirstPlanThenNoChanges(t *testing.T) {
	cfg := pushConfig(t)
	obs := emptyWorld()
	p, err := Compute(cfg, obs)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"bucket.prod bucket_policy":                      ActionNoOp,   // push: the source is the role's own account
		"bucket.lake bucket_policy":                      ActionCreate, // grants the foreign copier
		"key.lake key_policy":                            ActionUpdate, // default policy + the copier's statement
		"role.copier role_policy":                        ActionCreate,
		"bucket.lake object_ownership":                   ActionCreate,
		"bucket.lake default_encryption":                 ActionCreate,
		"bucket.lake abort_incomplete_multipart_uploads": ActionCreate,
	}
	if diff := cmp.Diff(want, actions(p)); diff != "" {
		t.Fatalf("first plan (-want +got):\n%s", diff)
	}
	if p.Blocked() {
		t.Fatalf("first plan is blocked: %+v", p.Findings)
	}
	for _, f := range p.Findings {
		if f.Check == "access" {
			t.Errorf("after the first apply every request must be allowed: %s", f.Message)
		}
	}
	if !p.HasChanges() {
		t.Error("HasChanges is false for a plan with changes")
	}

	again, err := Compute(cfg, applied(obs, p))
	if err != nil {
		t.Fatal(err)
	}
	for k, a := range actions(again) {
		if a != ActionNoOp {
			t.Errorf("second plan: %s is %s, want no-op", k, a)
		}
	}
	if again.HasChanges() {
		t.Error("second plan has changes")
	}
}

func TestComputeKeepsForeignStatements(t *testing.T) {
	cfg := pushConfig(t)
	obs := emptyWorld()
	foreign := `{"Sid":"Analytics","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::333333333333:root"},"Action":["s3:GetObject"],"Resource":"arn:aws:s3:::konfir-datalake-raw/analytics/*"}`
	obs.Buckets["lake"].Policy = []byte(`{"Version":"2012-10-17","Statement":[` + foreign + `]}`)
	p, err := Compute(cfg, obs)
	if err != nil {
		t.Fatal(err)
	}
	seen := false
	for _, d := range p.Documents {
		if d.Address.String() != "bucket.lake" {
			continue
		}
		seen = true
		if d.Action != ActionUpdate || !strings.Contains(string(d.After), foreign) {
			t.Fatalf("bucket.lake: action %s, after %s", d.Action, d.After)
		}
		for _, st := range d.Statements {
			if st.Sid == "Analytics" && st.Action != "no-op" {
				t.Errorf("the foreign statement is %s", st.Action)
			}
		}
	}
	if !seen {
		t.Error("the plan has no document bucket.lake")
	}
}

func TestComputeRefuses(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Observed)
		want   []string
	}{
		{"invalid bucket policy", func(o *Observed) { o.Buckets["lake"].Policy = []byte(`{"Statement": [`) },
			[]string{"bucket policy of konfir-datalake-raw", "account lake (222222222222)", "not a valid policy document"}},
		{"missing bucket", func(o *Observed) { o.Buckets["lake"].Exists = false },
			[]string{"bucket.lake", "konfir-datalake-raw", "does not exist"}},
		{"bucket in another region", func(o *Observed) { o.Buckets["prod"].Region = "us-east-1" },
			[]string{"bucket.prod", "us-east-1", "eu-west-1"}},
		{"key pending deletion", func(o *Observed) { o.Keys["lake"].KeyState = "PendingDeletion" },
			[]string{"key.lake", "PendingDeletion"}},
		{"key disabled", func(o *Observed) { o.Keys["lake"].KeyState = "Disabled" },
			[]string{"key.lake", "Disabled", "enable it"}},
		{"AWS-managed key", func(o *Observed) { o.Keys["lake"].KeyManager = "AWS" },
			[]string{"key.lake", "AWS-managed"}},
		{"missing key", func(o *Observed) { o.Keys["lake"].Exists = false },
			[]string{"key.lake", "alias/datalake", "does not exist"}},
		{"asymmetric key", func(o *Observed) { o.Keys["lake"].KeySpec = "RSA_2048" },
			[]string{"key.lake", "RSA_2048", "symmetric keys only"}},
		{"signing key", func(o *Observed) { o.Keys["lake"].KeyUsage = "SIGN_VERIFY" },
			[]string{"key.lake", "SIGN_VERIFY", "ENCRYPT_DECRYPT"}},
		{"key not observed", func(o *Observed) { delete(o.Keys, "lake") },
			[]string{"key.lake", "alias/datalake", "account lake 222222222222", "was not observed"}},
		{"bucket not observed", func(o *Observed) { delete(o.Buckets, "lake") },
			[]string{"bucket.lake", "konfir-datalake-raw", "account lake 222222222222", "was not observed"}},
		{"role not observed", func(o *Observed) { delete(o.Roles, "copier") },
			[]string{"role.copier", "lakesync-copier", "does not exist"}},
		{"invalid key policy", func(o *Observed) { o.Keys["lake"].Policy = []byte(`{`) },
			[]string{"key policy of " + testKeyARN, "not a valid policy document"}},
		{"invalid role policy", func(o *Observed) { o.Roles["copier"].InlinePolicies[policy.RolePolicyName] = []byte(`[1]`) },
			[]string{"inline policy of role lakesync-copier", "account prod (111111111111)", "not a valid policy document"}},
		{"missing role", func(o *Observed) { o.Roles["copier"].Exists = false },
			[]string{"role.copier", "lakesync-copier", "does not exist", "111111111111"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obs := emptyWorld()
			tt.change(obs)
			_, err := Compute(pushConfig(t), obs)
			if err == nil {
				t.Fatal("Compute succeeded")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q: %v", w, err)
				}
			}
		})
	}
}

func TestComputeBlockingFindings(t *testing.T) {
	t.Run("foreign deny", func(t *testing.T) {
		obs := emptyWorld()
		obs.Buckets["lake"].Policy = []byte(`{"Version":"2012-10-17","Statement":[{"Sid":"NoForeignWrites","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::konfir-datalake-raw/*"}]}`)
		p, err := Compute(pushConfig(t), obs)
		if err != nil {
			t.Fatal(err)
		}
		if !p.Blocked() || !strings.Contains(findingText(p), "NoForeignWrites") {
			t.Fatalf("want a blocking finding naming NoForeignWrites, got %s", findingText(p))
		}
	})
	t.Run("key lock-out", func(t *testing.T) {
		obs := emptyWorld()
		obs.Keys["lake"].Policy = []byte(`{"Version":"2012-10-17","Statement":[{"Sid":"UseOnly","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:role/app"},"Action":"kms:Decrypt","Resource":"*"}]}`)
		p, err := Compute(pushConfig(t), obs)
		if err != nil {
			t.Fatal(err)
		}
		if !p.Blocked() || !strings.Contains(findingText(p), "key.lake") {
			t.Fatalf("want a blocking lock-out finding on key.lake, got %s", findingText(p))
		}
	})
}

func findingText(p *Plan) string {
	var b strings.Builder
	for _, f := range p.Findings {
		b.WriteString(f.Document + " " + f.Sid + ": " + f.Message + "\n")
	}
	return b.String()
}

func TestComputeStreamNeedsNoGrant(t *testing.T) {
	cfg := loadExample(t, "../../examples/stream/lakesync.hcl")
	obs := &Observed{
		Buckets: map[string]*ObservedBucket{"vendor": {Exists: true, Region: "us-east-1"}, "lake": {Exists: true, Region: "eu-west-1"}},
		Keys:    map[string]*ObservedKey{"lake": {Exists: true, ARN: testKeyARN, KeyManager: "CUSTOMER", KeyState: "Enabled", Policy: []byte(defaultKeyPolicy)}},
	}
	p, err := Compute(cfg, obs)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range p.Documents {
		if d.Action != ActionNoOp {
			t.Errorf("stream job changes %s: %s", d.Address, d.Action)
		}
	}
	if len(p.Jobs) != 1 || len(p.Jobs[0].Notes) == 0 || !strings.Contains(p.Jobs[0].Notes[0], "own credentials") {
		t.Errorf("the stream job should say it needs no grant: %+v", p.Jobs)
	}
}

func TestPartCount(t *testing.T) {
	for _, tt := range []struct{ size, part, want int64 }{
		{12 << 20, 5 << 20, 3},
		{1 << 30, 64 << 20, 16},
		{5 << 40, 64 << 20, 9987}, // part size raised to whole MiB, as the copy does (TestPartSize)
		{1, 64 << 20, 1},
		{5<<40 + 1, 64 << 20, 0}, // over S3's 5 TiB: no upload can hold it
		{-1, 64 << 20, 0},
	} {
		if got := PartCount(tt.size, tt.part); got != tt.want {
			t.Errorf("PartCount(%d, %d) = %d, want %d", tt.size, tt.part, got, tt.want)
		}
	}
}

// TestComputeJobPlans: what the plan says of each kind of job. A server-
// side job with a copier role is push (the role in the source account) and
// gets its grants; a stream job needs none, each side using its own
// credentials; a server-side job without a role copies within one account
// with its own credentials and needs no statement either.
func TestComputeJobPlans(t *testing.T) {
	tests := []struct {
		name    string
		config  func(t *testing.T) *config.Config
		world   func() *Observed
		want    *JobPlan
		changes []string // documents the plan changes
	}{
		{"push", pushConfig, emptyWorld,
			&JobPlan{Name: "prod_to_lake", Mode: "sync", Transfer: "server-side", Topology: "push",
				Source: "s3://konfir-prod-data/exports/", Dest: "s3://konfir-datalake-raw/prod/", DataListing: DataSkipped, Archived: "skip"},
			[]string{"bucket.lake", "key.lake", "role.copier"}},
		{"stream", func(t *testing.T) *config.Config { return loadExample(t, "../../examples/stream/lakesync.hcl") }, streamWorld,
			&JobPlan{Name: "vendor_feed", Mode: "sync", Transfer: "stream", Topology: policy.NoTopology,
				Source: "s3://vendor-deliveries/konfir/", Dest: "s3://konfir-datalake-raw/vendor/", Notes: []string{policy.StreamNote},
				CrossRegion: true, SourceRegion: "us-east-1", DestinationRegion: "eu-west-1", DataListing: DataSkipped, Archived: "skip"},
			nil},
		{"same account, no role", func(t *testing.T) *config.Config {
			cfg := pushConfig(t)
			cfg.Jobs[0].Role = nil
			cfg.Jobs[0].Source.Account = cfg.Jobs[0].Destination.Account
			return cfg
		}, emptyWorld,
			&JobPlan{Name: "prod_to_lake", Mode: "sync", Transfer: "server-side", Topology: "same-account",
				Source: "s3://konfir-prod-data/exports/", Dest: "s3://konfir-datalake-raw/prod/",
				Notes:       []string{"no copier role: the destination account's own credentials copy within the account; no policy statement needed"},
				DataListing: DataSkipped, Archived: "skip"},
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Compute(tt.config(t), tt.world())
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]*JobPlan{tt.want}, p.Jobs); diff != "" {
				t.Errorf("jobs (-want +got):\n%s", diff)
			}
			var changes []string
			for _, d := range p.Documents {
				if d.Action != ActionNoOp {
					changes = append(changes, d.Address.String())
				}
			}
			if diff := cmp.Diff(tt.changes, changes); diff != "" {
				t.Errorf("changed documents (-want +got):\n%s", diff)
			}
			for _, f := range p.Findings {
				t.Errorf("finding: %+v", f)
			}
		})
	}
}

// streamWorld is what exec observes for examples/stream before any apply.
func streamWorld() *Observed {
	return &Observed{
		Buckets: map[string]*ObservedBucket{"vendor": {Exists: true, Region: "us-east-1"}, "lake": {Exists: true, Region: "eu-west-1"}},
		Keys:    map[string]*ObservedKey{"lake": {Exists: true, ARN: testKeyARN, KeyManager: "CUSTOMER", KeyState: "Enabled", Policy: []byte(defaultKeyPolicy)}},
	}
}
