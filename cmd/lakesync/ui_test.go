package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lakesync/lakesync/internal/exec/state"
)

// localConfig is the demo configuration with its state in a temporary
// directory; nothing in it is reached until a plan.
func localConfig(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile("../../examples/demo/lakesync.hcl")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfg := strings.Replace(string(src), `".lakesync/demo.state"`, `"`+filepath.Join(dir, "state")+`"`, 1)
	path := filepath.Join(dir, "lakesync.hcl")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// A second UI on the same state is refused by the state's lock, as a
// second apply is, and so is an apply while the UI runs.
func TestUISecondRefusedByLock(t *testing.T) {
	cfg := localConfig(t)
	// A state that exists already: a UI that opened it read-only (and so
	// took no writer's lock) would start, and so would the second.
	st, err := state.Open(filepath.Join(filepath.Dir(cfg), "state"), state.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if url := startUI(t, "-c", cfg); !strings.Contains(url, "?token=") {
		t.Fatalf("URL %q has no token", url)
	}
	for _, args := range [][]string{
		{"ui", "-c", cfg, "--listen", "127.0.0.1:0"},
		{"apply", "-c", cfg, "--auto-approve"},
	} {
		var outb, errb strings.Builder
		code := run(within(t, 10*time.Second), args, &streams{In: strings.NewReader(""), Out: &outb, Err: &errb})
		out, errs := outb.String(), errb.String()
		if code != exitError || !strings.Contains(errs, "locked by another lakesync run") {
			t.Errorf("%s while the UI runs: exit %d, want 1 and the lock\n%s%s", args[0], code, out, errs)
		}
	}
}

func TestUIListen(t *testing.T) {
	cfg := localConfig(t)
	// A UI that wrongly starts serves until the deadline, then fails the test.
	var outb, errb strings.Builder
	code := run(within(t, 10*time.Second), []string{"ui", "-c", cfg, "--listen", "0.0.0.0:0"}, &streams{In: strings.NewReader(""), Out: &outb, Err: &errb})
	out, errs := outb.String(), errb.String()
	if code != exitError || !strings.Contains(errs, "not a loopback address") || !strings.Contains(errs, "--allow-remote") || out != "" {
		t.Errorf("ui --listen 0.0.0.0:0: exit %d\n%s%s", code, out, errs)
	}
	// With --allow-remote it serves, and still prints a token.
	if url := startUI(t, "-c", cfg, "--listen", "0.0.0.0:0", "--allow-remote"); !strings.Contains(url, "?token=") {
		t.Errorf("ui --allow-remote printed %q", url)
	}
}
