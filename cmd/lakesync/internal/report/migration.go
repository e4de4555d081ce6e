package report

import (
	"encoding/json"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/view"
)

// Migration is a migrate run's steps as its events left them: each
// step's last event (a step the stream never reached is "pending", one
// an earlier run did "done earlier"), what step 3 deletes, and the end.
type Migration struct {
	Name     string
	Steps    []view.MigrationStepLine
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
		m.Name, m.Steps = s.Migration, nil
		for i, title := range s.Steps {
			st := view.MigrationStepLine{Step: i + 1, Of: len(s.Steps), Title: title, Status: "pending"}
			if i+1 < s.From {
				st.Status = "done earlier"
			}
			m.Steps = append(m.Steps, st)
		}
	case "migration_step":
		var s view.MigrationStepLine
		if err := json.Unmarshal(line, &s); err != nil {
			return err
		}
		m.Name = s.Migration
		for len(m.Steps) < s.Step {
			m.Steps = append(m.Steps, view.MigrationStepLine{Step: len(m.Steps) + 1, Of: s.Of, Status: "pending"})
		}
		if s.Step >= 1 {
			m.Steps[s.Step-1] = s
		}
	case "migration_deletion":
		m.Deletion = &view.MigrationDeletion{}
		return json.Unmarshal(line, m.Deletion)
	case "migration_summary":
		m.Summary = &view.MigrationSummaryLine{}
		return json.Unmarshal(line, m.Summary)
	}
	return nil
}
