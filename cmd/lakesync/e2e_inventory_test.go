package main

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakesync/lakesync/internal/testenv/moto"
	"github.com/lakesync/lakesync/internal/testenv/s3inventory"
)

// The demo's job with source_inventory, end to end: the plan says which
// report is the source listing and counts from it; apply copies what the
// report lists (not an object of the bucket it lacks), and an object it
// lists that is gone by then counts as gone, not failed.
func TestInventoryPlanApply(t *testing.T) {
	d, cfg := demoWorld(t, 4)
	ctx := t.Context()
	src, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	withInventory := strings.Replace(string(src), `  concurrency        = 16`, `  concurrency        = 16
  source_inventory   = "s3://konfir-prod-inventory/reports/"`, 1) + `
bucket "prod_inventory" {
  account = account.prod
  name    = "konfir-prod-inventory"
}
`
	if err := os.WriteFile(cfg, []byte(withInventory), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := d.Prod.CreateBucket(ctx, "konfir-prod-inventory"); err != nil {
		t.Fatal(err)
	}
	// The report lists exports/day=00/gone.parquet, deleted since, and
	// lacks part-0003, written since.
	if err := d.Prod.PutObject(ctx, moto.DemoSource, "exports/day=00/gone.parquet", []byte("gone")); err != nil {
		t.Fatal(err)
	}
	objs, err := s3inventory.FromListing(ctx, d.Prod.S3(), moto.DemoSource, "exports/", "exports/day=03/part-0003.parquet")
	if err != nil {
		t.Fatal(err)
	}
	r := s3inventory.Report{SourceBucket: moto.DemoSource, InventoryBucket: "konfir-prod-inventory", Created: time.Date(2024, 5, 2, 1, 0, 0, 0, time.UTC), Objects: objs}
	if err := r.Deliver("reports/", func(k string, b []byte) error { return d.Prod.PutObject(ctx, "konfir-prod-inventory", k, b) }); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Prod.S3().DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(moto.DemoSource), Key: aws.String("exports/day=00/gone.parquet")}); err != nil {
		t.Fatal(err)
	}

	code, out, errs := runCLI(t, "", "plan", "-c", cfg)
	if code != 0 {
		t.Fatalf("plan: exit %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{
		"      source listing: S3 Inventory of 2024-05-02 01:00 UTC (s3://konfir-prod-inventory/reports/konfir-prod-data/daily/2024-05-02T01-00Z/, read from s3://konfir-prod-inventory/reports/)\n",
		"      copy      4 objects",
		"+ statement LakesyncProdToLakeInventoryList",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("plan lacks %q:\n%s", want, out)
		}
	}
	if p := planJSON(t, cfg); p.Jobs[0].Data == nil || p.Jobs[0].Data.SourceListing == nil || !p.Jobs[0].Data.SourceListing.Created.Equal(r.Created) {
		t.Errorf("plan --json: the job's data has no source_listing of %s", r.Created)
	}

	code, out, errs = runCLI(t, "", "apply", "-c", cfg, "--auto-approve")
	if code != 0 {
		t.Fatalf("apply: exit %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{
		"prod_to_lake: 3 copied, 0 adopted, 0 unchanged, 0 deleted, 0 failed",
		"prod_to_lake: source listing: S3 Inventory of 2024-05-02 01:00 UTC (s3://konfir-prod-inventory/reports/konfir-prod-data/daily/2024-05-02T01-00Z/); 1 object it lists gone from the source since (not failures)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("apply lacks %q:\n%s", want, out)
		}
	}
	list, err := d.Lake.S3().ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(moto.DemoDest)})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, o := range list.Contents {
		keys = append(keys, aws.ToString(o.Key))
	}
	if want := []string{"prod/day=00/part-0000.parquet", "prod/day=01/part-0001.parquet", "prod/day=02/part-0002.parquet"}; !slices.Equal(keys, want) {
		t.Errorf("destination %v, want %v: the inventory's objects, not the one it lacks", keys, want)
	}
}
