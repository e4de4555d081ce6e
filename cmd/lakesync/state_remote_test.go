package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/view"
	"github.com/lakesync/lakesync/internal/testenv/moto"
)

const (
	remoteStateBucket = "konfir-lakesync-state"
	remoteStateKey    = "lakesync/demo.state"
)

// remoteDemo is the demo world with its state in S3, in the lake account.
func remoteDemo(t *testing.T, objects int) (*moto.Demo, string) {
	t.Helper()
	d, cfg := demoWorld(t, objects)
	if err := d.Lake.CreateBucket(t.Context(), remoteStateBucket); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(src, []byte("state {"))
	block := fmt.Sprintf("state {\n  backend = \"s3\"\n  bucket  = %q\n  key     = %q\n  account = account.lake\n}\n", remoteStateBucket, remoteStateKey)
	if err := os.WriteFile(cfg, append(src[:i:i], block...), 0o644); err != nil {
		t.Fatal(err)
	}
	return d, cfg
}

func remoteObject(t *testing.T, d *moto.Demo, key string) ([]byte, bool) {
	t.Helper()
	out, err := d.Lake.S3().GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String(remoteStateBucket), Key: aws.String(key)})
	if err != nil {
		return nil, false
	}
	defer out.Body.Close()
	var b bytes.Buffer
	if _, err := b.ReadFrom(out.Body); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), true
}

