package view

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/golden"
	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/plan"
)

// denyPlan is a first plan of examples/push over a destination bucket
// policy with two Deny statements lakesync does not own: only principals of
// the organization, and only SSE-KMS writes. One object to copy is above
// the multipart threshold when big.
func denyPlan(t *testing.T, big bool) *plan.Plan {
	t.Helper()
	l := config.NewLoader(os.ReadFile, os.LookupEnv)
	l.LookupEnv = func(string) (string, bool) { return "", false }
	cfg, diags := l.LoadFile("../../../../examples/push/lakesync.hcl")
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	keyARN := "arn:aws:kms:eu-west-1:222222222222:key/1111aaaa-22bb-33cc-44dd-555555eeeeee"
	obs := &plan.Observed{
		Buckets: map[string]*plan.ObservedBucket{
			"prod": {Exists: true, Region: "eu-west-1"},
			"lake": {Exists: true, Region: "eu-west-1", ObjectOwnership: "BucketOwnerEnforced",
				Policy: []byte(`{"Version":"2012-10-17","Statement":[
 {"Sid":"OrgOnly","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::konfir-datalake-raw","arn:aws:s3:::konfir-datalake-raw/*"],"Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}},
 {"Sid":"RequireKMS","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::konfir-datalake-raw/*","Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption":"aws:kms"}}}]}`)},
		},
		Keys: map[string]*plan.ObservedKey{"lake": {Exists: true, ARN: keyARN, KeyManager: "CUSTOMER", KeyState: "Enabled",
			Policy: []byte(`{"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"kms:*","Resource":"*"}]}`)}},
		Roles: map[string]*plan.ObservedRole{"copier": {Exists: true, InlinePolicies: map[string][]byte{}}},
		Data:  map[string]*plan.JobObservation{},
	}
	job := cfg.Job("prod_to_lake")
	o := plan.NewJobObservation(job, 3)
	sizes := []int64{100 << 10, 2 << 30}
	if big {
		sizes = append(sizes, 6<<30)
	}
	for i, size := range sizes {
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

// TestPlanViewForeignDenyGolden: each foreign Deny statement is one
// warning (or error) with what to make sure of, in the human view, the
// markdown view and the JSON findings.
func TestPlanViewForeignDenyGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		big  bool
	}{{"plan_deny", false}, {"plan_deny_multipart", true}} {
		t.Run(tc.name, func(t *testing.T) {
			p := denyPlan(t, tc.big)
			var buf bytes.Buffer
			(&planView{w: &buf}).render(p)
			human := buf.String()
			golden.Compare(t, tc.name+".txt", buf.Bytes())
			if n := strings.Count(human, "Warning: ") + strings.Count(human, "Error: "); n != 2 {
				t.Errorf("want 2 findings, one per statement, got %d", n)
			}

			buf.Reset()
			(&markdownView{w: &buf, planFile: "plan.json"}).findings(p)
			golden.Compare(t, tc.name+".md", buf.Bytes())

			data, err := json.MarshalIndent(p.Findings, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden.Compare(t, tc.name+"_findings.json", append(data, '\n'))
		})
	}
}
