package ui

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/view"
)

// Live is what a run's JSON event lines said so far, as its page shows
// it: per job the objects done against the plan's count, bytes, rates,
// requests in flight and recent failures; the policy changes; a
// migration's steps (the events of lakesync migrate --json, read with the
// view's own line types); the summary.
type Live struct {
	Jobs     []*JobLive          `json:"jobs"`
	Policies []string            `json:"policies"`
	Steps    view.MigrationSteps `json:"steps,omitempty"`
	Percent  float64             `json:"percent"` // a migration's, else the jobs' together
	Summary  *view.SummaryLine   `json:"summary,omitempty"`
	// Deletion is what a migration's step 3 deletes and the settings
	// that do not move; Migrated is the migration's end.
	Deletion *view.MigrationDeletion    `json:"migration_deletion,omitempty"`
	Migrated *view.MigrationSummaryLine `json:"migration_summary,omitempty"`
	migrate  bool                       // a migration_step was seen: Percent is its
	jobs     map[string]*JobLive        // by name
}

// JobLive is one job's progress.
type JobLive struct {
	Name    string `json:"name"`
	Planned int64  `json:"planned"` // objects the plan copies, adopts or deletes; 0 unknown
	Done    int64  `json:"done"`
	Bytes   int64  `json:"bytes"`
	Failed  int64  `json:"failed"`
	// InFlight is the requests in flight as the last object ended;
	// Elapsed is when it ended, seconds since the copy began.
	InFlight      int       `json:"in_flight"`
	Elapsed       float64   `json:"elapsed"`
	ObjectsPerSec float64   `json:"objects_per_sec"`
	MBPerSec      float64   `json:"mb_per_sec"`
	Percent       float64   `json:"percent"`
	Recent        []Failure `json:"recent_failures"`
}

// Failure is one failed object.
type Failure struct {
	Key   string `json:"key"`
	Error string `json:"error"`
}

// recentFailures is how many failures of a job the page keeps.
const recentFailures = 5

// NewLive is the progress of a run whose plan counts planned objects per
// job (nil: unknown).
func NewLive(planned map[string]int64) *Live {
	l := &Live{Jobs: []*JobLive{}, Policies: []string{}, jobs: map[string]*JobLive{}}
	for _, name := range sortedNames(planned) {
		l.job(name).Planned = planned[name]
	}
	return l
}

func (l *Live) job(name string) *JobLive {
	j := l.jobs[name]
	if j == nil {
		j = &JobLive{Name: name, Recent: []Failure{}}
		l.jobs[name] = j
		l.Jobs = append(l.Jobs, j)
	}
	return j
}

// Add reads one event line; a line that is not a JSON object is an error.
func (l *Live) Add(line []byte) error {
	var head struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(line, &head); err != nil {
		return fmt.Errorf("not a JSON event: %w", err)
	}
	switch head.Type {
	case "object":
		var o view.ObjectEventLine
		if err := json.Unmarshal(line, &o); err != nil {
			return err
		}
		l.object(o)
	case "policy":
		var p view.PolicyEventLine
		if err := json.Unmarshal(line, &p); err != nil {
			return err
		}
		s := p.Address + ": " + p.What + " " + p.Action
		if p.Error != "" {
			s += ": " + p.Error
		}
		l.Policies = append(l.Policies, s)
	case "migration_start":
		var s view.MigrationStartLine
		if err := json.Unmarshal(line, &s); err != nil {
			return err
		}
		l.start(s)
	case "migration_step":
		var s view.MigrationStepLine
		if err := json.Unmarshal(line, &s); err != nil {
			return err
		}
		l.step(s)
	case "migration_deletion":
		var d view.MigrationDeletion
		if err := json.Unmarshal(line, &d); err != nil {
			return err
		}
		l.Deletion = &d
	case "migration_summary":
		var m view.MigrationSummaryLine
		if err := json.Unmarshal(line, &m); err != nil {
			return err
		}
		l.Migrated = &m
		if m.Status == "done" {
			l.Percent = 100
		}
	case "summary":
		var s view.SummaryLine
		if err := json.Unmarshal(line, &s); err != nil {
			return err
		}
		l.Summary = &s
		// The copy is over: every job did all it would.
		for _, j := range l.Jobs {
			j.Percent = 100
		}
		if !l.migrate {
			l.Percent = 100
		}
	}
	return nil
}

func (l *Live) object(o view.ObjectEventLine) {
	j := l.job(o.Job)
	j.Done++
	j.Bytes += o.Bytes
	if o.Error != "" {
		j.Failed++
		j.Recent = append(j.Recent, Failure{Key: o.Key, Error: o.Error})
		if len(j.Recent) > recentFailures {
			j.Recent = j.Recent[len(j.Recent)-recentFailures:]
		}
	}
	j.InFlight = o.InFlight
	if o.Elapsed > j.Elapsed {
		j.Elapsed = o.Elapsed
	}
	if j.Elapsed > 0 {
		j.ObjectsPerSec = round1(float64(j.Done) / j.Elapsed)
		j.MBPerSec = round1(float64(j.Bytes) / 1e6 / j.Elapsed)
	}
	if j.Planned > 0 {
		j.Percent = math.Min(99, math.Floor(float64(j.Done)*100/float64(j.Planned)))
	}
	if !l.migrate {
		l.Percent = l.jobsPercent()
	}
}

// jobsPercent is the objects done of all jobs against their planned
// count; 100 only once the summary says the copy is over.
func (l *Live) jobsPercent() float64 {
	var done, planned int64
	for _, j := range l.Jobs {
		done += min(j.Done, j.Planned)
		planned += j.Planned
	}
	if planned == 0 {
		return 0
	}
	return math.Min(99, math.Floor(float64(done)*100/float64(planned)))
}

func (l *Live) start(s view.MigrationStartLine) {
	l.migrate = true
	l.Steps.Start(s)
}

func (l *Live) step(s view.MigrationStepLine) {
	l.migrate = true
	l.Percent = float64(s.Percent)
	l.Steps.Step(s)
}

// StepLine is a migration step as the human view of lakesync migrate
// says it: "step 3 of 6 (copying back), 56%"; a step yet to start is
// "step 6 of 6 (deleting the temporary bucket)", or "step 6 of 6" when
// the stream did not say its title.
func StepLine(s view.MigrationStepLine) string {
	switch {
	case s.Title == "":
		return fmt.Sprintf("step %d of %d", s.Step, s.Of)
	case s.Status == "pending" || s.Message == view.EarlierRun:
		return fmt.Sprintf("step %d of %d (%s)", s.Step, s.Of, s.Title)
	}
	return fmt.Sprintf("step %d of %d (%s), %d%%", s.Step, s.Of, s.Title, s.Percent)
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }
