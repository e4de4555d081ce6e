package config

import (
	"strconv"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// ListParallelismAuto is Job.ListParallelism when list_parallelism is
// "auto" or absent: the run chooses how many key ranges it lists at once.
const ListParallelismAuto = 0

// MaxListParallelism is the most key ranges a job lists at once.
const MaxListParallelism = 1024

// listParallelism decodes list_parallelism: "auto" (the default) or a
// whole number of key ranges listed at once, 1 to MaxListParallelism. A
// string of a number (a variable's value) is the number.
func (d *decoder) listParallelism(at hcl.Attributes) int {
	const name = "list_parallelism"
	if attr, present := at[name]; present {
		if v, diags := attr.Expr.Value(d.evalCtx); !diags.HasErrors() && v.IsKnown() && v.IsNull() {
			d.errorf(attr.Expr.Range().Ptr(), "Null value",
				"list_parallelism is \"auto\" or a whole number of key ranges listed at once; remove the line to use the default, \"auto\".")
			return ListParallelismAuto
		}
	}
	v, attr, ok := d.value(at, name, cty.DynamicPseudoType)
	if !ok {
		return ListParallelismAuto // absent, or its problem is reported
	}
	var written string
	switch v.Type() {
	case cty.String:
		written = v.AsString()
	case cty.Number:
		written = v.AsBigFloat().Text('f', -1)
	default:
		written = v.Type().FriendlyName()
	}
	if written == "auto" {
		return ListParallelismAuto
	}
	n, err := strconv.ParseInt(written, 10, 64)
	if err != nil {
		d.errorf(attr.Expr.Range().Ptr(), "Invalid list_parallelism",
			"list_parallelism is \"auto\" (the default: the run chooses) or a whole number of key ranges listed at once, like list_parallelism = 16; not %s.", quoteIf(v.Type() == cty.String || v.Type() == cty.Number, written))
		return ListParallelismAuto
	}
	if n < 1 || n > MaxListParallelism {
		d.errorf(attr.Expr.Range().Ptr(), "List parallelism out of range",
			"list_parallelism is how many key ranges are listed at once, from 1 to %d, or \"auto\" (the default); %d is out of range.", MaxListParallelism, n)
		return ListParallelismAuto
	}
	return int(n)
}

// quoteIf quotes s when q: a value as written, not a type's name.
func quoteIf(q bool, s string) string {
	if q {
		return strconv.Quote(s)
	}
	return "a " + s
}
