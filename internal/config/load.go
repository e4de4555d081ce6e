package config

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
)

// EnvVarPrefix prefixes the environment variables that set input
// variables: LAKESYNC_VAR_env=prod sets var.env.
const EnvVarPrefix = "LAKESYNC_VAR_"

// Loader parses configuration files and keeps their sources, so that
// diagnostics can be printed with the offending source line.
type Loader struct {
	parser *hclparse.Parser
	// Vars are the values given with --var NAME=VALUE; they win over the
	// environment and over defaults.
	Vars map[string]string
	// ReadFile reads a configuration file; LookupEnv reads an environment
	// variable (LAKESYNC_VAR_*). The package does no I/O of its own: the
	// command passes os.ReadFile and os.LookupEnv, a test what it likes.
	ReadFile  func(path string) ([]byte, error)
	LookupEnv func(name string) (string, bool)
}

// NewLoader returns a Loader with an empty file cache that reads files
// with readFile and the environment with lookupEnv (nil: no variable is
// set).
func NewLoader(readFile func(string) ([]byte, error), lookupEnv func(string) (string, bool)) *Loader {
	return &Loader{parser: hclparse.NewParser(), ReadFile: readFile, LookupEnv: lookupEnv}
}

// Files returns every file the loader has parsed, by name, for
// hcl.NewDiagnosticTextWriter.
func (l *Loader) Files() map[string]*hcl.File { return l.parser.Files() }

// LoadFile reads, parses and decodes the configuration file at path.
func (l *Loader) LoadFile(path string) (*Config, hcl.Diagnostics) {
	if l.ReadFile == nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read configuration file",
			Detail: fmt.Sprintf("%s: this loader reads no files; parse the source with Parse.", path)}}
	}
	src, err := l.ReadFile(path)
	if err != nil {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read configuration file",
			Detail:   fmt.Sprintf("%s. Pass the file with --config FILE (default lakesync.hcl).", err),
		}}
	}
	return l.Parse(src, path)
}

// Parse parses and decodes src, naming it filename in diagnostics.
func (l *Loader) Parse(src []byte, filename string) (*Config, hcl.Diagnostics) {
	file, diags := l.parser.ParseHCL(src, filename)
	if diags.HasErrors() {
		return nil, diags
	}
	d := newDecoder(l.vars, l.lookupEnv)
	cfg := d.decodeFile(file.Body)
	diags = append(diags, d.diags...)
	sortDiagnostics(diags)
	if diags.HasErrors() {
		return nil, diags
	}
	return cfg, diags
}

// sortDiagnostics orders diagnostics by where they are in the file, those
// without a place first, so the user reads them top to bottom; those at
// one place stay in the order they were found.
func sortDiagnostics(diags hcl.Diagnostics) {
	sort.SliceStable(diags, func(i, j int) bool {
		a, b := diags[i].Subject, diags[j].Subject
		switch {
		case a == nil || b == nil:
			return a == nil && b != nil
		case a.Filename != b.Filename:
			return a.Filename < b.Filename
		}
		return a.Start.Byte < b.Start.Byte
	})
}

func (l *Loader) vars() map[string]string { return l.Vars }

func (l *Loader) lookupEnv(name string) (string, bool) {
	if l.LookupEnv != nil {
		return l.LookupEnv(name)
	}
	return "", false
}

// ParseVarFlag splits a --var argument NAME=VALUE.
func ParseVarFlag(s string) (name, value string, err error) {
	name, value, ok := strings.Cut(s, "=")
	if !ok || name == "" {
		return "", "", fmt.Errorf("invalid --var %q: write --var NAME=VALUE", s)
	}
	return name, value, nil
}
