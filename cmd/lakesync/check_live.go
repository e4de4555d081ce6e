package main

import (
	"context"
	"fmt"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/view"
	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec"
	"github.com/lakesync/lakesync/internal/exec/awserr"
)

// runCheckLive makes every job's live check with the credentials its
// copier uses (see newCopier) and exits 1 when any request failed.
func runCheckLive(ctx context.Context, opts *checkOptions, cfg *config.Config) error {
	acc := exec.NewAccounts(cfg)
	var report []view.LiveJob
	ok := true
	for _, job := range cfg.Jobs {
		c, err := acc.Copier(ctx, job, nil, false)
		if err != nil {
			return fmt.Errorf("sync %q: %w", job.Name, err)
		}
		lj := view.LiveJob{Job: job.Name, Transfer: string(job.Transfer)}
		for _, s := range exec.CheckLive(ctx, job, c.Source, c.Destination, c.KMSKeyID) {
			ls := view.LiveStep{Step: liveStepName(s), Action: s.Action, Resource: s.Resource, Note: s.Note, Documents: s.Documents}
			switch {
			case s.OK:
				ls.Outcome = view.LiveOK
			case s.Skipped():
				ls.Outcome = view.LiveSkipped
			case awserr.IsAccessDenied(s.Err):
				ls.Outcome, ls.Error, ok = view.LiveRefused, s.Err.Error(), false
			default:
				ls.Outcome, ls.Error, ok = view.LiveFailed, s.Err.Error(), false
			}
			lj.Steps = append(lj.Steps, ls)
		}
		report = append(report, lj)
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	if err := opts.view().Live(report); err != nil {
		return err
	}
	if !ok {
		return &exitCodeError{code: exitError, msg: "some requests failed: grant the missing permissions in the documents named above (lakesync plan and lakesync apply write lakesync's own)"}
	}
	return nil
}

// liveStepName is what a step of the live check tried, in the user's
// words.
func liveStepName(s exec.LiveStep) string {
	switch s.Kind {
	case exec.StepListSource:
		if s.Prefix == "" {
			return "list the source under the whole bucket"
		}
		return fmt.Sprintf("list the source under %q", s.Prefix)
	case exec.StepHeadObject:
		return "read the first object's metadata"
	case exec.StepCreateUpload:
		if s.KMSKeyID != "" {
			return "create a multipart upload at the destination encrypted with " + s.KMSKeyID
		}
		return "create a multipart upload at the destination"
	case exec.StepAbortUpload:
		return "abort that upload"
	}
	return string(s.Kind)
}
