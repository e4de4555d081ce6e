package plan

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lakesync/lakesync/internal/policy"
)

// Two statements a data-lake team commonly has in its bucket policy: only
// principals of the organization, and only SSE-KMS writes.
const orgAndKMSPolicy = `{"Version":"2012-10-17","Statement":[
 {"Sid":"OrgOnly","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::konfir-datalake-raw","arn:aws:s3:::konfir-datalake-raw/*"],"Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}},
 {"Sid":"RequireKMS","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::konfir-datalake-raw/*","Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption":"aws:kms"}}}]}`

type denyRow struct {
	Check, Sid string
	Blocking   bool
	Keys       []string
}

func denyRows(fs []policy.Finding) []denyRow {
	var out []denyRow
	for _, f := range fs {
		out = append(out, denyRow{f.Check, f.Sid, f.Blocking, f.ConditionKeys})
	}
	return out
}

// TestComputeForeignDenyFindings: the plan has one finding per foreign
// statement and no per-action repeats; the SSE Deny, which only blocks
// multipart calls, stops the apply only when the data to copy has an
// object above the multipart threshold.
func TestComputeForeignDenyFindings(t *testing.T) {
	cfg := pushConfig(t)
	for _, big := range []bool{false, true} {
		obs := emptyWorld()
		obs.Buckets["lake"].Policy = []byte(orgAndKMSPolicy)
		job := cfg.Job("prod_to_lake")
		o := NewJobObservation(job, 3)
		size := int64(100 << 20)
		if big {
			size = 6 << 30
		}
		o.Add(Item{Rel: "a.parquet", Source: &SourceObject{Key: "exports/a.parquet", Size: size, ETag: `"e"`}, ObjectAction: ObjectNew})
		obs.Data = map[string]*JobObservation{job.Name: o}
		p, err := Compute(cfg, obs)
		if err != nil {
			t.Fatal(err)
		}
		want := []denyRow{
			{policy.CheckDeny, "OrgOnly", false, []string{"aws:PrincipalOrgID"}},
			{policy.CheckDeny, "RequireKMS", false, nil},
		}
		if big {
			want = []denyRow{want[1], want[0]} // blocking findings first
			want[0].Blocking = true
		}
		if diff := cmp.Diff(want, denyRows(p.Findings)); diff != "" {
			t.Errorf("big object %v: findings (-want +got):\n%s", big, diff)
		}
		if p.Blocked() != big {
			t.Errorf("big object %v: blocked = %v", big, p.Blocked())
		}
	}
}

// TestAccessReportsForeignDenies: lakesync check's report carries the same
// per-statement findings, and the per-call decisions.
func TestAccessReportsForeignDenies(t *testing.T) {
	obs := emptyWorld()
	obs.Buckets["lake"].Policy = []byte(orgAndKMSPolicy)
	report, err := Access(pushConfig(t), obs)
	if err != nil {
		t.Fatal(err)
	}
	if len(report) != 1 {
		t.Fatalf("report = %+v", report)
	}
	want := []denyRow{
		{policy.CheckDeny, "OrgOnly", false, []string{"aws:PrincipalOrgID"}},
		{policy.CheckDeny, "RequireKMS", false, nil},
	}
	if diff := cmp.Diff(want, denyRows(report[0].Findings)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	var calls []string
	for _, d := range report[0].Decisions {
		if d.Request.Action == "s3:PutObject" && d.Request.Policy == policy.DestBucketDoc {
			calls = append(calls, d.Request.API)
		}
	}
	if diff := cmp.Diff([]string{"CopyObject", "CreateMultipartUpload", "UploadPartCopy", "CompleteMultipartUpload"}, calls); diff != "" {
		t.Errorf("s3:PutObject calls (-want +got):\n%s", diff)
	}
}
