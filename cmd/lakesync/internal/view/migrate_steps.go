package view

// EarlierRun is the message of a step that a resumed migration found
// done: an earlier run did it.
const EarlierRun = "in an earlier run"

// MigrationSteps are a migration's steps as its JSON lines leave them,
// for the pages that read a migrate --json stream (the UI's run page,
// the run report): each step's last line; a step not reached yet
// "pending"; one an earlier run did "done", with the message EarlierRun.
type MigrationSteps []MigrationStepLine

// Start lays out the steps of a migration_start line with their titles.
func (s *MigrationSteps) Start(l MigrationStartLine) {
	*s = nil
	for i, title := range l.Steps {
		st := MigrationStepLine{Migration: l.Migration, Step: i + 1, Of: len(l.Steps), Title: title, Status: "pending"}
		if i+1 < l.From {
			st.Status, st.Message = "done", EarlierRun
		}
		*s = append(*s, st)
	}
}

// Step takes a migration_step line. A stream without a migration_start
// (an older lakesync's) gets its steps laid out as they come, untitled
// until their own lines; a resumed migration's first line is at a later
// step, and the steps before it were done by an earlier run.
func (s *MigrationSteps) Step(l MigrationStepLine) {
	for len(*s) < max(l.Of, l.Step) {
		*s = append(*s, MigrationStepLine{Step: len(*s) + 1, Of: l.Of, Status: "pending"})
	}
	for i := range l.Step - 1 {
		if (*s)[i].Status == "pending" {
			(*s)[i].Status, (*s)[i].Message = "done", EarlierRun
		}
	}
	if l.Step >= 1 {
		(*s)[l.Step-1] = l
	}
}
