package config

import (
	"github.com/hashicorp/hcl/v2"
)

// State backends.
const (
	StateBackendLocal = "local" // a bbolt file on this machine (path)
	StateBackendS3    = "s3"    // the same file kept in S3, with a lock object
)

var stateSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "backend"},
		{Name: "path"},
		{Name: "bucket"},
		{Name: "key"},
		{Name: "account"},
	},
}

// s3StateExample is what a complete S3 state block looks like.
const s3StateExample = `state { backend = "s3"  bucket = "NAME"  key = "lakesync/prod.state"  account = account.NAME }`

// decodeState decodes the optional, single state block.
func (d *decoder) decodeState(blocks []*hcl.Block) *State {
	st := &State{Backend: StateBackendLocal, Path: DefaultStatePath}
	for i, b := range blocks {
		if i > 0 {
			d.errorf(b.DefRange.Ptr(), "Duplicate state block",
				"Only one state block is allowed; the first is at %s.", blocks[0].DefRange)
			continue
		}
		st.DeclRange = b.DefRange
		content, diags := b.Body.Content(stateSchema)
		d.diags = append(d.diags, diags...)
		at := content.Attributes
		if be, attr := d.str(at, "backend"); attr != nil {
			switch be {
			case StateBackendLocal, StateBackendS3:
				st.Backend = be
			default:
				d.errorf(attr.Expr.Range().Ptr(), "Unknown state backend",
					"backend is %q; write backend = \"local\" (a file on this machine, the default) or backend = \"s3\" (%s).", be, s3StateExample)
				st.Backend = ""
			}
		}
		if st.Backend == StateBackendS3 {
			d.decodeS3State(st, b, at)
		} else {
			d.decodeLocalState(st, at)
		}
	}
	return st
}

func (d *decoder) decodeLocalState(st *State, at hcl.Attributes) {
	for _, name := range []string{"bucket", "key", "account"} {
		if attr, ok := at[name]; ok {
			d.errorf(attr.NameRange.Ptr(), "S3 attribute in a local state block",
				"%s is an argument of the S3 backend; add backend = \"s3\" to keep the state in S3 (%s), or remove the line to keep it in a local file.", name, s3StateExample)
		}
	}
	if p, attr := d.str(at, "path"); attr != nil {
		if p == "" {
			d.errorf(attr.Expr.Range().Ptr(), "Empty state path",
				"Write the path of the state file, e.g. path = %q, or remove the line for the default.", DefaultStatePath)
		} else {
			st.Path = p
		}
	}
}

func (d *decoder) decodeS3State(st *State, b *hcl.Block, at hcl.Attributes) {
	st.Path = ""
	if attr, ok := at["path"]; ok {
		d.errorf(attr.NameRange.Ptr(), "Path in an S3 state block",
			"The S3 backend keeps the state at bucket and key, not at a local path: remove path, or remove backend = \"s3\" to use a local file.")
	}
	var missing []string
	var attr *hcl.Attribute
	if st.Bucket, attr = d.str(at, "bucket"); attr == nil {
		missing = append(missing, "bucket")
	} else if problem := bucketNameProblem(st.Bucket); problem != "" {
		d.errorf(attr.Expr.Range().Ptr(), "Invalid bucket name",
			"%q is not a valid S3 bucket name: it %s.", st.Bucket, problem)
	}
	if st.Key, attr = d.str(at, "key"); attr == nil {
		missing = append(missing, "key")
	} else if st.Key == "" || st.Key[0] == '/' || st.Key[len(st.Key)-1] == '/' {
		d.errorf(attr.Expr.Range().Ptr(), "Invalid state key",
			"key is %q; write the object key of the state file, without a leading or trailing slash, e.g. key = \"lakesync/prod.state\".", st.Key)
	}
	if _, ok := at["account"]; !ok {
		missing = append(missing, "account")
	} else {
		st.Account = ref(d, at, "account", "account", d.accounts)
	}
	if len(missing) > 0 {
		d.errorf(b.DefRange.Ptr(), "Incomplete S3 state block",
			"The S3 backend needs bucket, key and account; missing: %s. Write e.g. %s.", joinAnd(missing), s3StateExample)
	}
}

func joinAnd(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	out := s[0]
	for _, x := range s[1 : len(s)-1] {
		out += ", " + x
	}
	return out + " and " + s[len(s)-1]
}
