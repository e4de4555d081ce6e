package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec"
	"github.com/lakesync/lakesync/internal/exec/awserr"
)

// liveJob is the live check of one job, as rendered and as --json
// serialises it.
type liveJob struct {
	Job      string     `json:"job"`
	Transfer string     `json:"transfer"`
	Steps    []liveStep `json:"steps"`
}

type liveStep struct {
	Step      string   `json:"step"`
	Action    string   `json:"action"`
	Resource  string   `json:"resource"`
	Outcome   string   `json:"outcome"` // "ok", "refused", "failed" or "skipped"
	Note      string   `json:"note,omitempty"`
	Documents []string `json:"documents,omitempty"`
	Error     string   `json:"error,omitempty"`
}

// runCheckLive makes every job's live check with the credentials its
// copier uses (see newCopier) and exits 1 when any request failed.
func runCheckLive(ctx context.Context, opts *checkOptions, cfg *config.Config) error {
	acc := exec.NewAccounts(cfg)
	var report []liveJob
	ok := true
	for _, job := range cfg.Jobs {
		c, err := newCopier(ctx, acc, job, nil, false)
		if err != nil {
			return fmt.Errorf("sync %q: %w", job.Name, err)
		}
		lj := liveJob{Job: job.Name, Transfer: string(job.Transfer)}
		for _, s := range exec.CheckLive(ctx, job, c.Source, c.Destination, c.KMSKeyID) {
			ls := liveStep{Step: liveStepName(s), Action: s.Action, Resource: s.Resource, Note: s.Note, Documents: s.Documents}
			switch {
			case s.OK:
				ls.Outcome = "ok"
			case s.Skipped():
				ls.Outcome = "skipped"
			case awserr.IsAccessDenied(s.Err):
				ls.Outcome, ls.Error, ok = "refused", s.Err.Error(), false
			default:
				ls.Outcome, ls.Error, ok = "failed", s.Err.Error(), false
			}
			lj.Steps = append(lj.Steps, ls)
		}
		report = append(report, lj)
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	if opts.JSON {
		if err := writeJSON(opts.streams.Out, report); err != nil {
			return err
		}
	} else {
		renderLive(opts, report)
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

func renderLive(opts *checkOptions, report []liveJob) {
	v := &planView{w: opts.streams.Out, color: opts.color(opts.streams.OutTTY)}
	for _, lj := range report {
		fmt.Fprintf(v.w, "sync %q (%s), live\n", lj.Job, lj.Transfer)
		ok := true
		for _, s := range lj.Steps {
			mark := v.paint(ansiGreen, "ok")
			switch s.Outcome {
			case "skipped":
				mark = "skipped"
			case "refused", "failed":
				mark, ok = v.paint(ansiRed, s.Outcome), false
			}
			fmt.Fprintf(v.w, "  %-8s %s: %s on %s\n", mark, s.Step, s.Action, s.Resource)
			if s.Note != "" {
				fmt.Fprintf(v.w, "           %s\n", s.Note)
			}
			if len(s.Documents) > 0 {
				fmt.Fprintf(v.w, "           missing permission %s, likely in %s\n", s.Action, strings.Join(s.Documents, ", else "))
			}
			if s.Error != "" {
				fmt.Fprintf(v.w, "           error: %s\n", s.Error)
			}
		}
		verdict := "access proven; no data was moved"
		if !ok {
			verdict = "NOT every request succeeded"
		}
		fmt.Fprintf(v.w, "  => %s\n\n", verdict)
	}
}
