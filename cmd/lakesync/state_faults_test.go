package main

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakesync/lakesync/internal/testenv/moto"
)

// TestStateDirectoryFaults runs apply with a state file that cannot be
// created: each run stops with an error naming the file and what to do,
// before any policy is written or any object copied.
func TestStateDirectoryFaults(t *testing.T) {
	d, cfg := demoWorld(t, 2)
	tests := []struct {
		name  string
		state func(t *testing.T) string // the state path to use
		want  string                    // what the error tells the user to do
	}{
		{"parent is a regular file", func(t *testing.T) string {
			f := filepath.Join(t.TempDir(), "file")
			if err := os.WriteFile(f, nil, 0o600); err != nil {
				t.Fatal(err)
			}
			return filepath.Join(f, "sub", "state")
		}, "point the state block's path elsewhere"},
		{"read-only directory", func(t *testing.T) string {
			if os.Geteuid() == 0 {
				t.Skip("running as root, which writes into a mode 0500 directory: the regular-file case covers this")
			}
			dir := filepath.Join(t.TempDir(), "ro")
			if err := os.Mkdir(dir, 0o500); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = os.Chmod(dir, 0o700) })
			return filepath.Join(dir, "state")
		}, "make %DIR% a directory this user can write"},
		{"disk full", func(t *testing.T) string {
			dir := fullFileSystem(t)
			return filepath.Join(dir, "state")
		}, "free space there"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			statePath := tt.state(t)
			useState(t, cfg, statePath)
			code, out, errs := runCLI(t, "", "apply", "-c", cfg, "--auto-approve")
			want := strings.ReplaceAll(tt.want, "%DIR%", filepath.Dir(statePath))
			if code != 1 || !strings.Contains(errs, statePath) || !strings.Contains(errs, want) {
				t.Fatalf("apply: exit %d, want 1 naming %s and saying %q\n%s%s", code, statePath, want, out, errs)
			}
			t.Log(strings.TrimSpace(errs))
			if _, err := os.Stat(statePath); err == nil {
				t.Errorf("a state file was left behind at %s", statePath)
			}
			untouched(t, d)
		})
	}
}

// TestTwoRunsOnOneState starts two lakesync apply processes on one state:
// the first holds the state while it waits on an endpoint that never
// answers; the second must refuse to start, naming the file, before it
// writes any policy or copies any object.
func TestTwoRunsOnOneState(t *testing.T) {
	d, cfg := demoWorld(t, 2)
	bin := buildLakesync(t)
	// An endpoint that accepts connections and never answers: the first
	// run reaches it only after it has opened the state.
	endpoint, reached := hangingEndpoint(t)

	var firstOut bytes.Buffer
	first := exec.CommandContext(within(t, time.Minute), bin, "apply", "-c", cfg, "--auto-approve", "--var", "endpoint="+endpoint)
	first.Stdout, first.Stderr = &firstOut, &firstOut
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- first.Wait() }()
	defer func() {
		_ = first.Process.Kill()
		<-exited
	}()
	select {
	case <-reached:
	case err := <-exited:
		t.Fatalf("the first run ended before it reached the endpoint: %v\n%s", err, firstOut.String())
	}

	var out, errs bytes.Buffer
	second := exec.CommandContext(within(t, time.Minute), bin, "apply", "-c", cfg, "--auto-approve")
	second.Stdout, second.Stderr = &out, &errs
	err := second.Run()
	var exit *exec.ExitError
	statePath := filepath.Join(filepath.Dir(cfg), "state")
	if !errors.As(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(errs.String(), statePath) || !strings.Contains(errs.String(), "wait for it to finish") {
		t.Fatalf("second apply on a state in use: %v, want exit 1 naming %s and saying to wait\n%s%s", err, statePath, out.String(), errs.String())
	}
	t.Log(strings.TrimSpace(errs.String()))
	untouched(t, d)
}

// useState points the configuration's state block at path.
func useState(t *testing.T, cfg, path string) {
	t.Helper()
	src, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(src, []byte("state {"))
	if i < 0 {
		t.Fatalf("no state block in %s", cfg)
	}
	if err := os.WriteFile(cfg, append(src[:i:i], []byte("state {\n  path = \""+path+"\"\n}\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
}

// untouched fails the test when the destination has a bucket policy or
// any object: the run wrote before it opened the state.
func untouched(t *testing.T, d *moto.Demo) {
	t.Helper()
	ctx := t.Context()
	if _, err := d.Lake.S3().GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String(moto.DemoDest)}); err == nil {
		t.Error("the destination bucket policy was written")
	}
	out, err := d.Lake.S3().ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(moto.DemoDest)})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(out.Contents); n != 0 {
		t.Errorf("%d objects were copied, first %s", n, aws.ToString(out.Contents[0].Key))
	}
}

// fullFileSystem mounts a 64 KiB tmpfs, fills it and returns its path.
// It skips the test where mounting is not permitted.
func fullFileSystem(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.CommandContext(t.Context(), "mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs to fill (needs root and mount permission): %v %s", err, bytes.TrimSpace(out))
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v %s", dir, err, out)
		}
	})
	f, err := os.Create(filepath.Join(dir, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, fs.ErrClosed) && strings.Contains(err.Error(), "no space") {
				return dir
			}
			t.Fatalf("filling %s: %v", dir, err)
		}
	}
}
