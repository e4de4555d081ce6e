package view

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestMigrateStepLines: the human view says each step as "migration
// NAME: step K of 6 (TITLE), P%", progress every 5%; JSON is the
// contract's migration_step line.
func TestMigrateStepLines(t *testing.T) {
	steps := []MigrationStepLine{
		{Migration: "move", Step: 5, Of: 6, Title: "copying back", Status: "started", Percent: 55},
		{Migration: "move", Step: 5, Of: 6, Title: "copying back", Status: "progress", Percent: 56},
		{Migration: "move", Step: 5, Of: 6, Title: "copying back", Status: "progress", Percent: 57},
		{Migration: "move", Step: 5, Of: 6, Title: "copying back", Status: "done", Percent: 95},
	}
	var human, js bytes.Buffer
	h, j := NewMigrate(Human, Terminal{Out: &human, Err: &human}), NewMigrate(JSON, Terminal{Out: &js, Err: &js})
	for _, s := range steps {
		h.Step(s)
		j.Step(s)
	}
	want := "migration move: step 5 of 6 (copying back), 55%\n" +
		"migration move: step 5 of 6 (copying back), 56%\n" +
		"migration move: step 5 of 6 (copying back) done, 95%\n"
	if diff := cmp.Diff(want, human.String()); diff != "" {
		t.Errorf("human (-want +got):\n%s", diff)
	}
	first, _, _ := bytes.Cut(js.Bytes(), []byte("\n"))
	wantJSON := `{"type":"migration_step","migration":"move","step":5,"of":6,"title":"copying back","status":"started","percent":55,"message":""}`
	if diff := cmp.Diff(wantJSON, string(first)); diff != "" {
		t.Errorf("json (-want +got):\n%s", diff)
	}
}
