package plan

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lakesync/lakesync/internal/config"
)

// TestMigrationsInThePlan: every migration block is in the plan with its
// move and the progress the state records: nil when the state was not
// read, not started when it has no record, else the record's steps.
func TestMigrationsInThePlan(t *testing.T) {
	cfg := pushConfig(t)
	job := cfg.Jobs[0]
	prod, lake := job.Source, job.Destination.Account
	cfg.Migrations = []*config.Migration{
		{Name: "move", Bucket: prod, To: lake, Key: job.Destination.Key, TemporaryBucket: "konfir-tmp", Region: "eu-west-1"},
		{Name: "again", Bucket: prod, To: lake, Key: job.Destination.Key, TemporaryBucket: "konfir-tmp2", Region: "eu-central-1", Role: job.Role},
	}
	move := MigrationPlan{Name: "move", Address: Ref{Kind: KindBucket, Name: "prod"}, Bucket: prod.BucketName,
		FromAccountName: "prod", FromAccountID: "111111111111", FromRegion: "eu-west-1",
		ToAccountName: "lake", ToAccountID: "222222222222", ToRegion: "eu-west-1", TemporaryBucket: "konfir-tmp"}
	again := move
	again.Name, again.TemporaryBucket, again.ToRegion, again.Role = "again", "konfir-tmp2", "eu-central-1", "arn:aws:iam::111111111111:role/lakesync-copier"

	tests := []struct {
		name     string
		progress map[string]*MigrationProgress
		want     [2]*MigrationProgress
	}{
		{"state not read", nil, [2]*MigrationProgress{nil, nil}},
		{"no records: not started", map[string]*MigrationProgress{}, [2]*MigrationProgress{{}, {}}},
		{"records", map[string]*MigrationProgress{"move": {StepsDone: 2, DeletingSource: true}, "again": {StepsDone: 6}},
			[2]*MigrationProgress{{StepsDone: 2, DeletingSource: true}, {StepsDone: 6}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obs := emptyWorld()
			obs.Migrations = tt.progress
			p, err := Compute(cfg, obs)
			if err != nil {
				t.Fatal(err)
			}
			m, a := move, again
			m.Progress, a.Progress = tt.want[0], tt.want[1]
			if diff := cmp.Diff([]*MigrationPlan{&m, &a}, p.Migrations); diff != "" {
				t.Errorf("migrations (-want +got):\n%s", diff)
			}
			plain := *cfg
			plain.Migrations = nil
			without, err := Compute(&plain, obs)
			if err != nil {
				t.Fatal(err)
			}
			if p.HasChanges() != without.HasChanges() || p.Totals() != without.Totals() {
				t.Error("the migration blocks changed the plan's changes: apply does not run them")
			}
		})
	}
}
