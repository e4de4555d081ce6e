package main

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakesync/lakesync/internal/testenv/faultproxy"
	"github.com/lakesync/lakesync/internal/testenv/moto"
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
	w := newMigrationWorld(t, worldOptions{objects: 200})
	w.assertPlanSays(t, "not started: lakesync migrate move runs it; step 3 deletes s3://"+moveBucket+", only once --confirm-delete-source "+moveBucket+" names it")
	code, out, errs := runCLI(t, "", "migrate", "move", "-c", w.cfg, "--auto-approve")
	if code != exitStopped || !strings.Contains(out, "step 2 of 6 (waiting for the deletion to be confirmed) stopped") ||
		!strings.Contains(errs, "--confirm-delete-source "+moveBucket) {
		t.Fatalf("migrate without confirmation: exit %d, want %d and a stop at step 2\n%s%s", code, exitStopped, out, errs)
	}
	w.assertUntouched(t)
	t.Logf("first run:\n%s%s", out, errs)
	w.assertPlanSays(t, "1 of 6 steps done; next: step 2 (waiting for the deletion to be confirmed), with lakesync migrate move")

	typo := moveBucket[:len(moveBucket)-1]
	code, out, errs = runCLI(t, "", "migrate", "move", "-c", w.cfg, "--auto-approve", "--confirm-delete-source", typo)
	if code != exitError || !strings.Contains(errs, "does not name the bucket "+moveBucket+" (\""+typo+"\" given): nothing deleted") {
		t.Fatalf("migrate with a mistyped confirmation: exit %d, want 1 and nothing deleted\n%s%s", code, out, errs)
	}
	w.assertUntouched(t)

	code, out, errs = runCLI(t, "", "migrate", "move", "-c", w.cfg, "--auto-approve", "--confirm-delete-source", moveBucket)
	if code != 0 || !strings.Contains(out, "migration move: done, 100%") {
		t.Fatalf("migrate with confirmation: exit %d\n%s%s", code, out, errs)
	}
	t.Logf("second run:\n%s%s", out, errs)
	w.assertMoved(t)
	w.assertPlanSays(t, "done: the bucket is in account lake (222222222222), eu-west-1; point bucket.data there and remove the migration block")

	code, out, errs = runCLI(t, "", "migrate", "move", "-c", w.cfg, "--auto-approve")
	if want := "migration move: every step was done by an earlier run, nothing to do: point bucket.data at account.lake (region eu-west-1) and remove the migration block"; code != 0 || !strings.Contains(errs, want) {
		t.Errorf("migrate once more: exit %d, want 0 and %q\n%s%s", code, want, out, errs)
	}
	w.assertMoved(t)
}

// assertPlanSays checks that lakesync plan shows migration "move" with
// its move and the progress line want.
func (w *migrationWorld) assertPlanSays(t *testing.T, want string) {
	t.Helper()
	code, out, errs := runCLI(t, "", "plan", "-c", w.cfg)
	move := `migration "move": s3://` + moveBucket + " (bucket.data): account prod (111111111111) eu-west-1 -> account lake (222222222222) eu-west-1, through s3://" + moveTemporary
	if code != 0 || !strings.Contains(out, move+"\n      "+want+"\n") {
		t.Errorf("plan: exit %d, want the migration shown as\n  %s\n      %s\n%s%s", code, move, want, out, errs)
	}
}

// TestMigrateRefusals: a source with Object Lock, a source with
// replication rules and a temporary bucket name another account holds
// are refused before anything is written, each naming the bucket and what
// to do; --ignore-replication lets the replicated source go.
func TestMigrateRefusals(t *testing.T) {
	tests := []struct {
		name  string
		opts  worldOptions
		setup func(t *testing.T, w *migrationWorld)
		want  string // in the refusal
	}{
		{"object lock", worldOptions{objectLock: true}, nil, "bucket " + moveBucket + ": "},
		{"replication", worldOptions{}, replicate, "bucket " + moveBucket + ": "},
		{"temporary name taken", worldOptions{}, func(t *testing.T, w *migrationWorld) {
			if err := w.Prod.CreateBucket(t.Context(), moveTemporary); err != nil {
				t.Fatal(err)
			}
		}, "bucket " + moveTemporary + ": "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newMigrationWorld(t, tt.opts)
			if tt.setup != nil {
				tt.setup(t, w)
			}
			code, out, errs := runCLI(t, "", "migrate", "move", "-c", w.cfg, "--auto-approve")
			if code != exitError || !strings.Contains(errs, "refused, nothing was changed") || !strings.Contains(errs, tt.want) {
				t.Fatalf("migrate: exit %d, want 1 and a refusal naming %q\n%s%s", code, tt.want, out, errs)
			}
			t.Log(strings.TrimSpace(errs))
			if lake := ownedBuckets(t, w.Lake); len(lake) != 0 {
				t.Errorf("the lake account has buckets after a refusal: %v", lake)
			}
			w.assertUntouched(t)
			if tt.name != "replication" {
				return
			}
			code, out, errs = runCLI(t, "", "migrate", "move", "-c", w.cfg, "--auto-approve", "--ignore-replication")
			if code != exitStopped {
				t.Fatalf("migrate --ignore-replication: exit %d, want %d (the stop at step 2)\n%s%s", code, exitStopped, out, errs)
			}
		})
	}
}

