package view

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/copier"
	"github.com/lakesync/lakesync/internal/plan"
)

// archivedPlan is a plan of examples/push whose job has three GLACIER
// objects of 400 MiB (1.2 GiB in all), one DEEP_ARCHIVE object of 1 GiB
// and one object to copy, under the given archived setting.
func archivedPlan(t *testing.T, archived config.Archived, tier string) *plan.Plan {
	t.Helper()
	l := config.NewLoader(os.ReadFile, os.LookupEnv)
	l.LookupEnv = func(string) (string, bool) { return "", false }
	cfg, diags := l.LoadFile("../../../../examples/push/lakesync.hcl")
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	job := cfg.Job("prod_to_lake")
	job.Archived, job.RestoreTier, job.RestoreDays = archived, tier, 3
	o := plan.NewJobObservation(job, 3)
	add := func(key, class string, size int64) {
		src := &plan.SourceObject{Key: "exports/" + key, Size: size, ETag: `"e"`, StorageClass: class}
		a, why := plan.RulesFor(job).Decide(src, nil, nil)
		o.Add(plan.Item{Rel: key, Source: src, ObjectAction: a, Reason: why})
	}
	for _, k := range []string{"a.parquet", "b.parquet", "c.parquet"} {
		add(k, "GLACIER", 400<<20)
	}
	add("d.parquet", "DEEP_ARCHIVE", 1<<30)
	add("e.parquet", "STANDARD", 1<<20)
	obs := &plan.Observed{
		Buckets: map[string]*plan.ObservedBucket{"prod": {Exists: true, Region: "eu-west-1"}, "lake": {Exists: true, Region: "eu-west-1"}},
		Keys: map[string]*plan.ObservedKey{"lake": {Exists: true, ARN: "arn:aws:kms:eu-west-1:222222222222:key/1111aaaa-22bb-33cc-44dd-555555eeeeee",
			KeyManager: "CUSTOMER", KeyState: "Enabled",
			Policy: []byte(`{"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"kms:*","Resource":"*"}]}`)}},
		Roles: map[string]*plan.ObservedRole{"copier": {Exists: true, InlinePolicies: map[string][]byte{}}},
		Data:  map[string]*plan.JobObservation{job.Name: o},
	}
	p, err := plan.Compute(cfg, obs)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func renderPlan(p *plan.Plan) string {
	var buf bytes.Buffer
	(&planView{w: &buf}).render(p)
	return buf.String()
}

func TestPlanViewArchived(t *testing.T) {
	tests := []struct {
		archived config.Archived
		tier     string
		lines    []string
	}{
		{config.ArchivedSkip, "Bulk", []string{
			`      archived 4 objects, 2.2 GiB: not copied; set archived = "restore" to restore them`,
		}},
		{config.ArchivedFail, "Bulk", []string{
			`      archived 4 objects, 2.2 GiB: apply fails on them (archived = "fail"); set archived = "restore" to restore them, or "skip" to leave them`,
			`Archived: 4 objects that apply fails on.`,
		}},
		{config.ArchivedRestore, "Standard", []string{
			`      archived 4 objects, 2.2 GiB: not copied until restored; a later run copies each once its restore has completed`,
			// 3 GLACIER: 3/1000 x $0.05 + 1.17 GiB x $0.01; 1 DEEP_ARCHIVE:
			// 1/1000 x $0.10 + 1 GiB x $0.02.
			`      restore   4 objects, 2.2 GiB (1 DEEP_ARCHIVE, 3 GLACIER), Standard for 3 days: $0.0320`,
			`Archived: 4 objects (2.2 GiB) to restore.`,
		}},
		{config.ArchivedRestore, "Expedited", []string{
			`      restore   3 objects, 1.2 GiB (3 GLACIER), Expedited for 3 days: $0.0652`,
			`      restore   1 object in DEEP_ARCHIVE cannot be restored Expedited: apply fails on it; set restore_tier = "Standard" or "Bulk"`,
		}},
	}
	for _, tt := range tests {
		out := renderPlan(archivedPlan(t, tt.archived, tt.tier))
		for _, want := range tt.lines {
			if !strings.Contains(out, want+"\n") {
				t.Errorf("archived = %q, %s: the plan lacks the line\n%s\nin:\n%s", tt.archived, tt.tier, want, out)
			}
		}
		if tt.archived == config.ArchivedSkip && strings.Contains(out, "Archived:") {
			t.Errorf("skipped archived objects in the totals:\n%s", out)
		}
		if !strings.Contains(out, "copy      1 objects, 1.0 MiB") {
			t.Errorf("archived = %q: the archived objects are counted as copies:\n%s", tt.archived, out)
		}
	}
	if out := renderPlan(archivedPlan(t, config.ArchivedRestore, "Expedited")); !strings.Contains(out, "DEEP_ARCHIVE, which has no Expedited retrieval") {
		t.Errorf("no warning about Expedited from DEEP_ARCHIVE:\n%s", out)
	}
	var md bytes.Buffer
	(&markdownView{w: &md}).render(archivedPlan(t, config.ArchivedSkip, "Bulk"))
	if !strings.Contains(md.String(), "archived 4 objects, 2.2 GiB: not copied; set archived = ") {
		t.Errorf("the markdown plan lacks the archived line:\n%s", md.String())
	}
}

func TestCopyViewArchived(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	summary := copier.CopySummary{Job: "j", Copied: 1, Archived: 3, ArchivedBytes: 1288490189, RestoresRequested: 2, Restoring: 1, Duration: time.Second}
	tests := []struct {
		job  *config.Job
		want string
	}{
		{&config.Job{Name: "j", Archived: config.ArchivedSkip},
			`j: archived 3 objects, 1.2 GiB: not copied; set archived = "restore" to restore them`},
		{&config.Job{Name: "j", Archived: config.ArchivedRestore, RestoreTier: "Bulk", RestoreDays: 3},
			`j: archived 3 objects, 1.2 GiB: not copied yet: 2 restores requested (Bulk, 3 days), 1 in progress; a later run copies each once its restore has completed`},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		v := &copyView{w: &out, now: func() time.Time { return now }}
		v.Begin(tt.job)
		s := summary
		v.OnCopyEvent(&s)
		if !strings.Contains(out.String(), "\n"+tt.want+"\n") {
			t.Errorf("archived = %q: the summary lacks\n%s\nin:\n%s", tt.job.Archived, tt.want, out.String())
		}
	}

	// archived = "fail": every archived object gets a line.
	var out bytes.Buffer
	v := &copyView{w: &out, now: func() time.Time { return now }}
	v.Begin(&config.Job{Name: "j", Archived: config.ArchivedFail})
	for _, k := range []string{"a", "b"} {
		v.OnCopyEvent(&copier.ObjectDone{Job: "j", Key: k, Action: plan.ObjectArchived,
			Err: &copier.ArchivedError{Object: "s3://src/" + k, Class: "GLACIER", Hint: "not copied"}})
	}
	for _, k := range []string{"a", "b"} {
		if want := "j: s3://src/" + k + " is archived (GLACIER): not copied\n"; !strings.Contains(out.String(), want) {
			t.Errorf("no line naming %s:\n%s", k, out.String())
		}
	}

	// The JSON summary counts them.
	var line SummaryLine
	line.Add(summary)
	line.Add(summary)
	data, err := json.Marshal(line)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"archived":6`, `"restores_requested":4`, `"archived_bytes":2576980378`, `"restoring":2`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("JSON summary %s lacks %s", data, want)
		}
	}
}
