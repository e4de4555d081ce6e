package view

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/golden"
	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/plan"
)

// goldenPlan is a first plan of examples/push over a world where lakesync
// never ran, with a foreign statement in the destination bucket policy and
// some data to copy.
func goldenPlan(t *testing.T) *plan.Plan {
	t.Helper()
	cfg := goldenConfig(t)
	keyARN := goldenKeyARN
	obs := &plan.Observed{
		Buckets: map[string]*plan.ObservedBucket{
			"prod": {Exists: true, Region: "eu-west-1"},
			"lake": {Exists: true, Region: "eu-west-1", ObjectOwnership: "ObjectWriter",
				Policy: []byte(`{"Version":"2012-10-17","Statement":[{"Sid":"Analytics","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::333333333333:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::konfir-datalake-raw/analytics/*"}]}`)},
		},
		Keys: map[string]*plan.ObservedKey{"lake": {Exists: true, ARN: keyARN, KeyManager: "CUSTOMER", KeyState: "Enabled",
			Policy: []byte(`{"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"kms:*","Resource":"*"}]}`)}},
		Roles: map[string]*plan.ObservedRole{"copier": {Exists: true, InlinePolicies: map[string][]byte{}}},
		Data:  map[string]*plan.JobObservation{},
	}
	job := cfg.Job("prod_to_lake")
	o := plan.NewJobObservation(job, 3)
	for i, size := range []int64{100 << 10, 100 << 10, 2 << 30} {
		src := &plan.SourceObject{Key: "exports/" + string(rune('a'+i)) + ".parquet", Size: size, ETag: `"e"`}
		o.Add(plan.Item{Rel: src.Key[len("exports/"):], Source: src, ObjectAction: plan.ObjectNew})
	}
	obs.Data[job.Name] = o
	p, err := plan.Compute(cfg, obs)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// goldenKeyARN is the ARN of examples/push's key.lake in the golden plan.
const goldenKeyARN = "arn:aws:kms:eu-west-1:222222222222:key/1111aaaa-22bb-33cc-44dd-555555eeeeee"

// goldenConfig is examples/push.
func goldenConfig(t *testing.T) *config.Config {
	t.Helper()
	l := config.NewLoader(os.ReadFile, os.LookupEnv)
	l.LookupEnv = func(string) (string, bool) { return "", false }
	cfg, diags := l.LoadFile("../../../../examples/push/lakesync.hcl")
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	return cfg
}

func TestPlanViewGolden(t *testing.T) {
	var buf bytes.Buffer
	(&planView{w: &buf}).render(goldenPlan(t))
	golden.Compare(t, "plan_push.txt", buf.Bytes())
}

func TestPlanJSONGolden(t *testing.T) {
	data, err := json.MarshalIndent(goldenPlan(t), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden.Compare(t, "plan_push.json", append(data, '\n'))
	var back plan.Plan
	if err := json.Unmarshal(data, &back); err != nil || back.FormatVersion != plan.FormatVersion {
		t.Fatalf("the JSON plan does not decode back: %v", err)
	}
}

func TestLineDiff(t *testing.T) {
	got := lineDiff([]string{"{", `"a": 1,`, `"b": 2`, "}"}, []string{"{", `"a": 1,`, `"c": 3`, "}"})
	var marks string
	for _, l := range got {
		switch l.action {
		case plan.ActionCreate:
			marks += "+"
		case plan.ActionDelete:
			marks += "-"
		default:
			marks += " "
		}
	}
	if marks != "  -+ " && marks != "  +- " {
		t.Errorf("line marks %q", marks)
	}
}
