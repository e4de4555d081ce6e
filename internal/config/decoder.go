package config

import (
	"github.com/hashicorp/hcl/v2"
)

// decoder decodes one file. It appends diagnostics and keeps going, so the
// user sees every problem at once. Blocks are registered by name even when
// some of their attributes are invalid, so that one mistake does not cause
// a cascade of "undeclared" errors in the blocks that refer to it.
type decoder struct {
	diags hcl.Diagnostics

	cliVars   func() map[string]string
	lookupEnv func(string) (string, bool)
	evalCtx   *hcl.EvalContext

	accounts map[string]*Account
	keys     map[string]*Key
	buckets  map[string]*Bucket
	roles    map[string]*Role

	// keyBlocks remembers where each key block's attributes are, for
	// cross-block checks that point at an attribute.
	bucketKeyAttr map[*Bucket]*hcl.Attribute
	jobAttrs      map[*Job]hcl.Attributes
}

func newDecoder(cliVars func() map[string]string, lookupEnv func(string) (string, bool)) *decoder {
	return &decoder{
		cliVars:       cliVars,
		lookupEnv:     lookupEnv,
		accounts:      map[string]*Account{},
		keys:          map[string]*Key{},
		buckets:       map[string]*Bucket{},
		roles:         map[string]*Role{},
		bucketKeyAttr: map[*Bucket]*hcl.Attribute{},
		jobAttrs:      map[*Job]hcl.Attributes{},
	}
}

var fileSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "variable", LabelNames: []string{"name"}},
		{Type: "account", LabelNames: []string{"name"}},
		{Type: "key", LabelNames: []string{"name"}},
		{Type: "bucket", LabelNames: []string{"name"}},
		{Type: "role", LabelNames: []string{"name"}},
		{Type: "sync", LabelNames: []string{"name"}},
		{Type: "state"},
	},
}

// decodeFile decodes the blocks in dependency order: variables, accounts,
// keys, buckets, roles, jobs, state. Declaration order in the file does not
// matter; the Config lists blocks in the order they were declared.
func (d *decoder) decodeFile(body hcl.Body) *Config {
	content, diags := body.Content(fileSchema)
	d.diags = append(d.diags, diags...)

	byType := map[string][]*hcl.Block{}
	for _, b := range content.Blocks {
		byType[b.Type] = append(byType[b.Type], b)
	}
	cfg := &Config{}
	seen := map[string]map[string]*hcl.Block{}
	unique := func(b *hcl.Block) bool {
		if seen[b.Type] == nil {
			seen[b.Type] = map[string]*hcl.Block{}
		}
		if len(b.Labels) == 0 {
			return true
		}
		name := b.Labels[0]
		if prev, dup := seen[b.Type][name]; dup {
			d.errorf(b.DefRange.Ptr(), "Duplicate "+b.Type+" block",
				"A %s named %q was already declared at %s. Give each %s block its own name.",
				b.Type, name, prev.DefRange, b.Type)
			return false
		}
		seen[b.Type][name] = b
		if !validName(name) {
			d.errorf(b.LabelRanges[0].Ptr(), "Invalid block name",
				"The name %q cannot be used in references. Use letters, digits, '_' and '-', starting with a letter, e.g. %q.",
				name, suggestName(name))
		}
		return true
	}

	cfg.Variables = d.decodeVariables(byType["variable"], unique)
	// A duplicate block is still decoded, so that its own mistakes are
	// reported too, but it is not registered under its name.
	for _, b := range byType["account"] {
		if a := d.decodeAccount(b); unique(b) {
			d.accounts[a.Name] = a
			cfg.Accounts = append(cfg.Accounts, a)
		}
	}
	for _, b := range byType["key"] {
		if k := d.decodeKey(b); unique(b) {
			d.keys[k.Name] = k
			cfg.Keys = append(cfg.Keys, k)
		}
	}
	for _, b := range byType["bucket"] {
		if bk := d.decodeBucket(b); unique(b) {
			d.buckets[bk.Name] = bk
			cfg.Buckets = append(cfg.Buckets, bk)
		}
	}
	for _, b := range byType["role"] {
		if r := d.decodeRole(b); unique(b) {
			d.roles[r.Name] = r
			cfg.Roles = append(cfg.Roles, r)
		}
	}
	for _, b := range byType["sync"] {
		if j := d.decodeJob(b); unique(b) {
			cfg.Jobs = append(cfg.Jobs, j)
		}
	}
	cfg.State = d.decodeState(byType["state"])

	d.checkJobs(cfg)
	return cfg
}

// errorf appends an error diagnostic. summary is fixed text; the detail is
// a format string: what is wrong and what to write instead.
func (d *decoder) errorf(subject *hcl.Range, summary, detailFormat string, args ...any) {
	d.diags = append(d.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   sprintf(detailFormat, args...),
		Subject:  subject,
	})
}