func TestRemoteStatePlanApply(t *testing.T) {
	d, cfg := remoteDemo(t, 3)
	if code, out, errs := runCLI(t, "", "plan", "-c", cfg, "--detailed-exitcode"); code != exitChanges {
		t.Fatalf("plan with no remote state yet: exit %d, want 2\n%s%s", code, out, errs)
	}
	if code, out, errs := runCLI(t, "", "apply", "-c", cfg, "--auto-approve"); code != 0 {
		t.Fatalf("apply: exit %d\n%s%s", code, out, errs)
	}
	if _, ok := remoteObject(t, d, remoteStateKey); !ok {
		t.Fatalf("no state at s3://%s/%s after apply", remoteStateBucket, remoteStateKey)
	}
	if _, ok := remoteObject(t, d, remoteStateKey+".lock"); ok {
		t.Errorf("the lock is still there after apply")
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(cfg), "state")); err == nil {
		t.Errorf("apply wrote a local state file")
	}
	code, out, errs := runCLI(t, "", "apply", "-c", cfg, "--auto-approve", "--json")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var sum view.SummaryLine
	if code != 0 || json.Unmarshal([]byte(lines[len(lines)-1]), &sum) != nil || sum.Type != "summary" || sum.Copied != 0 || sum.Skipped != 3 {
		t.Fatalf("second apply: exit %d, last line %q (%+v), want nothing copied\n%s", code, lines[len(lines)-1], sum, errs)
	}
	if code, out, errs := runCLI(t, "", "state", "list", "-c", cfg); code != 0 || strings.Count(out, "prod_to_lake") != 3 {
		t.Errorf("state list of the remote state: exit %d, want 3 records\n%s%s", code, out, errs)
	}

	// pull, then push it under another key through a second configuration.
	file := filepath.Join(t.TempDir(), "pulled.state")
	if code, out, errs := runCLI(t, "", "state", "pull", "-c", cfg, file); code != 0 {
		t.Fatalf("state pull: exit %d\n%s%s", code, out, errs)
	}
	if code, out, errs := runCLI(t, "", "state", "list", "--state", file); code != 0 || strings.Count(out, "prod_to_lake") != 3 {
		t.Errorf("state list of the pulled file: exit %d, want 3 records\n%s%s", code, out, errs)
	}
	src, _ := os.ReadFile(cfg)
	other := filepath.Join(filepath.Dir(cfg), "other.hcl")
	if err := os.WriteFile(other, bytes.Replace(src, []byte(remoteStateKey), []byte("moved.state"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := runCLI(t, "", "state", "push", "-c", other, file); code != 0 {
		t.Fatalf("state push: exit %d\n%s%s", code, out, errs)
	}
	pushed, _ := remoteObject(t, d, "moved.state")
	local, _ := os.ReadFile(file)
	if !bytes.Equal(pushed, local) {
		t.Errorf("pushed state (%d bytes) differs from the file (%d bytes)", len(pushed), len(local))
	}
}

// TestRemoteStateStaleLock: a lock left by a killed run stops apply, which
// names it; unlock refuses a wrong id and a live lease, and breaks an
// expired one.
func TestRemoteStateStaleLock(t *testing.T) {
	d, cfg := remoteDemo(t, 1)
	putLock := func(id string, leaseUntil time.Time) {
		t.Helper()
		body := fmt.Sprintf(`{"id":%q,"who":"ci@runner-9 (pid 4242)","when":"2026-01-02T03:04:05Z","what":"lakesync apply -c ci.hcl","lease_until":%q}`, id, leaseUntil.UTC().Format(time.RFC3339))
		if err := d.Lake.PutObject(t.Context(), remoteStateBucket, remoteStateKey+".lock", []byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	putLock("live0001", time.Now().Add(time.Hour))
	code, out, errs := runCLI(t, "", "apply", "-c", cfg, "--auto-approve")
	for _, want := range []string{"locked by another lakesync run", "ci@runner-9 (pid 4242)", "2026-01-02T03:04:05Z", "lakesync apply -c ci.hcl", "wait for it to finish"} {
		if code != 1 || !strings.Contains(errs, want) {
			t.Fatalf("apply on a locked state: exit %d, want 1 saying %q\n%s%s", code, want, out, errs)
		}
	}
	untouched(t, d)
	if code, _, errs := runCLI(t, "", "state", "unlock", "-c", cfg, "live0001"); code != 1 || !strings.Contains(errs, "is live") {
		t.Errorf("unlock of a live lock: exit %d, want 1 and a refusal\n%s", code, errs)
	}

	putLock("dead0002", time.Now().Add(-time.Minute))
	code, _, errs = runCLI(t, "", "apply", "-c", cfg, "--auto-approve")
	if code != 1 || !strings.Contains(errs, "lakesync state unlock dead0002") {
		t.Fatalf("apply on a stale lock: exit %d, want 1 saying how to break it\n%s", code, errs)
	}
	if code, _, errs := runCLI(t, "", "state", "unlock", "-c", cfg, "live0001"); code != 1 || !strings.Contains(errs, "dead0002") {
		t.Errorf("unlock with another id: exit %d, want 1 naming the lock's id\n%s", code, errs)
	}
	if code, out, errs := runCLI(t, "", "state", "unlock", "-c", cfg, "dead0002"); code != 0 || !strings.Contains(out, "ci@runner-9") {
		t.Fatalf("unlock of a stale lock: exit %d\n%s%s", code, out, errs)
	}
	if code, out, errs := runCLI(t, "", "apply", "-c", cfg, "--auto-approve"); code != 0 {
		t.Fatalf("apply after unlock: exit %d\n%s%s", code, out, errs)
	}
}

// hangingEndpoint accepts connections and never answers; reached is closed
// at the first connection.
func hangingEndpoint(t *testing.T) (url string, reached chan struct{}) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	reached = make(chan struct{})
	go func() {
		var held []net.Conn
		defer func() {
			for _, c := range held {
				c.Close()
			}
		}()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			if held = append(held, c); len(held) == 1 {
				close(reached)
			}
		}
	}()
	return "http://" + l.Addr().String(), reached
}

// TestRemoteStateLockRace starts two lakesync apply processes at once on
// one S3 state. The state's account (lake) is on moto; the other account
// is on an endpoint of each process's own that never answers, so a run
// that took the lock stays in it and shows which one won. Exactly one
// must win; the other exits 1 naming the winner's pid.
func TestRemoteStateLockRace(t *testing.T) {
	d, cfg := remoteDemo(t, 1)
	src, _ := os.ReadFile(cfg)
	lake := []byte("profile             = \"lake\"\n  endpoint_url        = var.endpoint")
	if !bytes.Contains(src, lake) {
		t.Fatalf("no lake account endpoint in %s", cfg)
	}
	src = bytes.Replace(src, lake, []byte("profile             = \"lake\"\n  endpoint_url        = \""+motoSrv.URL+"\""), 1)
	if err := os.WriteFile(cfg, src, 0o644); err != nil {
		t.Fatal(err)
	}
	bin := buildLakesync(t)

	type run struct {
		cmd     *exec.Cmd
		out     bytes.Buffer
		reached chan struct{}
		exited  chan struct{} // closed when the process has ended
		err     error         // of Wait, once exited is closed
	}
	runs := make([]*run, 2)
	for i := range runs {
		r := &run{exited: make(chan struct{})}
		var url string
		url, r.reached = hangingEndpoint(t)
		r.cmd = exec.CommandContext(within(t, time.Minute), bin, "apply", "-c", cfg, "--auto-approve", "--var", "endpoint="+url)
		r.cmd.Stdout, r.cmd.Stderr = &r.out, &r.out
		runs[i] = r
	}
	for _, r := range runs {
		if err := r.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go func() {
			r.err = r.cmd.Wait()
			close(r.exited)
		}()
		defer func() {
			_ = r.cmd.Process.Kill()
			<-r.exited
		}()
	}
	both := make(chan struct{})
	go func() {
		<-runs[0].reached
		<-runs[1].reached
		close(both)
	}()
	var loser, winner *run
	select {
	case <-runs[0].exited:
		loser, winner = runs[0], runs[1]
	case <-runs[1].exited:
		loser, winner = runs[1], runs[0]
	case <-both:
		t.Fatalf("both runs took the lock and went on\nfirst:\n%s\nsecond:\n%s", runs[0].out.String(), runs[1].out.String())
	}
	var exit *exec.ExitError
	want := fmt.Sprintf("(pid %d)", winner.cmd.Process.Pid)
	err := loser.err
	if !errors.As(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(loser.out.String(), "locked by another lakesync run") || !strings.Contains(loser.out.String(), want) {
		t.Fatalf("the run that ended: %v, want exit 1 naming the holder %s\n%s", err, want, loser.out.String())
	}
	t.Log(strings.TrimSpace(loser.out.String()))
	select {
	case <-winner.reached:
	case <-winner.exited:
		t.Fatalf("the winner ended before it reached its endpoint: %v\n%s", winner.err, winner.out.String())
	}
	lock, ok := remoteObject(t, d, remoteStateKey+".lock")
	if !ok || !bytes.Contains(lock, []byte(want)) {
		t.Errorf("lock object %s, want the winner %s", lock, want)
	}
	untouched(t, d)
}
