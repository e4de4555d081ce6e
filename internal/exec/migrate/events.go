package migrate

import (
	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec"
	"github.com/lakesync/lakesync/internal/exec/bucketops"
	"github.com/lakesync/lakesync/internal/exec/copier"
	"github.com/lakesync/lakesync/internal/plan"
)

// Steps is how many steps a migration has.
const Steps = plan.MigrationSteps

// The steps of a migration, in order.
const (
	StepCopyOut      = 1 // create the temporary bucket, copy into it, verify
	StepConfirm      = 2 // show what the deletion deletes; go on only when confirmed
	StepDeleteSource = 3 // copy what changed, verify, empty and delete the source
	StepRecreate     = 4 // create the bucket under its name in the destination account
	StepCopyBack     = 5 // copy the temporary bucket into it, verify
	StepDeleteTemp   = 6 // empty and delete the temporary bucket
)

// Titles are the steps' titles, by step (index 0 unused).
var Titles = plan.MigrationStepTitles

// shares are each step's share of the whole migration, in percent.
var shares = [Steps + 1]int{0, 40, 0, 10, 5, 40, 5}

// Statuses of a StepEvent and of a Summary.
const (
	StatusStarted  = "started"
	StatusProgress = "progress"
	StatusWaiting  = "waiting"
	StatusStopped  = "stopped"
	StatusDone     = "done"
	StatusFailed   = "failed"
)

// StepEvent is one transition of a step: started, progress (Percent
// moved), waiting (Message says for what), stopped, done or failed.
// Percent is the whole migration's progress, 0-100.
type StepEvent struct {
	Migration string
	Step      int
	Status    string
	Percent   int
	Message   string
}

// Title is the step's title.
func (e StepEvent) Title() string { return Titles[e.Step] }

// percent is the whole migration's progress at fraction f (0-1) of step.
func percent(step int, f float64) int {
	done := 0
	for s := 1; s < step; s++ {
		done += shares[s]
	}
	f = min(max(f, 0), 1)
	return done + int(f*float64(shares[step]))
}

// Deletion is what step 2 shows before anything is deleted: the source
// bucket, what it holds, and the settings that do not move with its
// objects (also written to File).
type Deletion struct {
	Bucket   *config.Bucket
	Census   bucketops.Census
	Settings []bucketops.Setting
	File     string
}

// Listener receives a migration's events, in order, from one goroutine.
type Listener interface {
	// Start says the run goes on from step from (1 for a new migration;
	// the steps before it were done by earlier runs), once nothing
	// refused it.
	Start(from int)
	// Step is a step's transition.
	Step(StepEvent)
	// Plan is the plan of a copy step's derived configuration, before
	// its policies and settings are applied.
	Plan(p *plan.Plan)
	// Policy is one change of that plan, made or failed.
	Policy(exec.PolicyEvent)
	// Notice is a line for people: a wait for a grant to take effect,
	// what a step does next.
	Notice(msg string)
	// Copy is the listener of one copy's object events; it is called as
	// the copy of job begins.
	Copy(job *config.Job) copier.CopyListener
	// Verified is a copy's verification.
	Verified(res *copier.VerifyResult)
	// Deletion is what step 2 would delete.
	Deletion(d Deletion)
}
