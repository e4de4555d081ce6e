package plan

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lakesync/lakesync/internal/policy"
)

// foreignRolePolicy is an inline policy of n characters without
// whitespace that lakesync does not own: one statement reading n-ish
// bytes of bucket ARNs.
func foreignRolePolicy(t *testing.T, n int) []byte {
	t.Helper()
	head, tail := `{"Version":"2012-10-17","Statement":[{"Sid":"Reports","Effect":"Allow","Action":"s3:GetObject","Resource":[`, `]}]}`
	var b strings.Builder
	b.WriteString(head)
	for i := 0; b.Len()+len(tail) < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"arn:aws:s3:::reports-%06d/*"`, i)
	}
	b.WriteString(tail)
	return []byte(b.String())
}

// ownSize is the size IAM counts of lakesync's own inline policy of the
// copier in the push example's first plan.
func ownSize(t *testing.T) int {
	t.Helper()
	p, err := Compute(pushConfig(t), emptyWorld())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range p.Documents {
		if d.Address.String() == "role.copier" {
			return len(d.After) // compact JSON: no whitespace
		}
	}
	t.Fatal("no role.copier document")
	return 0
}

// TestComputeRoleInlineSize: IAM limits the inline policies of a role to
// 10,240 characters (without whitespace) together, so the role policy
// lakesync writes is checked with the role's other inline policies. A
// foreign policy that fits alone but not with lakesync's blocks the plan;
// one with room to spare does not; a role whose own policy lakesync
// deletes is checked without it.
func TestComputeRoleInlineSize(t *testing.T) {
	own := ownSize(t)
	tests := []struct {
		name    string
		foreign int // characters of the foreign inline policy
		removed bool
		want    bool // a blocking size finding
	}{
		{"room to spare", policy.RoleInlineLimit - own - 100, false, false},
		{"fits alone, not with lakesync's", policy.RoleInlineLimit - own + 100, false, true},
		{"too big alone, lakesync's removed", policy.RoleInlineLimit + 100, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := pushConfig(t)
			obs := emptyWorld()
			foreign := foreignRolePolicy(t, tt.foreign)
			if len(foreign) >= policy.RoleInlineLimit && !tt.want {
				t.Fatalf("test setup: foreign policy of %d characters", len(foreign))
			}
			obs.Roles["copier"].InlinePolicies["reports"] = foreign
			obs.Roles["copier"].InlinePolicies["broken"] = []byte(`not IAM JSON`) // IAM holds none such; ignored
			if tt.removed {
				first, err := Compute(cfg, obs)
				if err != nil {
					t.Fatal(err)
				}
				obs = applied(obs, first)
				cfg.Jobs = nil
			}
			p, err := Compute(cfg, obs)
			if err != nil {
				t.Fatal(err)
			}
			var got []policy.Finding
			for _, f := range p.Findings {
				if f.Check == policy.CheckSize {
					got = append(got, f)
				}
			}
			if (len(got) == 1) != tt.want || len(got) > 1 {
				t.Fatalf("size findings %+v, want blocking one: %v (own policy %d characters, foreign %d)", got, tt.want, own, len(foreign))
			}
			if tt.want && (!got[0].Blocking || !strings.Contains(got[0].Message, "inline policies of role.copier would total")) {
				t.Errorf("finding %+v", got[0])
			}
		})
	}
}

// TestComputeForeignRoleDeny: a Deny in another inline policy of the
// copier role applies to every request the role makes (AWS evaluates all
// identity policies of the principal), so the plan evaluates the job's
// requests with it and the apply is blocked.
func TestComputeForeignRoleDeny(t *testing.T) {
	obs := emptyWorld()
	obs.Roles["copier"].InlinePolicies["guardrail"] = []byte(`{"Version":"2012-10-17","Statement":[{"Sid":"NoWrites","Effect":"Deny","Action":"s3:PutObject","Resource":"*"}]}`)
	p, err := Compute(pushConfig(t), obs)
	if err != nil {
		t.Fatal(err)
	}
	if !p.Blocked() || !strings.Contains(findingText(p), "NoWrites") {
		t.Errorf("want a blocking finding naming NoWrites, got:\n%s", findingText(p))
	}
}

// TestComputeAWSManagedDestinationKey: a destination key that is
// AWS-managed cannot be shared with another account. The configuration
// refuses an alias/aws/ name and Compute a key KMS reports AWS-managed;
// a configuration built without the loader is caught by the plan's
// findings, blocking the apply.
func TestComputeAWSManagedDestinationKey(t *testing.T) {
	cfg := pushConfig(t)
	cfg.Keys[0].Alias = "alias/aws/s3"
	obs := emptyWorld()
	obs.Keys["lake"].KeyManager = "" // not reported
	p, err := Compute(cfg, obs)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range p.Findings {
		if f.Check == policy.CheckManagedKey {
			got = append(got, fmt.Sprint(f.Blocking, " ", f.Message))
		}
	}
	want := []string{"true destination key alias/aws/s3 is AWS managed: its key policy cannot be changed and other accounts cannot use it; use a customer managed key"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}
