package main

import (
	"bufio"
	"encoding/json"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/view"
	"github.com/lakesync/lakesync/internal/testenv/faultproxy"
	"github.com/lakesync/lakesync/internal/testenv/moto"
)

// TestMigrateKilledAtEachStep kills lakesync migrate with SIGKILL as it
// prints the done event of step k, for k = 1..5, each run resuming the
// one before: every run starts at the step after the one the killed run
// had recorded, and the last one ends with the bucket moved exactly.
func TestMigrateKilledAtEachStep(t *testing.T) {
	w := newMigrationWorld(t, worldOptions{objects: 30})
	bin := buildLakesync(t)
	args := []string{"migrate", "move", "-c", w.cfg, "--auto-approve", "--confirm-delete-source", moveBucket, "--json"}
	for k := 1; k <= 5; k++ {
		first, killed := runUntilDone(t, bin, args, k)
		if first != k || !killed {
			t.Fatalf("run %d: first step %d (want %d), killed at the done event of step %d: %v", k, first, k, k, killed)
		}
	}
	first, killed := runUntilDone(t, bin, args, 0)
	if first != 6 || killed {
		t.Fatalf("last run: first step %d, want 6", first)
	}
	w.assertMoved(t)
	code, out, errs := runCLI(t, "", "migrate", "move", "-c", w.cfg, "--auto-approve")
	if code != 0 || !strings.Contains(out, "migration move: done, 100%") {
		t.Fatalf("migrate after the end: exit %d, want 0 and done\n%s%s", code, out, errs)
	}
}

