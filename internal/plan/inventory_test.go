package plan_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/plan"
	"github.com/lakesync/lakesync/internal/policy"
)

// inventoryGrants is, per document, the lakesync Sids that grant reading
// S3 Inventory reports, with their actions and resources.
func inventoryGrants(t *testing.T, cfg *config.Config) (map[string][]string, *plan.Plan) {
	t.Helper()
	obs, _ := syntheticWorld(cfg)
	p, err := plan.Compute(cfg, obs)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, d := range p.Documents {
		if d.After == nil {
			continue
		}
		doc, err := policy.Parse(d.After)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range doc.Statements {
			if strings.Contains(st.Sid, "Inventory") {
				out[d.Address.String()] = append(out[d.Address.String()], st.Sid+" "+strings.Join(st.Action, ",")+" "+strings.Join(st.Resource, ",")+" "+strings.Join(st.Condition["StringLike"]["s3:prefix"], ","))
			}
		}
	}
	return out, p
}

// The copier role of a job with source_inventory may list the reports'
// prefix and read the files below it; a declared inventory bucket in
// another account than the role grants the same to the role, and one the
// configuration does not declare gets a note saying what it must allow.
func TestInventoryGrants(t *testing.T) {
	read := []string{
		"LakesyncEventsInventoryList s3:ListBucket arn:aws:s3:::konfir-prod-inventory reports/*",
		"LakesyncEventsInventoryRead s3:GetObject arn:aws:s3:::konfir-prod-inventory/reports/* ",
	}
	l := config.NewLoader(os.ReadFile, os.LookupEnv)
	cfg, diags := l.LoadFile("../../examples/inventory/lakesync.hcl")
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	got, _ := inventoryGrants(t, cfg)
	if diff := cmp.Diff(map[string][]string{"role.copier": read, "bucket.prod_inventory": read}, got); diff != "" {
		t.Errorf("pull, declared inventory bucket (-want +got):\n%s", diff)
	}

	// The reports in the source bucket itself: its policy grants them.
	cfg.Jobs[0].SourceInventory.Bucket = "konfir-prod-data"
	got, _ = inventoryGrants(t, cfg)
	inSource := []string{strings.ReplaceAll(read[0], "konfir-prod-inventory", "konfir-prod-data"), strings.ReplaceAll(read[1], "konfir-prod-inventory", "konfir-prod-data")}
	if diff := cmp.Diff(map[string][]string{"role.copier": inSource, "bucket.prod": inSource}, got); diff != "" {
		t.Errorf("pull, inventory in the source bucket (-want +got):\n%s", diff)
	}

	// An undeclared bucket: the role's own policy, and a note.
	cfg.Jobs[0].SourceInventory.Bucket = "elsewhere-inventory"
	got, p := inventoryGrants(t, cfg)
	if len(got) != 1 || len(got["role.copier"]) != 2 {
		t.Errorf("undeclared inventory bucket: grants %v, want the role's two statements only", got)
	}
	if !slices.ContainsFunc(p.Jobs[0].Notes, func(n string) bool { return strings.Contains(n, "bucket elsewhere-inventory is not declared") }) {
		t.Errorf("undeclared inventory bucket: notes %q lack what its policy must allow", p.Jobs[0].Notes)
	}

	// Without source_inventory, nothing of it.
	cfg.Jobs[0].SourceInventory = nil
	if got, _ := inventoryGrants(t, cfg); len(got) != 0 {
		t.Errorf("no source_inventory: grants %v", got)
	}
}
