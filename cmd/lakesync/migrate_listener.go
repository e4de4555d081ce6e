package main

import (
	"fmt"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/view"
	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec"
	"github.com/lakesync/lakesync/internal/exec/copier"
	"github.com/lakesync/lakesync/internal/exec/migrate"
	"github.com/lakesync/lakesync/internal/plan"
)

// migrateListener hands a migration's events to its view.
type migrateListener struct {
	v       view.Migrate
	name    string
	step    int    // the step of the last event
	stopped string // the stop's message
}

func (l *migrateListener) Start(from int) {
	l.v.Start(view.MigrationStartLine{Migration: l.name, Steps: migrate.Titles[1:], From: from})
}

func (l *migrateListener) Step(e migrate.StepEvent) {
	l.step = e.Step
	if e.Status == migrate.StatusStopped {
		l.stopped = e.Message
	}
	l.v.Step(view.MigrationStepLine{Migration: e.Migration, Step: e.Step, Of: migrate.Steps, Title: e.Title(),
		Status: e.Status, Percent: e.Percent, Message: e.Message})
}

func (l *migrateListener) Plan(p *plan.Plan) { l.v.Plan(p) }

func (l *migrateListener) Policy(ev exec.PolicyEvent) {
	l.v.Policy(ev.Address.String(), ev.What, ev.Action, ev.Err)
}

func (l *migrateListener) Notice(msg string) { l.v.Notice(msg) }

func (l *migrateListener) Copy(job *config.Job) copier.CopyListener {
	c := l.v.Copy()
	c.Begin(job)
	return c
}

func (l *migrateListener) Verified(res *copier.VerifyResult) {
	l.v.Notice(fmt.Sprintf("%s: %d object(s) verified (%d by checksum, %d by content), %d difference(s)",
		res.Job, res.Objects, res.Checksummed, res.Hashed, len(res.Differences)))
}

func (l *migrateListener) Deletion(d migrate.Deletion) {
	out := view.MigrationDeletion{Migration: l.name, Bucket: d.Bucket.BucketName, AccountName: d.Bucket.Account.Name, AccountID: d.Bucket.Account.ID,
		Objects: d.Census.Objects, Versions: d.Census.Versions, DeleteMarkers: d.Census.DeleteMarkers, Bytes: d.Census.Bytes,
		Settings: []view.MigrationSetting{}, File: d.File}
	for _, s := range d.Settings {
		out.Settings = append(out.Settings, view.MigrationSetting{Name: s.Name, Reapply: s.Reapply, Document: s.JSON})
	}
	l.v.Deletion(out)
}
