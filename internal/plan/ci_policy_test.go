package plan

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/policy"
)

func loadExample(t *testing.T, path string) *config.Config {
	t.Helper()
	l := config.NewLoader(os.ReadFile, os.LookupEnv)
	l.LookupEnv = func(string) (string, bool) { return "", false }
	cfg, diags := l.LoadFile(path)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	return cfg
}

// ciShape is a CI policy as account -> Sid -> actions and resources, for
// comparing with cmp.
type ciShape map[string]map[string][2][]string

func shapeOf(ps []CIPolicy) ciShape {
	out := ciShape{}
	for _, p := range ps {
		m := map[string][2][]string{}
		for _, s := range p.Document.Statements {
			m[s.Sid] = [2][]string{s.Action, s.Resource}
		}
		out[p.Account.Name] = m
	}
	return out
}

func TestCIPoliciesPush(t *testing.T) {
	cfg := pushConfig(t)
	const (
		prodBucket = "arn:aws:s3:::konfir-prod-data"
		lakeBucket = "arn:aws:s3:::konfir-datalake-raw"
		copier     = "arn:aws:iam::111111111111:role/lakesync-copier"
		lakeKeys   = "arn:aws:kms:eu-west-1:222222222222:key/*"
	)
	readBuckets := []string{"s3:GetBucketLocation", "s3:GetBucketPolicy", "s3:GetBucketOwnershipControls", "s3:GetEncryptionConfiguration", "s3:GetLifecycleConfiguration", "s3:GetBucketVersioning", "s3:GetBucketObjectLockConfiguration"}
	readKeys := []string{"kms:DescribeKey", "kms:GetKeyPolicy"}
	readRoles := []string{"iam:GetRole", "iam:ListRolePolicies", "iam:GetRolePolicy"}
	plan := ciShape{
		"prod": {
			"CIReadBuckets": {readBuckets, {prodBucket}},
			"CIReadRoles":   {readRoles, {copier}},
		},
		"lake": {
			"CIReadBuckets":     {readBuckets, {lakeBucket}},
			"CIReadKeysByAlias": {readKeys, {lakeKeys}},
		},
	}
	ps, err := CIPolicies(cfg, CIPolicyOptions{Role: CIPlanRole})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(plan, shapeOf(ps)); diff != "" {
		t.Errorf("plan role (-want +got):\n%s", diff)
	}

	apply := ciShape{
		"prod": {
			"CIReadBuckets":         {readBuckets, {prodBucket}},
			"CIReadRoles":           {readRoles, {copier}},
			"CIAssumeCopiers":       {{"sts:AssumeRole"}, {copier}},
			"CIWriteBucketPolicies": {{"s3:PutBucketPolicy", "s3:DeleteBucketPolicy"}, {prodBucket}},
			"CIWriteRolePolicies":   {{"iam:PutRolePolicy", "iam:DeleteRolePolicy"}, {copier}},
		},
		"lake": {
			"CIReadBuckets":             {readBuckets, {lakeBucket}},
			"CIReadKeysByAlias":         {readKeys, {lakeKeys}},
			"CIWriteBucketPolicies":     {{"s3:PutBucketPolicy", "s3:DeleteBucketPolicy"}, {lakeBucket}},
			"CIWriteBucketSettings":     {{"s3:PutBucketOwnershipControls", "s3:PutEncryptionConfiguration", "s3:PutLifecycleConfiguration"}, {lakeBucket}},
			"CIWriteKeyPoliciesByAlias": {{"kms:PutKeyPolicy"}, {lakeKeys}},
		},
	}
	ps, err = CIPolicies(cfg, CIPolicyOptions{Role: CIApplyRole})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(apply, shapeOf(ps)); diff != "" {
		t.Errorf("apply role (-want +got):\n%s", diff)
	}
	// The alias statement is limited to keys carrying the alias.
	for _, s := range ps[1].Document.Statements {
		if strings.HasSuffix(s.Sid, "ByAlias") {
			got := s.Condition["ForAnyValue:StringEquals"]["kms:ResourceAliases"]
			if !slices.Equal(got, []string{"alias/datalake"}) {
				t.Errorf("%s: kms:ResourceAliases = %v", s.Sid, got)
			}
		}
	}
}

