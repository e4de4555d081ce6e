package config

import "github.com/hashicorp/hcl/v2"

// checkGlobs reports include/exclude patterns that do not compile.
func (d *decoder) checkGlobs(at hcl.Attributes, name string, patterns []string) {
	for _, p := range patterns {
		if _, err := CompileGlob(p); err != nil {
			d.errorf(at[name].Expr.Range().Ptr(), "Invalid pattern", "%s: %s.", name, err)
		}
	}
}
