package config

import (
	"github.com/hashicorp/hcl/v2"
)

var stateSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "path"},
	},
}

// decodeState decodes the optional, single state block.
func (d *decoder) decodeState(blocks []*hcl.Block) *State {
	st := &State{Path: DefaultStatePath}
	for i, b := range blocks {
		if i > 0 {
			d.errorf(b.DefRange.Ptr(), "Duplicate state block",
				"Only one state block is allowed; the first is at %s.", blocks[0].DefRange)
			continue
		}
		st.DeclRange = b.DefRange
		content, diags := b.Body.Content(stateSchema)
		d.diags = append(d.diags, diags...)
		if p, attr := d.str(content.Attributes, "path"); attr != nil {
			if p == "" {
				d.errorf(attr.Expr.Range().Ptr(), "Empty state path",
					"Write the path of the state file, e.g. path = %q, or remove the line for the default.", DefaultStatePath)
			} else {
				st.Path = p
			}
		}
	}
	return st
}
