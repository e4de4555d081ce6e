package view

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/lakesync/lakesync/internal/plan"
	"github.com/lakesync/lakesync/internal/policy"
)

// Formats of lakesync export terraform.
const (
	ExportHCL  = "hcl"  // one data "aws_iam_policy_document" block per document
	ExportJSON = "json" // one IAM policy document per document
)

// Export shows lakesync export terraform: the statements lakesync owns in
// each document a job needs, as Terraform or as IAM JSON.
type Export interface {
	// Files renders each document as a file of its own, for --out DIR.
	Files(docs []plan.DocumentStatements) ([]ExportFile, error)
	// Write writes every document to the view's writer: the HCL blocks
	// one after the other, or one JSON object of the documents by name.
	Write(docs []plan.DocumentStatements) error
}

// ExportFile is one document's file: its name in the --out directory
// and its text.
type ExportFile struct {
	Name string
	Text []byte
}

// NewExport is the view of format ExportHCL or ExportJSON, writing to w.
func NewExport(format string, w io.Writer) (Export, error) {
	switch format {
	case ExportHCL:
		return hclExport{w}, nil
	case ExportJSON:
		return jsonExport{w}, nil
	}
	return nil, fmt.Errorf("--format %q: want %s or %s", format, ExportHCL, ExportJSON)
}

// ExportName is a document's name in Terraform and in file names:
// lakesync_bucket_lake, lakesync_key_lake, lakesync_role_copier.
func ExportName(addr plan.Ref) string {
	return "lakesync_" + string(addr.Kind) + "_" + addr.Name
}

type hclExport struct{ w io.Writer }

func (v hclExport) Files(docs []plan.DocumentStatements) ([]ExportFile, error) {
	var out []ExportFile
	for _, d := range docs {
		text, err := policyDocumentsHCL([]plan.DocumentStatements{d})
		if err != nil {
			return nil, err
		}
		out = append(out, ExportFile{Name: ExportName(d.Address) + ".tf", Text: text})
	}
	return out, nil
}

func (v hclExport) Write(docs []plan.DocumentStatements) error {
	text, err := policyDocumentsHCL(docs)
	if err != nil {
		return err
	}
	_, err = v.w.Write(text)
	return err
}

type jsonExport struct{ w io.Writer }

func (v jsonExport) Files(docs []plan.DocumentStatements) ([]ExportFile, error) {
	var out []ExportFile
	for _, d := range docs {
		text, err := exportDocument(d).Indent()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", d.Address, err)
		}
		out = append(out, ExportFile{Name: ExportName(d.Address) + ".json", Text: text})
	}
	return out, nil
}

func (v jsonExport) Write(docs []plan.DocumentStatements) error {
	var o bytes.Buffer
	o.WriteByte('{')
	for i, d := range docs {
		js, err := exportDocument(d).JSON()
		if err != nil {
			return fmt.Errorf("%s: %w", d.Address, err)
		}
		name, _ := json.Marshal(ExportName(d.Address))
		if i > 0 {
			o.WriteByte(',')
		}
		o.Write(name)
		o.WriteByte(':')
		o.Write(js)
	}
	o.WriteByte('}')
	var b bytes.Buffer
	if err := json.Indent(&b, o.Bytes(), "", "  "); err != nil {
		return err
	}
	b.WriteByte('\n')
	_, err := v.w.Write(b.Bytes())
	return err
}

func exportDocument(d plan.DocumentStatements) *policy.Document {
	return &policy.Document{Version: policy.DefaultVersion, Statements: d.Statements}
}

// policyDocumentsHCL renders docs as data "aws_iam_policy_document"
// blocks, each under a comment saying what it is, formatted by hclwrite.
func policyDocumentsHCL(docs []plan.DocumentStatements) ([]byte, error) {
	f := hclwrite.NewEmptyFile()
	body := f.Body()
	for i, d := range docs {
		if i > 0 {
			body.AppendNewline()
		}
		body.AppendUnstructuredTokens(hclwrite.Tokens{{Type: hclsyntax.TokenComment, Bytes: []byte("# " + exportWhat(d) + "\n")}})
		blk := body.AppendNewBlock("data", []string{"aws_iam_policy_document", ExportName(d.Address)}).Body()
		for j, s := range d.Statements {
			if j > 0 {
				blk.AppendNewline()
			}
			if err := statementHCL(blk.AppendNewBlock("statement", nil).Body(), s); err != nil {
				return nil, fmt.Errorf("%s: statement %q: %w", d.Address, s.Sid, err)
			}
		}
	}
	return hclwrite.Format(f.Bytes()), nil
}

// exportWhat says which document a block is for and who writes it.
func exportWhat(d plan.DocumentStatements) string {
	var what string
	switch d.Kind {
	case plan.BucketPolicy:
		what = "bucket policy of " + d.Resource
	case plan.KeyPolicy:
		what = "key policy of " + d.Resource
	default:
		what = "policies of role " + d.Resource
	}
	owner := "lakesync writes them itself (policy = \"managed\")"
	if d.External {
		owner = "add them to the document (policy = \"external\")"
	}
	return fmt.Sprintf("%s: the statements lakesync owns in the %s, account %s; %s.", d.Address, what, d.AccountID, owner)
}

// statementHCL writes one statement's fields as the data source's
// arguments and blocks: sid, effect, actions, resources, principals and
// condition blocks (conditions sorted by operator and key).
func statementHCL(b *hclwrite.Body, s policy.Statement) error {
	if s.Raw != nil || len(s.Extra) > 0 {
		return fmt.Errorf("only generated statements can be written as Terraform")
	}
	if s.Sid != "" {
		b.SetAttributeValue("sid", cty.StringVal(s.Sid))
	}
	b.SetAttributeValue("effect", cty.StringVal(s.Effect))
	for _, a := range []struct {
		name string
		v    policy.Values
	}{{"actions", s.Action}, {"not_actions", s.NotAction}, {"resources", s.Resource}, {"not_resources", s.NotResource}} {
		if a.v != nil {
			b.SetAttributeValue(a.name, stringList(a.v))
		}
	}
	principalsHCL(b, "principals", s.Principal)
	principalsHCL(b, "not_principals", s.NotPrincipal)
	for _, op := range sortedKeys(s.Condition) {
		for _, key := range sortedKeys(s.Condition[op]) {
			c := b.AppendNewBlock("condition", nil).Body()
			c.SetAttributeValue("test", cty.StringVal(op))
			c.SetAttributeValue("variable", cty.StringVal(key))
			c.SetAttributeValue("values", stringList(s.Condition[op][key]))
		}
	}
	return nil
}

func principalsHCL(b *hclwrite.Body, name string, p *policy.Principal) {
	switch {
	case p == nil:
	case p.All:
		pb := b.AppendNewBlock(name, nil).Body()
		pb.SetAttributeValue("type", cty.StringVal("*"))
		pb.SetAttributeValue("identifiers", stringList(policy.Values{"*"}))
	default:
		for _, typ := range sortedKeys(p.IDs) {
			pb := b.AppendNewBlock(name, nil).Body()
			pb.SetAttributeValue("type", cty.StringVal(typ))
			pb.SetAttributeValue("identifiers", stringList(p.IDs[typ]))
		}
	}
}

func stringList(v policy.Values) cty.Value {
	if len(v) == 0 {
		return cty.ListValEmpty(cty.String)
	}
	vals := make([]cty.Value, len(v))
	for i, s := range v {
		vals[i] = cty.StringVal(s)
	}
	return cty.ListVal(vals)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