// replicate gives the source a replication rule (versioning on, as S3
// requires).
func replicate(t *testing.T, w *migrationWorld) {
	t.Helper()
	c, ctx := w.Prod.S3(), t.Context()
	if _, err := c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String(moveBucket),
		VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}}); err != nil {
		t.Fatal(err)
	}
	_, err := c.PutBucketReplication(ctx, &s3.PutBucketReplicationInput{Bucket: aws.String(moveBucket),
		ReplicationConfiguration: &s3types.ReplicationConfiguration{
			Role: aws.String("arn:aws:iam::111111111111:role/replication"),
			Rules: []s3types.ReplicationRule{{ID: aws.String("to-dr"), Status: s3types.ReplicationRuleStatusEnabled, Priority: aws.Int32(1),
				Filter:                  &s3types.ReplicationRuleFilter{Prefix: aws.String("")},
				DeleteMarkerReplication: &s3types.DeleteMarkerReplication{Status: s3types.DeleteMarkerReplicationStatusDisabled},
				Destination:             &s3types.Destination{Bucket: aws.String("arn:aws:s3:::konfir-dr")}}},
		}})
	if err != nil {
		t.Fatal(err)
	}
}

// TestMigrateVersionedSource: a versioned source moves into a versioned
// bucket, and step 2 says that its noncurrent versions are deleted, not
// moved; the current version of each key is what arrives.
func TestMigrateVersionedSource(t *testing.T) {
	w := newMigrationWorld(t, worldOptions{})
	c, ctx := w.Prod.S3(), t.Context()
	if _, err := c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String(moveBucket),
		VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}}); err != nil {
		t.Fatal(err)
	}
	const key = "data/rewritten.csv"
	for _, body := range []string{"first", "second"} {
		if err := w.Prod.PutObject(ctx, moveBucket, key, []byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	w.objects[key] = []byte("second")
	code, out, errs := runCLI(t, "", "migrate", "move", "-c", w.cfg, "--auto-approve", "--confirm-delete-source", moveBucket)
	if code != 0 || !strings.Contains(out, "Only the current version of each object moves: the 1 noncurrent version(s) and 0 delete marker(s) are deleted") {
		t.Fatalf("migrate of a versioned source: exit %d, want 0 and the noncurrent versions named\n%s%s", code, out, errs)
	}
	w.assertMoved(t)
	v, err := w.Lake.S3().GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String(moveBucket)})
	if err != nil {
		t.Fatal(err)
	}
	if v.Status != s3types.BucketVersioningStatusEnabled {
		t.Errorf("the moved bucket's versioning is %q, want Enabled, as the source's", v.Status)
	}
}

// TestMigrateBucketOfAJob moves a bucket that a sync job of the same
// configuration reads: once the source is deleted, the job reads the
// bucket where it now is, so step 5's plan is not blocked by a bucket
// block that names the old account.
func TestMigrateBucketOfAJob(t *testing.T) {
	w := newMigrationWorld(t, worldOptions{objects: 3})
	job := `
bucket "raw" {
  account = account.lake
  name    = "konfir-lake-raw"
  key     = key.lake
  create  = true
}

sync "feed" {
  source      = bucket.data
  destination = bucket.raw
  transfer    = "stream"
  mode        = "sync"
}
`
	appendConfig(t, w.cfg, job)
	code, out, errs := runCLI(t, "", "migrate", "move", "-c", w.cfg, "--auto-approve", "--confirm-delete-source", moveBucket)
	if code != 0 || !strings.Contains(out, "migration move: done, 100%") {
		t.Fatalf("migrate of a bucket a job reads: exit %d\n%s%s", code, out, errs)
	}
	w.assertMoved(t)
}

// TestMigrateWithRole moves the bucket with server-side copies as a
// copier role in the destination account: the derived jobs' policies
// (the source's bucket policy, the temporary and the moved bucket's, the
// key's, the role's) are planned and written as apply writes them, and
// the objects arrive byte-identical.
func TestMigrateWithRole(t *testing.T) {
	w := newMigrationWorld(t, worldOptions{objects: 5, extra: "  role             = role.copier\n"})
	if _, err := w.Lake.CreateRole(t.Context(), moto.DemoRole, moto.TrustAccount(moto.DemoLakeID)); err != nil {
		t.Fatal(err)
	}
	appendConfig(t, w.cfg, `
role "copier" {
  account = account.lake
  name    = "`+moto.DemoRole+`"
}
`)
	code, out, errs := runCLI(t, "", "migrate", "move", "-c", w.cfg, "--auto-approve", "--confirm-delete-source", moveBucket)
	if code != 0 || !strings.Contains(out, "migration move: done, 100%") {
		t.Fatalf("migrate as a role: exit %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{
		`sync "migration_move_out" (sync, server-side`,
		"bucket.data: bucket policy of " + moveBucket,
		"role.copier: role policy",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the migration's plans lack %q:\n%s", want, out)
		}
	}
	w.assertMoved(t)
}

