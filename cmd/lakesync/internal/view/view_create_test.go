package view

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/golden"
	"github.com/lakesync/lakesync/internal/plan"
)

// createPlan is the golden plan with bucket.lake given create = true and
// versioning = true, over a world where the bucket does not exist yet.
func createPlan(t *testing.T) *plan.Plan {
	t.Helper()
	cfg := goldenConfig(t)
	for _, b := range cfg.Buckets {
		if b.Name == "lake" {
			b.Create, b.Versioning = true, true
		}
	}
	obs := &plan.Observed{
		Buckets: map[string]*plan.ObservedBucket{
			"prod": {Exists: true, Region: "eu-west-1"},
			"lake": {Exists: false},
		},
		Keys:  map[string]*plan.ObservedKey{"lake": {Exists: true, ARN: goldenKeyARN, KeyManager: "CUSTOMER", KeyState: "Enabled"}},
		Roles: map[string]*plan.ObservedRole{"copier": {Exists: true, InlinePolicies: map[string][]byte{}}},
	}
	p, err := plan.Compute(cfg, obs)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestPlanCreateGolden: the bucket to create comes first, in its account
// and region, with every setting lakesync gives it, in the human, the
// markdown and the JSON plan.
func TestPlanCreateGolden(t *testing.T) {
	p := createPlan(t)
	var txt, md bytes.Buffer
	(&planView{w: &txt}).render(p)
	golden.Compare(t, "plan_create.txt", txt.Bytes())
	(&markdownView{w: &md}).render(p)
	golden.Compare(t, "plan_create.md", md.Bytes())
	data, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden.Compare(t, "plan_create.json", append(data, '\n'))
}
