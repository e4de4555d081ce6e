package main

import (
	"github.com/hashicorp/hcl/v2"
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
	l := config.NewLoader()
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
	dw := &diagnosticWriter{w: g.streams.Err, files: files, width: g.streams.Width, color: g.color(g.streams.ErrTTY)}
	dw.write(diags)
}
