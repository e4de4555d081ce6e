package report

import (
	"encoding/json"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/view"
)

// Migration is a migrate run's steps as its events left them
// (view.MigrationSteps), what step 3 deletes, and the end.
type Migration struct {
	Name     string
	Steps    view.MigrationSteps
	Deletion *view.MigrationDeletion
	Summary  *view.MigrationSummaryLine
}

func (m *Migration) add(typ string, line []byte) error {
	switch typ {
	case "migration_start":
		var s view.MigrationStartLine
		if err := json.Unmarshal(line, &s); err != nil {
			return err
		}
		m.Name = s.Migration
		m.Steps.Start(s)
	case "migration_step":
		var s view.MigrationStepLine
		if err := json.Unmarshal(line, &s); err != nil {
			return err
		}
		m.Name = s.Migration
		m.Steps.Step(s)
	case "migration_deletion":
		m.Deletion = &view.MigrationDeletion{}
		return json.Unmarshal(line, m.Deletion)
	case "migration_summary":
		m.Summary = &view.MigrationSummaryLine{}
		return json.Unmarshal(line, m.Summary)
	}
	return nil
}
