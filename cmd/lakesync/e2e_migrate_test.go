package main

import (
	"strings"
	"testing"
)

// TestMigrateMovesBucket moves a bucket of 200 objects and the hard keys
// from account prod to account lake under its own name: it stops at step
// 2 until the deletion is confirmed, then ends with every object
// byte-identical in the bucket the lake account now owns, the temporary
// bucket gone and no bucket of that name left in prod.
//
// moto keeps bucket names global across its accounts, as S3 does: while
// prod holds the name, the lake account's CreateBucket of it answers
// BucketAlreadyExists (TestCreateBucketNameTaken shows it for apply), so
// step 4 succeeds only because step 3 really deleted the source. moto
// frees the name at once; the wait of real S3 is TestMigrateNameWait's.
func TestMigrateMovesBucket(t *testing.T) {
	w := newMigrationWorld(t, 200, "", "")
	code, out, errs := runCLI(t, "", "migrate", "move", "-c", w.cfg, "--auto-approve")
	if code != exitStopped || !strings.Contains(out, "step 2 of 6 (waiting for the deletion to be confirmed) stopped") ||
		!strings.Contains(errs, "--confirm-delete-source "+moveBucket) {
		t.Fatalf("migrate without confirmation: exit %d, want %d and a stop at step 2\n%s%s", code, exitStopped, out, errs)
	}
	w.assertUntouched(t)
	t.Logf("first run:\n%s%s", out, errs)

	code, out, errs = runCLI(t, "", "migrate", "move", "-c", w.cfg, "--auto-approve", "--confirm-delete-source", moveBucket)
	if code != 0 || !strings.Contains(out, "migration move: done, 100%") {
		t.Fatalf("migrate with confirmation: exit %d\n%s%s", code, out, errs)
	}
	t.Logf("second run:\n%s%s", out, errs)
	w.assertMoved(t)
}
