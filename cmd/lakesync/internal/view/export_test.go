package view

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/golden"
	"github.com/lakesync/lakesync/internal/plan"
	"github.com/lakesync/lakesync/internal/policy"
)

// tfFile is what the test reads back of export terraform's HCL: the
// arguments and blocks of data "aws_iam_policy_document".
type tfFile struct {
	Data []struct {
		Type       string `hcl:"type,label"`
		Name       string `hcl:"name,label"`
		Statements []struct {
			Sid           string        `hcl:"sid,optional"`
			Effect        string        `hcl:"effect"`
			Actions       []string      `hcl:"actions,optional"`
			NotActions    []string      `hcl:"not_actions,optional"`
			Resources     []string      `hcl:"resources,optional"`
			NotResources  []string      `hcl:"not_resources,optional"`
			Principals    []tfPrincipal `hcl:"principals,block"`
			NotPrincipals []tfPrincipal `hcl:"not_principals,block"`
			Conditions    []struct {
				Test     string   `hcl:"test"`
				Variable string   `hcl:"variable"`
				Values   []string `hcl:"values"`
			} `hcl:"condition,block"`
		} `hcl:"statement,block"`
	} `hcl:"data,block"`
}

type tfPrincipal struct {
	Type        string   `hcl:"type"`
	Identifiers []string `hcl:"identifiers"`
}

func principalOf(ps []tfPrincipal) *policy.Principal {
	if len(ps) == 0 {
		return nil
	}
	p := &policy.Principal{IDs: map[string]policy.Values{}}
	for _, x := range ps {
		if x.Type == "*" {
			return &policy.Principal{All: true}
		}
		p.IDs[x.Type] = x.Identifiers
	}
	return p
}

func values(s []string) policy.Values {
	if s == nil {
		return nil
	}
	return policy.Values(s)
}

// parseExport parses export terraform's HCL back into statements, by
// block name.
func parseExport(t *testing.T, src []byte) map[string][]policy.Statement {
	t.Helper()
	f, diags := hclparse.NewParser().ParseHCL(src, "export.tf")
	if diags.HasErrors() {
		t.Fatalf("the export does not parse: %s\n%s", diags.Error(), src)
	}
	var tf tfFile
	if diags := gohcl.DecodeBody(f.Body, nil, &tf); diags.HasErrors() {
		t.Fatalf("the export does not decode: %s", diags.Error())
	}
	out := map[string][]policy.Statement{}
	for _, d := range tf.Data {
		if d.Type != "aws_iam_policy_document" {
			t.Errorf("data %q %q: want aws_iam_policy_document", d.Type, d.Name)
		}
		var sts []policy.Statement
		for _, s := range d.Statements {
			st := policy.Statement{Sid: s.Sid, Effect: s.Effect, Action: values(s.Actions), NotAction: values(s.NotActions),
				Resource: values(s.Resources), NotResource: values(s.NotResources),
				Principal: principalOf(s.Principals), NotPrincipal: principalOf(s.NotPrincipals)}
			for _, c := range s.Conditions {
				if st.Condition == nil {
					st.Condition = policy.Condition{}
				}
				if st.Condition[c.Test] == nil {
					st.Condition[c.Test] = map[string]policy.Values{}
				}
				st.Condition[c.Test][c.Variable] = c.Values
			}
			sts = append(sts, st)
		}
		out[d.Name] = sts
	}
	return out
}

// managedStatements are the statements lakesync writes in managed mode:
// those it owns in each document of the golden plan, parsed from what
// apply would write (After).
func managedStatements(t *testing.T, p *plan.Plan) map[string][]policy.Statement {
	t.Helper()
	out := map[string][]policy.Statement{}
	for _, d := range p.Documents {
		if d.After == nil {
			continue
		}
		doc, err := policy.Parse(d.After)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range doc.Statements {
			if policy.Owned(s.Sid) {
				s.Raw = nil
				out[ExportName(d.Address)] = append(out[ExportName(d.Address)], s)
			}
		}
	}
	return out
}

// The Terraform export of examples/push parses back, and every statement
// equals, field by field, the statement apply writes in managed mode.
func TestExportTerraformRoundTrip(t *testing.T) {
	cfg := goldenConfig(t)
	docs, err := plan.Statements(cfg, map[string]string{"lake": goldenKeyARN}, "")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	v, err := NewExport(ExportHCL, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Write(docs); err != nil {
		t.Fatal(err)
	}
	golden.Compare(t, "export_push.tf", buf.Bytes())
	want := managedStatements(t, goldenPlan(t))
	if len(want) != 3 {
		t.Fatalf("the golden plan writes %d documents, want 3 (bucket, key, role)", len(want))
	}
	if diff := cmp.Diff(want, parseExport(t, buf.Bytes())); diff != "" {
		t.Errorf("exported statements against what apply writes (-managed +export):\n%s", diff)
	}

	// One file per document, each a block of the whole.
	files, err := v.Files(docs)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
		for name, sts := range parseExport(t, f.Text) {
			if diff := cmp.Diff(want[name], sts); diff != "" {
				t.Errorf("%s (-managed +export):\n%s", f.Name, diff)
			}
		}
	}
	if diff := cmp.Diff([]string{"lakesync_bucket_lake.tf", "lakesync_key_lake.tf", "lakesync_role_copier.tf"}, names); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
}

// The JSON export is one IAM document per file, the statements apply
// writes.
func TestExportJSON(t *testing.T) {
	docs, err := plan.Statements(goldenConfig(t), map[string]string{"lake": goldenKeyARN}, "prod_to_lake")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	v, err := NewExport(ExportJSON, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Write(docs); err != nil {
		t.Fatal(err)
	}
	golden.Compare(t, "export_push.json", buf.Bytes())
	files, err := v.Files(docs)
	if err != nil {
		t.Fatal(err)
	}
	want := managedStatements(t, goldenPlan(t))
	for _, f := range files {
		doc, err := policy.Parse(f.Text)
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		var got []policy.Statement
		for _, s := range doc.Statements {
			s.Raw = nil
			got = append(got, s)
		}
		name := f.Name[:len(f.Name)-len(".json")]
		if diff := cmp.Diff(want[name], got); diff != "" {
			t.Errorf("%s (-managed +export):\n%s", f.Name, diff)
		}
	}
	if _, err := NewExport("yaml", &buf); err == nil {
		t.Error("--format yaml was accepted")
	}
}
