package config

import (
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

var variableSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "default"},
		{Name: "description"},
	},
}

// decodeVariables decodes the variable blocks and builds the evaluation
// context every other attribute is evaluated in: var.NAME is the --var
// value, else LAKESYNC_VAR_NAME, else the default.
func (d *decoder) decodeVariables(blocks []*hcl.Block, unique func(*hcl.Block) bool) []*Variable {
	var out []*Variable
	values := map[string]cty.Value{}
	for _, b := range blocks {
		if !unique(b) {
			continue
		}
		content, diags := b.Body.Content(variableSchema)
		d.diags = append(d.diags, diags...)
		v := &Variable{Name: b.Labels[0], DeclRange: b.DefRange}
		if attr, ok := content.Attributes["description"]; ok {
			dv, diags := attr.Expr.Value(nil)
			d.diags = append(d.diags, diags...)
			if s, err := convert.Convert(dv, cty.String); err == nil && s.IsKnown() && !s.IsNull() {
				v.Description = s.AsString()
			} else if !diags.HasErrors() {
				d.errorf(attr.Expr.Range().Ptr(), "Invalid description", "A variable's description is a string.")
			}
		}
		val := cty.DynamicVal
		if attr, ok := content.Attributes["default"]; ok {
			dv, diags := attr.Expr.Value(nil)
			d.diags = append(d.diags, diags...)
			if !diags.HasErrors() {
				val = dv
				if s, err := convert.Convert(dv, cty.String); err == nil && s.IsKnown() && !s.IsNull() {
					str := s.AsString()
					v.Default = &str
				}
			}
		}
		if s, ok := d.lookupEnv(EnvVarPrefix + v.Name); ok {
			val = cty.StringVal(s)
		}
		if s, ok := d.cliVars()[v.Name]; ok {
			val = cty.StringVal(s)
		}
		if val == cty.DynamicVal {
			d.errorf(b.DefRange.Ptr(), "No value for required variable",
				"The variable %q has no default. Set it with --var %s=VALUE or the environment variable %s%s, or add a default.",
				v.Name, v.Name, EnvVarPrefix, v.Name)
		}
		values[v.Name] = val
		out = append(out, v)
	}
	var undeclared []string
	for name := range d.cliVars() {
		if _, ok := values[name]; !ok {
			undeclared = append(undeclared, name)
		}
	}
	sort.Strings(undeclared)
	for _, name := range undeclared {
		d.diags = append(d.diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Value for undeclared variable",
			Detail:   sprintf("--var %s was given, but the configuration declares no variable %q.%s Declare it with a variable %q block, or remove the --var.", name, name, didYouMean(name, keysOf(values)), name),
		})
	}
	d.evalCtx = &hcl.EvalContext{Variables: map[string]cty.Value{"var": cty.ObjectVal(values)}}
	return out
}