// regionMove is a migration world whose migration "move" moves the bucket
// within the prod account to eu-central-1 (see newMigrationWorld for o),
// with a key of that region named by an alias no bucket block uses: fra
// is the prod account in that region, keyARN the key.
func regionMove(t *testing.T, o worldOptions) (w *migrationWorld, fra *moto.Account, keyARN string) {
	t.Helper()
	const region, alias = "eu-central-1", "alias/prod-frankfurt"
	o.extra = "  region           = \"" + region + "\"\n"
	w = newMigrationWorld(t, o)
	acct := *w.Prod
	acct.Region = region
	keyARN, err := acct.CreateKey(t.Context(), alias)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := os.ReadFile(w.cfg)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(strings.Replace(string(cfg),
		"  to               = account.lake\n", "  to               = account.prod\n", 1),
		"  key              = key.lake\n", "  key              = key.frankfurt\n", 1)
	text += "\nkey \"frankfurt\" {\n  account = account.prod\n  alias   = \"" + alias + "\"\n}\n"
	if err := os.WriteFile(w.cfg, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return w, &acct, keyARN
}

// assertRegionMoved checks the end of a region move: the bucket in fra's
// region, encrypted with keyARN by default, every object identical, the
// temporary bucket gone.
func (w *migrationWorld) assertRegionMoved(t *testing.T, fra *moto.Account, keyARN string) {
	t.Helper()
	ctx := t.Context()
	c := fra.S3()
	loc, err := c.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(moveBucket)})
	if err != nil || string(loc.LocationConstraint) != fra.Region {
		t.Fatalf("the moved bucket's location: %+v, %v; want %s", loc, err, fra.Region)
	}
	enc, err := c.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: aws.String(moveBucket)})
	if err != nil || len(enc.ServerSideEncryptionConfiguration.Rules) != 1 ||
		aws.ToString(enc.ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault.KMSMasterKeyID) != keyARN {
		t.Errorf("the moved bucket's default encryption: %v, want SSE-KMS with %s", err, keyARN)
	}
	w.assertObjects(t, c)
	if prod := ownedBuckets(t, w.Prod); !slices.Contains(prod, moveBucket) || slices.Contains(prod, moveTemporary) {
		t.Errorf("the account's buckets: %v, want %s and not %s", prod, moveBucket, moveTemporary)
	}
}

// TestMigrateToAnotherRegion moves a bucket within its account to another
// region: to is the bucket's own account, region another region, and the
// key, named by an alias no bucket block uses, is looked up there. The
// bucket ends in the new region under its own name, encrypted with that
// region's key, every object identical.
func TestMigrateToAnotherRegion(t *testing.T) {
	w, fra, keyARN := regionMove(t, worldOptions{objects: 20})
	code, out, errs := runCLI(t, "", "migrate", "move", "-c", w.cfg, "--auto-approve", "--confirm-delete-source", moveBucket)
	if code != 0 || !strings.Contains(out, "migration move: done, 100%") {
		t.Fatalf("migrate to %s: exit %d\n%s%s", fra.Region, code, out, errs)
	}
	w.assertRegionMoved(t, fra, keyARN)
}

// TestMigrateRegionMoveWaitsForItsOwnName: within one account S3 answers
// the recreating CreateBucket with BucketAlreadyOwnedByYou while it still
// deletes the source (the fault proxy, twice, with no bucket behind it).
// That is no bucket to adopt: step 4 waits until the bucket it asked for
// is there, in its region, and then completes.
func TestMigrateRegionMoveWaitsForItsOwnName(t *testing.T) {
	proxy := nameHeld(t, faultproxy.BucketAlreadyOwnedByYou, 2)
	w, fra, keyARN := regionMove(t, worldOptions{objects: 5, endpoint: proxy.URL})
	code, out, errs := runCLI(t, "", "migrate", "move", "-c", w.cfg, "--auto-approve", "--confirm-delete-source", moveBucket, "--name-wait", "1m")
	if code != 0 {
		t.Fatalf("migrate: exit %d\n%s%s", code, out, errs)
	}
	if got := proxy.Counts().Faults[faultproxy.BucketAlreadyOwnedByYou]; got != 2 {
		t.Fatalf("%d BucketAlreadyOwnedByYou injected, want 2: the test proves nothing", got)
	}
	if n := strings.Count(out, "step 4 of 6 (recreating the bucket), 50%: waiting for S3 to release the name "+moveBucket+" (attempt"); n != 2 {
		t.Errorf("%d waiting lines, want 2 (one per BucketAlreadyOwnedByYou)\n%s", n, out)
	}
	w.assertRegionMoved(t, fra, keyARN)
}
