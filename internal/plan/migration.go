package plan

import "github.com/lakesync/lakesync/internal/config"

// MigrationSteps is how many steps a migration has (lakesync migrate).
const MigrationSteps = 6

// MigrationStepTitles are the steps' titles, by step (index 0 unused).
var MigrationStepTitles = [MigrationSteps + 1]string{"",
	"copying to the temporary bucket",
	"waiting for the deletion to be confirmed",
	"deleting the source",
	"recreating the bucket",
	"copying back",
	"deleting the temporary bucket",
}

// MigrationDeletingSource is the state's status of a migration whose
// step 3 has started deleting the source.
const MigrationDeletingSource = "deleting_source"

// MigrationPlan is a migration block as the plan shows it: the move
// lakesync migrate NAME makes, and how far the state says it got. apply
// never runs it; the plan shows it so that a reviewer sees that the
// configuration moves, and in step 3 deletes, a bucket.
type MigrationPlan struct {
	Name string `json:"name"`
	// Address is the moved bucket's block ("bucket.data").
	Address         Ref    `json:"address"`
	Bucket          string `json:"bucket"`
	FromAccountName string `json:"from_account_name"`
	FromAccountID   string `json:"from_account_id"`
	FromRegion      string `json:"from_region"`
	ToAccountName   string `json:"to_account_name"`
	ToAccountID     string `json:"to_account_id"`
	ToRegion        string `json:"to_region"`
	TemporaryBucket string `json:"temporary_bucket"`
	// Role is the copier role's ARN; empty: each account streams with
	// its own credentials.
	Role string `json:"role,omitempty"`
	// Progress is what the state records; nil when the plan did not read
	// the state (plan --skip-data).
	Progress *MigrationProgress `json:"progress,omitempty"`
}

// MigrationProgress is how far a migration got, as its state record says.
type MigrationProgress struct {
	// StepsDone is the last step done, 0 (not started) to MigrationSteps.
	StepsDone int `json:"steps_done"`
	// DeletingSource: step 3 has started deleting the source.
	DeletingSource bool `json:"deleting_source,omitempty"`
}

// Done reports whether every step is done.
func (p *MigrationProgress) Done() bool { return p.StepsDone >= MigrationSteps }

// migrations is the plan of each migration block of cfg, with the
// progress obs read from the state (none read: nil progress).
func migrations(cfg *config.Config, obs *Observed) []*MigrationPlan {
	var out []*MigrationPlan
	for _, m := range cfg.Migrations {
		if m.Bucket == nil || m.Bucket.Account == nil || m.To == nil {
			continue // reported by the configuration's check
		}
		mp := &MigrationPlan{
			Name: m.Name, Address: BucketRef(m.Bucket), Bucket: m.Bucket.BucketName,
			FromAccountName: m.Bucket.Account.Name, FromAccountID: m.Bucket.Account.ID, FromRegion: m.Bucket.InRegion(),
			ToAccountName: m.To.Name, ToAccountID: m.To.ID, ToRegion: m.Region, TemporaryBucket: m.TemporaryBucket,
		}
		if m.Role != nil {
			mp.Role = m.Role.ARN()
		}
		if obs.Migrations != nil {
			mp.Progress = obs.Migrations[m.Name]
			if mp.Progress == nil {
				mp.Progress = &MigrationProgress{}
			}
		}
		out = append(out, mp)
	}
	return out
}