// runUntilDone runs bin with args, reading its JSON lines, and kills it
// with SIGKILL when it prints the done event of step killAt (0: never).
// It returns the first step the run started and whether it was killed.
func runUntilDone(t *testing.T, bin string, args []string, killAt int) (first int, killed bool) {
	t.Helper()
	cmd := exec.CommandContext(within(t, 2*time.Minute), bin, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var errs strings.Builder
	cmd.Stderr = &errs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	from := 0 // the migration_start line's
	for sc.Scan() {
		var start view.MigrationStartLine
		if json.Unmarshal(sc.Bytes(), &start) == nil && start.Type == "migration_start" {
			from = start.From
		}
		var l view.MigrationStepLine
		if json.Unmarshal(sc.Bytes(), &l) != nil || l.Type != "migration_step" {
			continue
		}
		if first == 0 {
			first = l.Step
			if from != first {
				t.Errorf("%v: migration_start says from step %d, the first step event is step %d", args, from, first)
			}
		}
		if l.Status == "done" && l.Step == killAt {
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			killed = true
			break
		}
	}
	err = cmd.Wait()
	if !killed && err != nil {
		t.Fatalf("%v: %v\n%s", args, err, errs.String())
	}
	return first, killed
}

// nameHeld is a fault proxy in front of the package's moto that answers
// the first n (0: every) recreating CreateBucket requests of the moved
// bucket with kind, and makes step 4's waits 1 ms. The only PUTs of the
// bucket's own path before step 4 creates it are that CreateBucket: the
// source is only read, never written.
func nameHeld(t *testing.T, kind faultproxy.Kind, n int) *faultproxy.Proxy {
	t.Helper()
	s := moto.Require(t, motoSrv)
	proxy, err := faultproxy.New(s.URL, faultproxy.Config{Rules: []faultproxy.Rule{{
		Kind: kind, Every: 1, Max: n,
		Match: faultproxy.Match{Methods: []string{"PUT"}, PathPrefix: "/" + moveBucket},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = proxy.Close() })
	t.Setenv(nameWaitSleepEnv, "1ms")
	return proxy
}

// TestMigrateNameWait: while S3 still answers BucketAlreadyExists to the
// recreating CreateBucket (the fault proxy, three times), step 4 waits,
// saying for what, and then completes.
func TestMigrateNameWait(t *testing.T) {
	proxy := nameHeld(t, faultproxy.BucketAlreadyExists, 3)
	w := newMigrationWorld(t, worldOptions{objects: 5, endpoint: proxy.URL})
	code, out, errs := runCLI(t, "", "migrate", "move", "-c", w.cfg, "--auto-approve", "--confirm-delete-source", moveBucket, "--name-wait", "1m")
	if code != 0 {
		t.Fatalf("migrate: exit %d\n%s%s", code, out, errs)
	}
	if n := strings.Count(out, "step 4 of 6 (recreating the bucket), 50%: waiting for S3 to release the name "+moveBucket); n != 3 {
		t.Errorf("%d waiting lines, want 3 (one per BucketAlreadyExists)\n%s", n, out)
	}
	if got := proxy.Counts().Faults[faultproxy.BucketAlreadyExists]; got != 3 {
		t.Errorf("%d BucketAlreadyExists injected, want 3", got)
	}
	w.assertMoved(t)
}

// TestMigrateNameWaitRunsOut: when --name-wait runs out with the name
// still held, migrate fails saying what it waited for, that every object
// is in the temporary bucket, and how to go on; run again once S3 lets
// the name go, it resumes at step 4 and completes.
func TestMigrateNameWaitRunsOut(t *testing.T) {
	proxy := nameHeld(t, faultproxy.BucketAlreadyExists, 0)
	w := newMigrationWorld(t, worldOptions{objects: 5, endpoint: proxy.URL})
	code, out, errs := runCLI(t, "", "migrate", "move", "-c", w.cfg, "--auto-approve", "--confirm-delete-source", moveBucket, "--name-wait", "10s")
	if code != exitError {
		t.Fatalf("migrate with the name held: exit %d, want %d\n%s%s", code, exitError, out, errs)
	}
	for _, want := range []string{
		"the bucket name " + moveBucket + " was still held after waiting 10s (4 attempts; --name-wait sets how long)",
		"every object is in the temporary bucket " + moveTemporary + " (account lake, 222222222222), copied and verified: keep it; run lakesync migrate move again to resume at step 4",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("the error lacks %q:\n%s", want, errs)
		}
	}
	if got := bucketObjects(t, w.Lake.S3(), moveTemporary); len(got) != len(w.objects) {
		t.Errorf("the temporary bucket holds %d objects, want %d", len(got), len(w.objects))
	}

	if err := proxy.SetRules(); err != nil {
		t.Fatal(err)
	}
	code, out, errs = runCLI(t, "", "migrate", "move", "-c", w.cfg, "--auto-approve")
	if code != 0 || !strings.Contains(out, "migration move: resuming at step 4 of 6 (recreating the bucket)") {
		t.Fatalf("migrate once the name is free: exit %d, want 0 and a resume at step 4\n%s%s", code, out, errs)
	}
	w.assertMoved(t)
}

// TestMigrateResumesDeletingSource: a run that fails in step 3 after it
// emptied the source, before the bucket itself is deleted (the fault
// proxy refuses that DeleteBucket once), resumes deleting when run again,
// and never syncs the empty source into the temporary bucket again, which
// would delete every object the temporary bucket holds.
func TestMigrateResumesDeletingSource(t *testing.T) {
	s := moto.Require(t, motoSrv)
	proxy, err := faultproxy.New(s.URL, faultproxy.Config{Rules: []faultproxy.Rule{{
		Kind: faultproxy.AccessDenied, Every: 1, Max: 1,
		// The only DELETE of the source's path is step 3's DeleteBucket:
		// its objects go by DeleteObjects (POST ?delete).
		Match: faultproxy.Match{Methods: []string{"DELETE"}, PathPrefix: "/" + moveBucket},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = proxy.Close() })
	w := newMigrationWorld(t, worldOptions{objects: 20, endpoint: proxy.URL})
	code, out, errs := runCLI(t, "", "migrate", "move", "-c", w.cfg, "--auto-approve", "--confirm-delete-source", moveBucket)
	if code != exitError || proxy.Counts().Faults[faultproxy.AccessDenied] != 1 {
		t.Fatalf("migrate with DeleteBucket refused: exit %d, %d faults, want exit 1 after the one fault\n%s%s",
			code, proxy.Counts().Faults[faultproxy.AccessDenied], out, errs)
	}
	if left := bucketObjects(t, w.Prod.S3(), moveBucket); len(left) != 0 {
		t.Fatalf("the source still holds %d objects: the fault came before the deletion, not after it", len(left))
	}
	if got := bucketObjects(t, w.Lake.S3(), moveTemporary); len(got) != len(w.objects) {
		t.Fatalf("the temporary bucket holds %d objects after the failed step 3, want %d", len(got), len(w.objects))
	}
	if want := "every object is in the temporary bucket " + moveTemporary + " (account lake, 222222222222), copied and verified: keep it; run lakesync migrate move again to resume at step 3"; !strings.Contains(errs, want) {
		t.Errorf("the failed step 3 does not say %q:\n%s", want, errs)
	}
	code, out, errs = runCLI(t, "", "migrate", "move", "-c", w.cfg, "--auto-approve", "--confirm-delete-source", moveBucket)
	if code != 0 || !strings.Contains(out, "migration move: done, 100%") {
		t.Fatalf("migrate resumed: exit %d\n%s%s", code, out, errs)
	}
	w.assertMoved(t)
}
