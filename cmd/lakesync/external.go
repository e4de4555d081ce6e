package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/view"
	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec"
	"github.com/lakesync/lakesync/internal/plan"
	"github.com/lakesync/lakesync/internal/policy"
)

// hasExternal reports whether a bucket, key or role of cfg has policy =
// "external".
func hasExternal(cfg *config.Config) bool {
	for _, b := range cfg.Buckets {
		if b.Policy.External() {
			return true
		}
	}
	for _, k := range cfg.Keys {
		if k.Policy.External() {
			return true
		}
	}
	for _, r := range cfg.Roles {
		if r.Policy.External() {
			return true
		}
	}
	return false
}

// refuseExternalGaps reads the documents in force once the managed ones
// are written, and refuses every job whose external documents still lack
// a grant it needs: each is shown (v.Refused), and the returned cfg
// holds only the other jobs. refused is the exit error to return once
// those have run, nil when no job is refused.
func refuseExternalGaps(ctx context.Context, cfg *config.Config, acc *exec.Accounts, v view.Apply) (run *config.Config, refused *exitCodeError, err error) {
	if !hasExternal(cfg) {
		return cfg, nil, nil
	}
	obs, err := exec.Observe(ctx, cfg, acc)
	if err != nil {
		return nil, nil, fmt.Errorf("reading the documents with policy = \"external\" before copying: %w", err)
	}
	report, err := plan.Access(cfg, obs)
	if err != nil {
		return nil, nil, err
	}
	gaps := map[string][]policy.Finding{}
	for _, ja := range report {
		if len(ja.External) > 0 {
			gaps[ja.Job] = ja.External
		}
	}
	if len(gaps) == 0 {
		return cfg, nil, nil
	}
	copyCfg := *cfg // the jobs that copy; the loaded configuration is never changed
	copyCfg.Jobs = nil
	var msgs []string
	for _, j := range cfg.Jobs {
		g := gaps[j.Name]
		if len(g) == 0 {
			copyCfg.Jobs = append(copyCfg.Jobs, j)
			continue
		}
		v.Refused(j.Name, g)
		msgs = append(msgs, refusalMessage(j.Name, g))
	}
	return &copyCfg, &exitCodeError{code: exitError, msg: strings.Join(msgs, "\n")}, nil
}

// refusalMessage names what a refused job lacks, per document.
func refusalMessage(job string, gaps []policy.Finding) string {
	var docs []string
	byDoc := map[string][]string{}
	principal := ""
	for _, g := range gaps {
		if byDoc[g.Document] == nil {
			docs = append(docs, g.Document)
		}
		byDoc[g.Document] = append(byDoc[g.Document], strings.Join(g.Actions, ", ")+" on "+g.Resource)
		principal = g.Principal
	}
	var parts []string
	for _, d := range docs {
		parts = append(parts, d+" lacks "+strings.Join(byDoc[d], ", "))
	}
	return fmt.Sprintf("sync %q copied nothing: its documents with policy = \"external\" do not grant %s what it needs: %s; add the statements of lakesync export terraform --job %s to them, then run lakesync apply again",
		job, principal, strings.Join(parts, "; "), job)
}
