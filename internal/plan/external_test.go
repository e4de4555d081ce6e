package plan

import (
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/policy"
)

const (
	testRoleARN   = "arn:aws:iam::111111111111:role/lakesync-copier"
	lakeObjects   = "arn:aws:s3:::konfir-datalake-raw/prod/*"
	lakeBucketARN = "arn:aws:s3:::konfir-datalake-raw"
	// terraformBucketPolicy grants the copier what it needs in other
	// words than lakesync's statements: one statement, s3:*, no
	// conditions, the whole bucket.
	terraformBucketPolicy = `{"Version":"2012-10-17","Statement":[{"Sid":"TerraformCopier","Effect":"Allow","Principal":{"AWS":"` + testRoleARN + `"},"Action":"s3:*","Resource":["` + lakeBucketARN + `","` + lakeBucketARN + `/*"]}]}`
	foreignOnly           = `{"Version":"2012-10-17","Statement":[{"Sid":"AnalyticsRead","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::333333333333:root"},"Action":"s3:GetObject","Resource":"` + lakeBucketARN + `/analytics/*"}]}`
)

// gapsOf is "DOCUMENT ACTION RESOURCE" of every external-grant finding.
func gapsOf(fs []policy.Finding) []string {
	var out []string
	for _, f := range fs {
		if f.Check == CheckExternal {
			out = append(out, f.Document+" "+f.Actions[0]+" "+f.Resource)
		}
	}
	sort.Strings(out)
	return out
}

// desiredDocument is the document of the statements lakesync writes at
// addr in managed mode, as Statements exports them.
func desiredDocument(t *testing.T, cfg *config.Config, addr Ref) []byte {
	t.Helper()
	docs, err := Statements(cfg, map[string]string{"lake": testKeyARN}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if d.Address == addr {
			js, err := (&policy.Document{Version: policy.DefaultVersion, Statements: d.Statements}).JSON()
			if err != nil {
				t.Fatal(err)
			}
			return js
		}
	}
	t.Fatalf("no statements exported for %s", addr)
	return nil
}

func TestExternalDocuments(t *testing.T) {
	bucketGaps := []string{
		"bucket.lake s3:AbortMultipartUpload " + lakeObjects,
		"bucket.lake s3:GetObject " + lakeObjects,
		"bucket.lake s3:ListBucket " + lakeBucketARN,
		"bucket.lake s3:ListBucketMultipartUploads " + lakeBucketARN,
		"bucket.lake s3:ListMultipartUploadParts " + lakeObjects,
		"bucket.lake s3:PutObject " + lakeObjects,
		"bucket.lake s3:PutObjectTagging " + lakeObjects,
	}
	var keyGaps []string
	for _, a := range []string{"kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"} {
		keyGaps = append(keyGaps, "key.lake "+a+" "+testKeyARN)
	}
	var roleGaps []string
	for _, a := range []string{
		"s3:GetObject arn:aws:s3:::konfir-prod-data/exports/*", "s3:GetObjectTagging arn:aws:s3:::konfir-prod-data/exports/*", "s3:ListBucket arn:aws:s3:::konfir-prod-data",
		"kms:Decrypt " + testKeyARN, "kms:DescribeKey " + testKeyARN, "kms:Encrypt " + testKeyARN, "kms:GenerateDataKey " + testKeyARN,
	} {
		roleGaps = append(roleGaps, "role.copier "+a)
	}
	roleGaps = append(roleGaps, "role.copier s3:AbortMultipartUpload "+lakeObjects, "role.copier s3:GetObject "+lakeObjects,
		"role.copier s3:ListBucket "+lakeBucketARN, "role.copier s3:ListBucketMultipartUploads "+lakeBucketARN,
		"role.copier s3:ListMultipartUploadParts "+lakeObjects, "role.copier s3:PutObject "+lakeObjects, "role.copier s3:PutObjectTagging "+lakeObjects)
	sort.Strings(roleGaps)

	tests := []struct {
		name     string
		external []Ref // blocks with policy = "external"
		world    func(cfg *config.Config, obs *Observed)
		gaps     []string
		written  []string // documents the plan changes
	}{
		{
			name:     "bucket policy without the grant",
			external: []Ref{{KindBucket, "lake"}},
			world:    func(_ *config.Config, obs *Observed) { obs.Buckets["lake"].Policy = []byte(foreignOnly) },
			gaps:     bucketGaps,
			written:  []string{"key.lake", "role.copier"},
		},
		{
			name:     "bucket policy granting in other words",
			external: []Ref{{KindBucket, "lake"}},
			world:    func(_ *config.Config, obs *Observed) { obs.Buckets["lake"].Policy = []byte(terraformBucketPolicy) },
			written:  []string{"key.lake", "role.copier"},
		},
		{
			name:     "bucket policy holding the exported statements",
			external: []Ref{{KindBucket, "lake"}},
			world: func(cfg *config.Config, obs *Observed) {
				obs.Buckets["lake"].Policy = desiredDocument(t, cfg, Ref{KindBucket, "lake"})
			},
			written: []string{"key.lake", "role.copier"},
		},
		{
			name:     "key policy without the grant",
			external: []Ref{{KindKey, "lake"}},
			world:    func(*config.Config, *Observed) {},
			gaps:     keyGaps,
			written:  []string{"bucket.lake", "role.copier"},
		},
		{
			name:     "role without policies",
			external: []Ref{{KindRole, "copier"}},
			world:    func(*config.Config, *Observed) {},
			gaps:     roleGaps,
			written:  []string{"bucket.lake", "key.lake"},
		},
		{
			name:     "role with the statements in an attached policy",
			external: []Ref{{KindRole, "copier"}},
			world: func(cfg *config.Config, obs *Observed) {
				obs.Roles["copier"].AttachedPolicies = map[string][]byte{
					"arn:aws:iam::111111111111:policy/copier": desiredDocument(t, cfg, Ref{KindRole, "copier"}),
				}
			},
			written: []string{"bucket.lake", "key.lake"},
		},
		{
			name:     "bucket and key both lacking",
			external: []Ref{{KindBucket, "lake"}, {KindKey, "lake"}},
			world:    func(*config.Config, *Observed) {},
			gaps:     append(append([]string(nil), bucketGaps...), keyGaps...),
			written:  []string{"role.copier"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := pushConfig(t)
			for _, ref := range tt.external {
				switch ref.Kind {
				case KindBucket:
					cfg.Buckets[indexOfBucket(cfg, ref.Name)].Policy = config.External
				case KindKey:
					cfg.Keys[0].Policy = config.External
				case KindRole:
					cfg.Roles[0].Policy = config.External
				}
			}
			obs := emptyWorld()
			tt.world(cfg, obs)
			p, err := Compute(cfg, obs)
			if err != nil {
				t.Fatal(err)
			}
			want := append([]string(nil), tt.gaps...)
			sort.Strings(want)
			if diff := cmp.Diff(want, gapsOf(p.Findings)); diff != "" {
				t.Errorf("external grants lacking (-want +got):\n%s", diff)
			}
			if p.Blocked() {
				t.Errorf("a grant an external document lacks blocks the plan: %+v", p.Findings)
			}
			var written []string
			for _, d := range p.Documents {
				if d.Action != ActionNoOp {
					written = append(written, d.Address.String())
				}
			}
			if diff := cmp.Diff(tt.written, written); diff != "" {
				t.Errorf("documents changed (-want +got):\n%s", diff)
			}
			access, err := Access(cfg, applied(obs, p))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, gapsOf(access[0].External)); diff != "" {
				t.Errorf("check after apply: external grants lacking (-want +got):\n%s", diff)
			}
		})
	}
}

