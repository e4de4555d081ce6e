package plan

import (
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/policy"
)

// refusedActions lists, per resource policy, the actions of the requests
// a job's access report does not allow.
func refusedActions(ja JobAccess) map[string][]string {
	out := map[string][]string{}
	for _, d := range ja.Decisions {
		if d.Allowed() {
			continue
		}
		out[d.Request.Policy] = append(out[d.Request.Policy], d.Request.Action)
	}
	for p := range out {
		sort.Strings(out[p])
		out[p] = compactStrings(out[p])
	}
	return out
}

func compactStrings(ss []string) []string {
	var out []string
	for i, s := range ss {
		if i == 0 || s != ss[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// TestAccessAfterApply: lakesync check evaluates the documents observed
// now. After the first plan is applied every request of the push job is
// allowed; each of the three documents the plan wrote is needed, and
// without it exactly the requests it grants are refused. A cross-account
// copier needs its own role policy for every request, the destination
// bucket policy for the S3 requests on the destination, and the key
// policy for the KMS requests (AWS: a key policy must allow a principal of
// another account; IAM alone never suffices).
func TestAccessAfterApply(t *testing.T) {
	cfg := pushConfig(t)
	world := func() *Observed {
		obs := emptyWorld()
		p, err := Compute(cfg, obs)
		if err != nil {
			t.Fatal(err)
		}
		return applied(obs, p)
	}
	report, err := Access(cfg, world())
	if err != nil {
		t.Fatal(err)
	}
	if len(report) != 1 || !report[0].Allowed() || len(report[0].Decisions) == 0 {
		t.Fatalf("after apply: want one job with every request allowed, got %+v", report)
	}

	tests := []struct {
		name   string
		remove func(*Observed)
		want   map[string][]string
	}{
		{"without the key policy's grant", func(o *Observed) { o.Keys["lake"].Policy = []byte(defaultKeyPolicy) },
			map[string][]string{policy.DestKeyDoc: {"kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"}}},
		{"without the destination bucket policy", func(o *Observed) { o.Buckets["lake"].Policy = nil },
			map[string][]string{policy.DestBucketDoc: {"s3:AbortMultipartUpload", "s3:GetObject", "s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:ListMultipartUploadParts", "s3:PutObject", "s3:PutObjectTagging"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obs := world()
			tt.remove(obs)
			report, err := Access(cfg, obs)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, refusedActions(report[0])); diff != "" {
				t.Errorf("refused requests by document (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("without the role policy", func(t *testing.T) {
		obs := world()
		delete(obs.Roles["copier"].InlinePolicies, policy.RolePolicyName)
		report, err := Access(cfg, obs)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range report[0].Decisions {
			if d.Allowed() {
				t.Errorf("%s %s on %s is allowed without any identity policy", d.Request.API, d.Request.Action, d.Request.Resource)
			}
		}
	})
}

// TestAccessRefusesUnreadableDocuments: lakesync check, like plan, never
// evaluates over a document it cannot parse, and says which it is.
func TestAccessRefusesUnreadableDocuments(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Observed)
		want   []string
	}{
		{"bucket policy", func(o *Observed) { o.Buckets["lake"].Policy = []byte(`{"Statement":`) },
			[]string{"the bucket policy of konfir-datalake-raw in account lake (222222222222)", "not a valid policy document"}},
		{"key policy", func(o *Observed) { o.Keys["lake"].Policy = []byte(`[]`) },
			[]string{"the key policy of " + testKeyARN + " in account lake (222222222222)", "not a valid policy document"}},
		{"role policy", func(o *Observed) {
			o.Roles["copier"].InlinePolicies[policy.RolePolicyName] = []byte(`nope`)
		}, []string{"the inline policy of role lakesync-copier in account prod (111111111111)", "not a valid policy document"}},
		{"missing key", func(o *Observed) { o.Keys["lake"] = nil }, []string{"key.lake", "was not observed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obs := emptyWorld()
			tt.change(obs)
			_, err := Access(pushConfig(t), obs)
			if err == nil {
				t.Fatal("Access succeeded")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q: %v", w, err)
				}
			}
		})
	}
}

// TestAccessJobsWithoutGrants: a stream job and a server-side job without
// a copier role make no cross-account request: the report says why and
// evaluates nothing.
func TestAccessJobsWithoutGrants(t *testing.T) {
	cfg := pushConfig(t)
	stream := *cfg.Jobs[0]
	stream.Name, stream.Transfer = "streamed", config.TransferStream
	own := *cfg.Jobs[0]
	own.Name, own.Role = "own", nil
	streamOwn := stream
	streamOwn.Name, streamOwn.Role = "streamed_own", nil
	cfg.Jobs = []*config.Job{&stream, &own, &streamOwn}
	report, err := Access(cfg, emptyWorld())
	if err != nil {
		t.Fatal(err)
	}
	want := []JobAccess{
		{Job: "streamed", Transfer: "stream", Note: policy.StreamNote},
		{Job: "own", Transfer: "server-side", Note: "no copier role: the destination account's own credentials copy within the account"},
		{Job: "streamed_own", Transfer: "stream", Note: policy.StreamNote},
	}
	if diff := cmp.Diff(want, report); diff != "" {
		t.Errorf("report (-want +got):\n%s", diff)
	}
	for _, ja := range report {
		if !ja.Allowed() {
			t.Errorf("%s: a job with no request is not allowed", ja.Job)
		}
	}
}

func TestJobAccessAllowed(t *testing.T) {
	allowed := policy.Decision{Outcome: policy.Allowed}
	denied := policy.Decision{Outcome: policy.Denied}
	for _, tt := range []struct {
		ds   []policy.Decision
		want bool
	}{
		{nil, true},
		{[]policy.Decision{allowed, allowed}, true},
		{[]policy.Decision{allowed, denied}, false},
		{[]policy.Decision{denied, allowed}, false},
	} {
		if got := (JobAccess{Decisions: tt.ds}).Allowed(); got != tt.want {
			t.Errorf("Allowed(%v) = %v, want %v", tt.ds, got, tt.want)
		}
	}
}
