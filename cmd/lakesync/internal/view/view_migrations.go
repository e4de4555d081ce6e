package view

import (
	"fmt"

	"github.com/lakesync/lakesync/internal/plan"
)

// migrationMove is a migration's move in one line: the bucket, from where
// to where, and through which temporary bucket.
func migrationMove(m *plan.MigrationPlan, arrow string) string {
	return fmt.Sprintf("s3://%s (%s): account %s (%s) %s %s account %s (%s) %s, through s3://%s",
		m.Bucket, m.Address, m.FromAccountName, m.FromAccountID, m.FromRegion, arrow, m.ToAccountName, m.ToAccountID, m.ToRegion, m.TemporaryBucket)
}

// migrationProgress is where a migration stands, and what the user does
// next.
func migrationProgress(m *plan.MigrationPlan) string {
	p := m.Progress
	switch {
	case p == nil:
		return "progress not read (plan --skip-data)"
	case p.Done():
		return fmt.Sprintf("done: the bucket is in account %s (%s), %s; point %s there and remove the migration block", m.ToAccountName, m.ToAccountID, m.ToRegion, m.Address)
	case p.DeletingSource:
		return fmt.Sprintf("at step 3 of %d (%s), which has started deleting the source: run lakesync migrate %s to finish",
			plan.MigrationSteps, plan.MigrationStepTitles[3], m.Name)
	case p.StepsDone == 0:
		return fmt.Sprintf("not started: lakesync migrate %s runs it; step 3 deletes s3://%s, only once --confirm-delete-source %s names it", m.Name, m.Bucket, m.Bucket)
	}
	next := p.StepsDone + 1
	return fmt.Sprintf("%d of %d steps done; next: step %d (%s), with lakesync migrate %s", p.StepsDone, plan.MigrationSteps, next, plan.MigrationStepTitles[next], m.Name)
}

func (v *planView) migrations(ms []*plan.MigrationPlan) {
	if len(ms) == 0 {
		return
	}
	w := v.w
	fmt.Fprintln(w, "Migrations (lakesync migrate NAME runs them; apply does not):")
	fmt.Fprintln(w)
	for _, m := range ms {
		fmt.Fprintf(w, "  migration %q: %s\n", m.Name, migrationMove(m, "->"))
		if m.Role != "" {
			fmt.Fprintf(w, "      # copies server-side as %s\n", m.Role)
		}
		fmt.Fprintf(w, "      %s\n", migrationProgress(m))
		fmt.Fprintln(w)
	}
}

func (v *markdownView) migrations(ms []*plan.MigrationPlan) {
	if len(ms) == 0 {
		return
	}
	w := v.w
	fmt.Fprintln(w, "### Migrations")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "`lakesync migrate NAME` runs these; `apply` does not.")
	fmt.Fprintln(w)
	for _, m := range ms {
		fmt.Fprintf(w, "- %s: %s.\n", mdCode("migration \""+m.Name+"\""), mdText(migrationMove(m, "→")))
		if m.Role != "" {
			fmt.Fprintf(w, "  - Copies server-side as %s.\n", mdCode(m.Role))
		}
		fmt.Fprintf(w, "  - %s.\n", mdText(upperFirst(migrationProgress(m))))
	}
	fmt.Fprintln(w)
}

// upperFirst is s with its first letter, when ASCII lower case, upper
// case: a line that starts a sentence.
func upperFirst(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}