func indexOfBucket(cfg *config.Config, name string) int {
	for i, b := range cfg.Buckets {
		if b.Name == name {
			return i
		}
	}
	panic("no bucket " + name)
}

// The settings of an external destination bucket are advice: the plan
// never changes them.
func TestExternalBucketSettingsAreAdvice(t *testing.T) {
	cfg := pushConfig(t)
	cfg.Buckets[indexOfBucket(cfg, "lake")].Policy = config.External
	p, err := Compute(cfg, emptyWorld())
	if err != nil {
		t.Fatal(err)
	}
	var advice, settings []string
	for _, s := range p.Advice {
		advice = append(advice, s.Address.String()+" "+s.Setting+" "+s.Action)
	}
	for _, s := range p.Settings {
		settings = append(settings, s.Address.String()+" "+s.Setting)
	}
	want := []string{
		"bucket.lake object_ownership create",
		"bucket.lake default_encryption create",
		"bucket.lake abort_incomplete_multipart_uploads create",
	}
	if diff := cmp.Diff(want, advice); diff != "" {
		t.Errorf("advice (-want +got):\n%s", diff)
	}
	if len(settings) > 0 {
		t.Errorf("the plan changes settings of an external bucket: %v", settings)
	}
}

// The CI roles may read what is attached to an external role: apply and
// plan evaluate it.
func TestCIPoliciesExternalRole(t *testing.T) {
	cfg := pushConfig(t)
	cfg.Roles[0].Policy = config.External
	ps, err := CIPolicies(cfg, CIPolicyOptions{Role: CIPlanRole})
	if err != nil {
		t.Fatal(err)
	}
	got := shapeOf(ps)["prod"]
	want := ciShape{"prod": {
		"CIReadExternalRoles":    {{"iam:ListAttachedRolePolicies"}, {testRoleARN}},
		"CIReadAttachedPolicies": {{"iam:GetPolicy", "iam:GetPolicyVersion"}, {"arn:aws:iam::111111111111:policy/*"}},
	}}["prod"]
	for sid, w := range want {
		if diff := cmp.Diff(w, got[sid]); diff != "" {
			t.Errorf("%s (-want +got):\n%s", sid, diff)
		}
	}
}
