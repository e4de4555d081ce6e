package view

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/golden"
	"github.com/lakesync/lakesync/internal/plan"
)

// TestPlanMigrationsGolden: the migration blocks come after the data,
// each with its move and where it stands (not read, not started, part
// way, deleting the source, done) and what to run next, in the human,
// the markdown and the JSON plan; the plan's counts are not theirs.
func TestPlanMigrationsGolden(t *testing.T) {
	p := createPlan(t)
	base := plan.MigrationPlan{Address: plan.Ref{Kind: plan.KindBucket, Name: "prod"}, Bucket: "konfir-prod-data",
		FromAccountName: "prod", FromAccountID: "111111111111", FromRegion: "eu-west-1",
		ToAccountName: "lake", ToAccountID: "222222222222", ToRegion: "eu-west-1"}
	for _, m := range []struct {
		name     string
		progress *plan.MigrationProgress
	}{
		{"unread", nil},
		{"fresh", &plan.MigrationProgress{}},
		{"halfway", &plan.MigrationProgress{StepsDone: 4}},
		{"deleting", &plan.MigrationProgress{StepsDone: 2, DeletingSource: true}},
		{"done", &plan.MigrationProgress{StepsDone: 6}},
	} {
		mp := base
		mp.Name, mp.TemporaryBucket, mp.Progress = m.name, "konfir-tmp-"+m.name, m.progress
		if m.name == "fresh" {
			mp.ToRegion, mp.Role = "eu-central-1", "arn:aws:iam::222222222222:role/lakesync-copier"
		}
		p.Migrations = append(p.Migrations, &mp)
	}
	var txt, md bytes.Buffer
	(&planView{w: &txt}).render(p)
	golden.Compare(t, "plan_migrations.txt", txt.Bytes())
	(&markdownView{w: &md}).render(p)
	golden.Compare(t, "plan_migrations.md", md.Bytes())
	data, err := json.MarshalIndent(p.Migrations, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden.Compare(t, "plan_migrations.json", append(data, '\n'))
}
