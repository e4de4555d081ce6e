package config

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Ownership says who writes the policy document of a bucket, key or role
// block: lakesync (Managed, the default) or another tool such as Terraform
// (External).
type Ownership string

// The values of the policy attribute.
const (
	// Managed: lakesync writes its statements into the document (and, for
	// a destination bucket, its settings).
	Managed Ownership = "managed"
	// External: another tool owns the document whole. lakesync evaluates
	// it, never writes it (nor, for a bucket, its settings), and refuses to
	// copy a job it does not grant.
	External Ownership = "external"
)

// External reports whether another tool owns the document. A block built by
// hand with no ownership is managed.
func (o Ownership) External() bool { return o == External }

// decodeOwnership decodes the policy attribute of a bucket, key or role
// block; what names the document in the hint ("bucket policy").
func (d *decoder) decodeOwnership(at hcl.Attributes, kind, what string) Ownership {
	v, attr, ok := d.value(at, "policy", cty.String)
	if !ok {
		return Managed // absent, or reported
	}
	switch o := Ownership(v.AsString()); o {
	case Managed, External:
		return o
	}
	d.errorf(attr.Expr.Range().Ptr(), "Invalid policy ownership",
		"%q says nothing lakesync knows about who owns the %s of this %s: write policy = \"managed\" (lakesync writes its statements into it; the default) or policy = \"external\" (another tool, such as Terraform, owns it: lakesync checks it, never writes it, and lakesync export terraform prints the statements to add).",
		v.AsString(), what, kind)
	return Managed
}
