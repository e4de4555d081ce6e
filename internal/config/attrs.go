package config

import (
	"math/big"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// value evaluates attr to a known value of type want. ok is false when the
// attribute is absent, unknown (a variable with no value) or wrong; the
// problem is already reported.
func (d *decoder) value(attrs hcl.Attributes, name string, want cty.Type) (cty.Value, *hcl.Attribute, bool) {
	attr, present := attrs[name]
	if !present {
		return cty.NilVal, nil, false
	}
	v, diags := attr.Expr.Value(d.evalCtx)
	d.diags = append(d.diags, diags...)
	if diags.HasErrors() || !v.IsWhollyKnown() {
		return cty.NilVal, attr, false
	}
	if v.IsNull() {
		d.errorf(attr.Expr.Range().Ptr(), "Null value", "The argument %q must be set to a %s; remove the line to use the default.", name, want.FriendlyName())
		return cty.NilVal, attr, false
	}
	cv, err := convert.Convert(v, want)
	if err != nil {
		d.errorf(attr.Expr.Range().Ptr(), "Incorrect value type",
			"The argument %q takes a %s: %s.", name, want.FriendlyName(), err)
		return cty.NilVal, attr, false
	}
	return cv, attr, true
}

func (d *decoder) str(attrs hcl.Attributes, name string) (string, *hcl.Attribute) {
	v, attr, ok := d.value(attrs, name, cty.String)
	if !ok {
		return "", attr
	}
	return v.AsString(), attr
}

func (d *decoder) boolean(attrs hcl.Attributes, name string) (bool, *hcl.Attribute) {
	v, attr, ok := d.value(attrs, name, cty.Bool)
	if !ok {
		return false, attr
	}
	return v.True(), attr
}

// integer decodes a whole number; ok is false when absent or invalid.
func (d *decoder) integer(attrs hcl.Attributes, name string) (int64, *hcl.Attribute, bool) {
	v, attr, ok := d.value(attrs, name, cty.Number)
	if !ok {
		return 0, attr, false
	}
	bf := v.AsBigFloat()
	i, acc := bf.Int64()
	if acc != big.Exact {
		d.errorf(attr.Expr.Range().Ptr(), "Invalid number", "The argument %q takes a whole number.", name)
		return 0, attr, false
	}
	return i, attr, true
}

func (d *decoder) strList(attrs hcl.Attributes, name string) ([]string, *hcl.Attribute) {
	v, attr, ok := d.value(attrs, name, cty.List(cty.String))
	if !ok {
		return nil, attr
	}
	var out []string
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if e.IsNull() {
			d.errorf(attr.Expr.Range().Ptr(), "Null list element", "The list %q must hold strings only.", name)
			continue
		}
		out = append(out, e.AsString())
	}
	return out, attr
}

// ref resolves a reference attribute such as `account = account.prod` to
// the block it points at among blocks, the blocks of type kind. Every
// block is registered by name, valid or not, so a reference to a block
// with an error in it is not reported as undeclared. It returns nil when
// the attribute is absent or invalid (already reported).
func ref[T any](d *decoder, attrs hcl.Attributes, name, kind string, blocks map[string]*T) *T {
	attr, present := attrs[name]
	if !present {
		return nil
	}
	example := kind + ".NAME"
	trav, diags := hcl.AbsTraversalForExpr(attr.Expr)
	if diags.HasErrors() {
		d.errorf(attr.Expr.Range().Ptr(), "Invalid reference",
			"The argument %q takes a reference to a %s block, like %s (no quotes).", name, kind, example)
		return nil
	}
	if trav.RootName() != kind || len(trav) != 2 {
		d.errorf(trav.SourceRange().Ptr(), "Invalid reference",
			"The argument %q takes a reference to a %s block, like %s.", name, kind, example)
		return nil
	}
	step, ok := trav[1].(hcl.TraverseAttr)
	if !ok {
		d.errorf(trav.SourceRange().Ptr(), "Invalid reference",
			"The argument %q takes a reference to a %s block, like %s.", name, kind, example)
		return nil
	}
	block, declared := blocks[step.Name]
	if !declared {
		d.errorf(trav.SourceRange().Ptr(), "Reference to undeclared "+kind,
			"No %s block named %q is declared.%s", kind, step.Name, didYouMean(step.Name, keysOf(blocks)))
		return nil
	}
	return block
}
