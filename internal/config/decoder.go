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

	// aliasRegionBy is, for a key named by alias, the first bucket using
	// it, which set its region.
	aliasRegionBy map[*Key]*Bucket
	// aliasRegionByMigration is, for a key named by alias that no bucket
	// uses, the first migration recreating its bucket with it, which
	// gave the key its region.
	aliasRegionByMigration map[*Key]*Migration

	// jobAttrs remembers where each job's attributes are, for the
	// cross-job checks that point at an attribute.
	jobAttrs map[*Job]hcl.Attributes
}

func newDecoder(cliVars func() map[string]string, lookupEnv func(string) (string, bool)) *decoder {
	return &decoder{
		cliVars:   cliVars,
		lookupEnv: lookupEnv,
		accounts:  map[string]*Account{},
		keys:      map[string]*Key{},
		buckets:   map[string]*Bucket{},
		roles:     map[string]*Role{},
		jobAttrs:  map[*Job]hcl.Attributes{},

		aliasRegionBy:          map[*Key]*Bucket{},
		aliasRegionByMigration: map[*Key]*Migration{},
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
		{Type: "migration", LabelNames: []string{"name"}},
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
	cfg.Accounts = decodeAll(byType["account"], unique, d.decodeAccount, func(a *Account) { d.accounts[a.Name] = a })
	cfg.Keys = decodeAll(byType["key"], unique, d.decodeKey, func(k *Key) { d.keys[k.Name] = k })
	cfg.Buckets = decodeAll(byType["bucket"], unique, d.decodeBucket, func(b *Bucket) { d.buckets[b.Name] = b })
	for _, k := range cfg.Keys {
		if k.Region == "" && k.Account != nil {
			k.Region = k.Account.Region // an alias no bucket uses
		}
	}
	cfg.Roles = decodeAll(byType["role"], unique, d.decodeRole, func(r *Role) { d.roles[r.Name] = r })
	cfg.Jobs = decodeAll(byType["sync"], unique, d.decodeJob, func(*Job) {})
	cfg.Migrations = decodeAll(byType["migration"], unique, d.decodeMigration, func(*Migration) {})
	cfg.State = d.decodeState(byType["state"])

	d.checkJobs(cfg)
	return cfg
}

// decodeAll decodes the blocks of one type in order and registers the
// unique ones for references. A duplicate block is still decoded, so that
// its own mistakes are reported too, but it is neither registered nor
// returned.
func decodeAll[T any](blocks []*hcl.Block, unique func(*hcl.Block) bool, decode func(*hcl.Block) T, register func(T)) []T {
	var out []T
	for _, b := range blocks {
		if v := decode(b); unique(b) {
			register(v)
			out = append(out, v)
		}
	}
	return out
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
