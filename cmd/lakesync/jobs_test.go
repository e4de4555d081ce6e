package main

import (
	"strings"
	"testing"

	"github.com/lakesync/lakesync/internal/testenv/moto"
)

// TestApplyJob: apply --job copies only the job it names, and still
// writes the policy changes of every job (they share the documents); a
// --job naming no job is refused before anything is written, naming the
// jobs there are.
func TestApplyJob(t *testing.T) {
	d, cfg := demoWorld(t, 4)
	appendConfig(t, cfg, `
sync "other" {
  source             = bucket.prod
  destination        = bucket.lake
  role               = role.copier
  mode               = "sync"
  source_prefix      = "exports/"
  destination_prefix = "other/"
}
`)
	code, out, errs := runCLI(t, "", "apply", "-c", cfg, "--auto-approve", "--job", "nosuch")
	if code != exitError || !strings.Contains(errs, `--job "nosuch": the configuration has no such job; its jobs are prod_to_lake, other`) {
		t.Fatalf("apply --job nosuch: exit %d\n%s%s", code, out, errs)
	}
	if keys := bucketObjects(t, d.Lake.S3(), moto.DemoDest); len(keys) != 0 {
		t.Fatalf("a refused --job wrote %d objects", len(keys))
	}
	code, out, errs = runCLI(t, "", "apply", "-c", cfg, "--auto-approve", "--job", "other")
	if code != 0 {
		t.Fatalf("apply --job other: exit %d\n%s%s", code, out, errs)
	}
	keys := bucketObjects(t, d.Lake.S3(), moto.DemoDest)
	for k := range keys {
		if !strings.HasPrefix(k, "other/") {
			t.Errorf("apply --job other copied %s, an object of another job", k)
		}
	}
	if len(keys) == 0 {
		t.Error("apply --job other copied nothing")
	}
	if !strings.Contains(out, "LakesyncProdToLake") || !strings.Contains(out, "LakesyncOther") {
		t.Errorf("apply --job other did not make the policy changes of both jobs:\n%s", out)
	}
}
