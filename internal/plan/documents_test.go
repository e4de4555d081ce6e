package plan

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lakesync/lakesync/internal/policy"
)

// TestComputeJobRemoved: once the only job is removed from the
// configuration, the next plan takes lakesync's statements out of every
// document: a document left with none of its own is deleted (the bucket
// policy, the role's inline policy), the key policy keeps its default
// statement and is updated, and each removed statement is listed.
func TestComputeJobRemoved(t *testing.T) {
	cfg := pushConfig(t)
	first, err := Compute(cfg, emptyWorld())
	if err != nil {
		t.Fatal(err)
	}
	world := applied(emptyWorld(), first)
	cfg.Jobs = nil
	p, err := Compute(cfg, world)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Action  string
		After   bool
		Removed int // statements deleted
	}
	got := map[string]row{}
	for _, d := range p.Documents {
		r := row{Action: d.Action, After: d.After != nil}
		for _, st := range d.Statements {
			if st.Action == policy.Delete {
				r.Removed++
			}
		}
		got[d.Address.String()] = r
	}
	want := map[string]row{
		"bucket.prod": {Action: ActionNoOp},
		"bucket.lake": {Action: ActionDelete, Removed: countOwned(t, world.Buckets["lake"].Policy)},
		"key.lake":    {Action: ActionUpdate, After: true, Removed: countOwned(t, world.Keys["lake"].Policy)},
		"role.copier": {Action: ActionDelete, Removed: countOwned(t, world.Roles["copier"].InlinePolicies[policy.RolePolicyName])},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("documents (-want +got):\n%s", diff)
	}
	if len(p.Settings) != 0 {
		t.Errorf("a plan without jobs manages no bucket settings: %+v", p.Settings)
	}
	if !p.HasChanges() {
		t.Error("HasChanges is false")
	}
}

// countOwned counts lakesync's statements in a document (and checks that
// there is at least one).
func countOwned(t *testing.T, raw []byte) int {
	t.Helper()
	d, err := policy.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, st := range d.Statements {
		if policy.Owned(st.Sid) {
			n++
		}
	}
	if n == 0 {
		t.Fatalf("no lakesync statement in %s", raw)
	}
	return n
}

// TestComputeKeyPolicyLeftEmpty: a key policy that held only lakesync's
// statements would be left with none when the job goes. KMS keys always
// have a policy, and one without statements locks every principal out of
// the key (AWS: "the key becomes unmanageable"), so the plan is blocked.
func TestComputeKeyPolicyLeftEmpty(t *testing.T) {
	cfg := pushConfig(t)
	first, err := Compute(cfg, emptyWorld())
	if err != nil {
		t.Fatal(err)
	}
	world := applied(emptyWorld(), first)
	d, err := policy.Parse(world.Keys["lake"].Policy)
	if err != nil {
		t.Fatal(err)
	}
	var owned []policy.Statement
	for _, st := range d.Statements {
		if policy.Owned(st.Sid) {
			owned = append(owned, st)
		}
	}
	d.Statements = owned
	if world.Keys["lake"].Policy, err = d.JSON(); err != nil {
		t.Fatal(err)
	}
	cfg.Jobs = nil
	p, err := Compute(cfg, world)
	if err != nil {
		t.Fatal(err)
	}
	if !p.Blocked() || !strings.Contains(findingText(p), "key.lake") {
		t.Errorf("want a blocking finding on key.lake, got:\n%s", findingText(p))
	}
}
