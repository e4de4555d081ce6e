package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/view"
	"github.com/lakesync/lakesync/internal/config"
)

// loadConfig loads the --config file with the --var values and prints its
// diagnostics. It returns an exitCodeError when the file is invalid.
func (g *globalOptions) loadConfig() (*config.Config, error) {
	vars := map[string]string{}
	for _, v := range g.Vars {
		name, value, err := config.ParseVarFlag(v)
		if err != nil {
			return nil, err
		}
		vars[name] = value
	}
	l := config.NewLoader(os.ReadFile, os.LookupEnv)
	l.Vars = vars
	cfg, diags := l.LoadFile(g.ConfigPath)
	if len(diags) > 0 {
		g.printDiagnostics(l.Files(), diags)
	}
	if diags.HasErrors() {
		return nil, &exitCodeError{code: exitError}
	}
	tuneGC(cfg)
	return cfg, nil
}

// printDiagnostics writes diagnostics to standard error.
func (g *globalOptions) printDiagnostics(files map[string]*hcl.File, diags hcl.Diagnostics) {
	view.WriteDiagnostics(g.streams.Err, files, g.streams.Width, g.color(g.streams.ErrTTY), diags)
}

// selectJobs is every job of cfg, or only the one --job names.
func (g *globalOptions) selectJobs(cfg *config.Config, name string) ([]*config.Job, error) {
	if name == "" {
		return cfg.Jobs, nil
	}
	j, err := g.pickJob(cfg, name)
	if err != nil {
		return nil, err
	}
	return []*config.Job{j}, nil
}

// pickJob is the job --job names, or the only job when name is empty.
func (g *globalOptions) pickJob(cfg *config.Config, name string) (*config.Job, error) {
	if name == "" && len(cfg.Jobs) == 1 {
		return cfg.Jobs[0], nil
	}
	if j := cfg.Job(name); j != nil {
		return j, nil
	}
	if len(cfg.Jobs) == 0 {
		return nil, fmt.Errorf("%s declares no sync job", g.ConfigPath)
	}
	names := make([]string, len(cfg.Jobs))
	for i, j := range cfg.Jobs {
		names[i] = j.Name
	}
	if name == "" {
		return nil, fmt.Errorf("%s has %d jobs: name one with --job (%s)", g.ConfigPath, len(cfg.Jobs), strings.Join(names, ", "))
	}
	return nil, fmt.Errorf("no sync %q in %s: --job takes one of %s", name, g.ConfigPath, strings.Join(names, ", "))
}