func TestCIPoliciesStream(t *testing.T) {
	cfg := loadExample(t, "../../examples/stream/lakesync.hcl")
	ps, err := CIPolicies(cfg, CIPolicyOptions{Role: CIApplyRole})
	if err != nil {
		t.Fatal(err)
	}
	got := shapeOf(ps)
	want := map[string][2][]string{
		"CIStreamVendorFeedSourceRead": {{"s3:GetObject", "s3:GetObjectTagging"}, {"arn:aws:s3:::vendor-deliveries/konfir/*"}},
		"CIListStreamBuckets":          {{"s3:ListBucket"}, {"arn:aws:s3:::vendor-deliveries"}},
	}
	for sid, w := range want {
		if diff := cmp.Diff(w, got["vendor"][sid]); diff != "" {
			t.Errorf("vendor %s (-want +got):\n%s", sid, diff)
		}
	}
	if _, ok := got["vendor"]["CIWriteBucketSettings"]; ok {
		t.Error("the source account's role may change bucket settings")
	}
	dest := got["lake"]["CIStreamVendorFeedDestWrite"]
	if !slices.Equal(dest[1], []string{"arn:aws:s3:::konfir-datalake-raw/vendor/*"}) || slices.Contains(dest[0], "s3:DeleteObject") {
		t.Errorf("destination write without delete = %v", dest)
	}
	if _, ok := got["lake"]["CIStreamVendorFeedDestKeyByAlias"]; !ok {
		t.Errorf("no destination key statement: %v", got["lake"])
	}

	ps, err = CIPolicies(cfg, CIPolicyOptions{Role: CIPlanRole})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := shapeOf(ps)["vendor"]["CIListStreamBuckets"]; ok {
		t.Error("the planning role lists data without PlanData")
	}
	ps, err = CIPolicies(cfg, CIPolicyOptions{Role: CIPlanRole, PlanData: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := shapeOf(ps)["vendor"]["CIListStreamBuckets"]; !ok {
		t.Error("the planning role cannot list data with PlanData")
	}
}

// TestCIPoliciesStreamSourceKeyAndDelete: a stream job reads a
// KMS-encrypted source with the source account's own credentials, so that
// account's applying role may decrypt with the source key; a job with
// delete = true may delete at the destination. A key whose account names
// no region (the profile's region is used) is matched in any region.
func TestCIPoliciesStreamSourceKeyAndDelete(t *testing.T) {
	cfg := loadExample(t, "../../examples/stream/lakesync.hcl")
	job := cfg.Jobs[0]
	vendor := job.Source.Account
	vendor.Region = ""
	key := &config.Key{Name: "vendor", Account: vendor, Alias: "alias/vendor-exports"}
	cfg.Keys = append(cfg.Keys, key)
	job.Source.Key = key
	job.Source.Region = ""
	job.Delete = true
	ps, err := CIPolicies(cfg, CIPolicyOptions{Role: CIApplyRole})
	if err != nil {
		t.Fatal(err)
	}
	got := shapeOf(ps)
	anyRegion := "arn:aws:kms:*:333333333333:key/*"
	want := map[string][2][]string{
		"CIReadKeysByAlias":                  {{"kms:DescribeKey", "kms:GetKeyPolicy"}, {anyRegion}},
		"CIStreamVendorFeedSourceKeyByAlias": {{"kms:Decrypt"}, {anyRegion}},
	}
	for sid, w := range want {
		if diff := cmp.Diff(w, got["vendor"][sid]); diff != "" {
			t.Errorf("vendor %s (-want +got):\n%s", sid, diff)
		}
	}
	write := []string{"s3:GetObject", "s3:PutObject", "s3:PutObjectTagging", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts", "s3:DeleteObject"}
	if diff := cmp.Diff([2][]string{write, {"arn:aws:s3:::konfir-datalake-raw/vendor/*"}}, got["lake"]["CIStreamVendorFeedDestWrite"]); diff != "" {
		t.Errorf("lake CIStreamVendorFeedDestWrite (-want +got):\n%s", diff)
	}
	if _, ok := got["lake"]["CIStreamVendorFeedSourceKeyByAlias"]; ok {
		t.Error("the destination account's role may decrypt with the source key")
	}
}

// TestCIPoliciesUnknownRole: only the three CI roles have a policy.
func TestCIPoliciesUnknownRole(t *testing.T) {
	if ps, err := CIPolicies(pushConfig(t), CIPolicyOptions{Role: "deploy"}); err == nil || !strings.Contains(err.Error(), `CI role "deploy" is none of "plan", "apply" and "migrate"`) {
		t.Errorf("CIPolicies = %v, %v; want an error naming the three roles", ps, err)
	}
}

// TestCIPoliciesScoped checks every example and role: no resource is "*";
// every resource is a bucket, an object prefix of a bucket, a key, a role
// of the configuration in the policy's own account, or that account's keys
// limited by alias; the planning role only reads; the applying role can do
// everything the planning role can.
func TestCIPoliciesScoped(t *testing.T) {
	files, _ := filepath.Glob("../../examples/*/lakesync.hcl")
	if len(files) < 4 {
		t.Fatalf("found %d examples", len(files))
	}
	for _, f := range files {
		cfg := loadExample(t, f)
		byRole := map[CIRole]map[string]*policy.Document{}
		for _, opts := range []CIPolicyOptions{{Role: CIPlanRole}, {Role: CIPlanRole, PlanData: true}, {Role: CIApplyRole}} {
			ps, err := CIPolicies(cfg, opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) == 0 {
				t.Fatalf("%s %+v: no policies", f, opts)
			}
			byRole[opts.Role] = map[string]*policy.Document{}
			for _, p := range ps {
				byRole[opts.Role][p.Account.Name] = p.Document
				if _, err := p.Document.JSON(); err != nil {
					t.Errorf("%s: %v", f, err)
				}
				for _, s := range p.Document.Statements {
					checkScoped(t, f, cfg, p.Account, s)
					if opts.Role == CIPlanRole {
						checkReadOnly(t, f, s, opts.PlanData)
					}
				}
			}
		}
		for acct, doc := range byRole[CIPlanRole] {
			for _, s := range doc.Statements {
				if !slices.ContainsFunc(byRole[CIApplyRole][acct].Statements, func(a policy.Statement) bool { return policy.Equal(a, s) }) {
					t.Errorf("%s: account %s: the applying role lacks the planning role's %s", f, acct, s.Sid)
				}
			}
		}
	}
}

func checkScoped(t *testing.T, file string, cfg *config.Config, a *config.Account, s policy.Statement) {
	t.Helper()
	if len(s.Resource) == 0 || s.NotResource != nil || s.NotAction != nil || s.Effect != policy.Allow {
		t.Errorf("%s: %s: not a plain Allow with resources: %+v", file, s.Sid, s)
	}
	for _, r := range s.Resource {
		ok := false
		for _, b := range cfg.Buckets {
			ok = ok || b.Account == a && (r == b.ARN() || strings.HasPrefix(r, b.ARN()+"/"))
		}
		for _, k := range cfg.Keys {
			ok = ok || k.Account == a && r == k.ARN
		}
		for _, ro := range cfg.Roles {
			ok = ok || ro.Account == a && r == ro.ARN()
		}
		if strings.HasPrefix(r, "arn:aws:kms:") && strings.HasSuffix(r, ":"+a.ID+":key/*") {
			ok = len(s.Condition["ForAnyValue:StringEquals"]["kms:ResourceAliases"]) > 0
		}
		if !ok {
			t.Errorf("%s: account %s, %s: resource %q is not one of the configuration's in that account", file, a.Name, s.Sid, r)
		}
	}
}

func checkReadOnly(t *testing.T, file string, s policy.Statement, planData bool) {
	t.Helper()
	for _, act := range s.Action {
		_, name, _ := strings.Cut(act, ":")
		read := strings.HasPrefix(name, "Get") || strings.HasPrefix(name, "Describe") || name == "ListRolePolicies"
		data := planData && (act == "s3:ListBucket" || act == "sts:AssumeRole")
		if !read && !data {
			t.Errorf("%s: planning role (PlanData %v) may %s", file, planData, act)
		}
	}
}

func TestCIPoliciesRole(t *testing.T) {
	if _, err := CIPolicies(pushConfig(t), CIPolicyOptions{Role: "admin"}); err == nil {
		t.Fatal("no error for an unknown CI role")
	}
}

func TestCIPoliciesRemoteState(t *testing.T) {
	l := config.NewLoader(os.ReadFile, os.LookupEnv)
	l.LookupEnv = func(string) (string, bool) { return "", false }
	src, err := os.ReadFile("../../examples/push/lakesync.hcl")
	if err != nil {
		t.Fatal(err)
	}
	hcl := string(src) + "\nstate {\n  backend = \"s3\"\n  bucket  = \"konfir-datalake-raw\"\n  key     = \"lakesync/state\"\n  account = account.lake\n}\n"
	cfg, diags := l.Parse([]byte(hcl), "remote.hcl")
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	for _, tt := range []struct {
		role       CIRole
		s3, kms    string
		notS3, not string
	}{
		{CIPlanRole, "s3:GetObject", "kms:Decrypt", "s3:PutObject", "kms:GenerateDataKey"},
		{CIApplyRole, "s3:PutObject", "kms:GenerateDataKey", "", ""},
	} {
		pols, err := CIPolicies(cfg, CIPolicyOptions{Role: tt.role})
		if err != nil {
			t.Fatal(err)
		}
		var lake string
		for _, p := range pols {
			js, _ := p.Document.JSON()
			if p.Account.Name == "lake" {
				lake = string(js)
			} else if strings.Contains(string(js), "lakesync/state") {
				t.Errorf("%s role: the prod account's policy grants the state: %s", tt.role, js)
			}
		}
		for _, want := range []string{`"arn:aws:s3:::konfir-datalake-raw/lakesync/state*"`, tt.s3, tt.kms, `"CIStateKey`} {
			if !strings.Contains(lake, want) {
				t.Errorf("%s role: lake policy lacks %s:\n%s", tt.role, want, lake)
			}
		}
		stateStmt := lake[strings.Index(lake, `"CIState"`):]
		stateStmt = stateStmt[:strings.Index(stateStmt, "}")]
		if tt.notS3 != "" && strings.Contains(stateStmt, tt.notS3) {
			t.Errorf("%s role may write the state: %s", tt.role, stateStmt)
		}
	}
}

// TestCIPoliciesSameAccount: a server-side job without a copier role
// copies within the account with the account's own credentials, so the
// applying role lists both buckets, reads the source prefix and writes
// the destination prefix with its key; the planning role lists them only
// with PlanData.
func TestCIPoliciesSameAccount(t *testing.T) {
	cfg := loadExample(t, "../config/testdata/valid/same_account.hcl")
	ps, err := CIPolicies(cfg, CIPolicyOptions{Role: CIApplyRole})
	if err != nil {
		t.Fatal(err)
	}
	got := shapeOf(ps)["store"]
	want := map[string][2][]string{
		"CIListSameAccountBuckets":   {{"s3:ListBucket"}, {"arn:aws:s3:::raw", "arn:aws:s3:::lake"}},
		"CICopyRawToLakeSourceRead":  {{"s3:GetObject", "s3:GetObjectTagging"}, {"arn:aws:s3:::raw/*"}},
		"CICopyRawToLakeDestUploads": {{"s3:ListBucketMultipartUploads"}, {"arn:aws:s3:::lake"}},
		"CICopyRawToLakeDestWrite": {{"s3:GetObject", "s3:PutObject", "s3:PutObjectTagging", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"},
			{"arn:aws:s3:::lake/*"}},
		"CICopyRawToLakeDestKey": {{"kms:GenerateDataKey", "kms:Decrypt"}, {"arn:aws:kms:us-east-1:000000000000:key/store-key"}},
	}
	for sid, w := range want {
		if diff := cmp.Diff(w, got[sid]); diff != "" {
			t.Errorf("%s (-want +got):\n%s", sid, diff)
		}
	}
	for _, tt := range []struct {
		planData bool
		lists    bool
	}{{false, false}, {true, true}} {
		ps, err := CIPolicies(cfg, CIPolicyOptions{Role: CIPlanRole, PlanData: tt.planData})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := shapeOf(ps)["store"]["CIListSameAccountBuckets"]; ok != tt.lists {
			t.Errorf("planning role with PlanData %v lists the buckets: %v, want %v", tt.planData, ok, tt.lists)
		}
	}
}

// TestCIPoliciesMigrate: the migrating role does what the applying role
// does, for the configuration with the migrations' buckets and copies,
// and each migration's own bucket operations: in the bucket's account
// the checks, the census and its deletion with every version; in the
// destination account the creation of both buckets and the deletion of
// the temporary one. Only it deletes buckets; every resource is one of
// the configuration's or of its migrations'.
func TestCIPoliciesMigrate(t *testing.T) {
	cfg := loadExample(t, "../config/testdata/valid/migration.hcl")
	byRole := map[CIRole]map[string]*policy.Document{}
	for _, r := range []CIRole{CIApplyRole, CIMigrateRole} {
		ps, err := CIPolicies(cfg, CIPolicyOptions{Role: r})
		if err != nil {
			t.Fatal(err)
		}
		byRole[r] = map[string]*policy.Document{}
		for _, p := range ps {
			byRole[r][p.Account.Name] = p.Document
			for _, s := range p.Document.Statements {
				if s.Sid != "CIListOwnBuckets" { // ListAllMyBuckets has no resource but "*"
					checkScoped(t, "migration.hcl", withMigrations(cfg), p.Account, s)
				}
				if r == CIApplyRole && slices.Contains(s.Action, "s3:DeleteBucket") {
					t.Errorf("the applying role may delete buckets (%s)", s.Sid)
				}
			}
		}
	}
	got := ciShape{}
	for acct, doc := range byRole[CIMigrateRole] {
		got[acct] = shapeOf([]CIPolicy{{Account: &config.Account{Name: acct}, Document: doc}})[acct]
	}
	for _, w := range []struct {
		acct, sid, action, resource string
	}{
		{"prod", "CIMigrateProdDataSource", "s3:DeleteBucket", "arn:aws:s3:::konfir-prod-data"},
		{"prod", "CIMigrateProdDataSource", "s3:GetReplicationConfiguration", "arn:aws:s3:::konfir-prod-data"},
		{"prod", "CIMigrateProdDataSourceObjects", "s3:DeleteObjectVersion", "arn:aws:s3:::konfir-prod-data/*"},
		{"prod", "CIMigrateProdDataSourceObjects", "s3:GetObjectLegalHold", "arn:aws:s3:::konfir-prod-data/*"},
		{"prod", "CIStreamMigrationProdDataOutSourceRead", "s3:GetObject", "arn:aws:s3:::konfir-prod-data/*"},
		{"lake", "CICreateBuckets", "s3:CreateBucket", "arn:aws:s3:::konfir-prod-data"},
		{"lake", "CICreateBuckets", "s3:CreateBucket", "arn:aws:s3:::konfir-prod-data-moving"},
		{"lake", "CIMigrateProdDataTemporary", "s3:DeleteBucket", "arn:aws:s3:::konfir-prod-data-moving"},
		{"lake", "CIMigrateProdDataTemporaryObjects", "s3:DeleteObjectVersion", "arn:aws:s3:::konfir-prod-data-moving/*"},
		{"lake", "CIListOwnBuckets", "s3:ListAllMyBuckets", "*"},
		// Within one account to another region: the same account creates,
		// copies server-side as itself and deletes.
		{"prod", "CICreateBuckets", "s3:CreateBucket", "arn:aws:s3:::konfir-prod-data-fra"},
		{"prod", "CICopyMigrationToFrankfurtBackDestWrite", "s3:PutObject", "arn:aws:s3:::konfir-prod-data/*"},
		{"prod", "CIMigrateToFrankfurtTemporary", "s3:DeleteBucket", "arn:aws:s3:::konfir-prod-data-fra"},
	} {
		s, ok := got[w.acct][w.sid]
		if !ok || !slices.Contains(s[0], w.action) || !slices.Contains(s[1], w.resource) {
			t.Errorf("account %s: %s = %v, want %s on %s", w.acct, w.sid, s, w.action, w.resource)
		}
	}
	// Every action the applying role may take on a resource, under the
	// same condition, the migrating role may take too.
	for acct, doc := range byRole[CIApplyRole] {
		for _, s := range doc.Statements {
			for _, act := range s.Action {
				for _, res := range s.Resource {
					if !slices.ContainsFunc(byRole[CIMigrateRole][acct].Statements, func(m policy.Statement) bool {
						return slices.Contains(m.Action, act) && slices.Contains(m.Resource, res) && cmp.Equal(m.Condition, s.Condition)
					}) {
						t.Errorf("account %s: the migrating role may not %s on %s (the applying role's %s)", acct, act, res, s.Sid)
					}
				}
			}
		}
	}
}
