// Command demo runs lakesync's main job on a local two-account AWS: it
// starts moto_server on a free loopback port, creates a Production and a
// Data Lake account with buckets, a customer-managed key, a copier role and
// some objects, then runs `lakesync plan`, `lakesync apply` and `lakesync
// plan` again (which must show no changes), and stops the server.
//
//	make demo            # or: go run ./examples/demo -lakesync bin/lakesync
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/lakesync/lakesync/internal/testenv/moto"
)

func main() {
	bin := flag.String("lakesync", "bin/lakesync", "the lakesync binary to run")
	objects := flag.Int("objects", 50, "source objects to create")
	flag.Parse()
	if err := run(*bin, *objects); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func run(bin string, objects int) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	srv, err := moto.Start(ctx)
	if errors.Is(err, moto.ErrNotFound) {
		return fmt.Errorf("%w: install it with: python3 -m pip install 'moto[server]'", err)
	}
	if err != nil {
		return err
	}
	defer srv.Stop()

	dir, err := os.MkdirTemp("", "lakesync-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	step("creating accounts 111111111111 (prod) and 222222222222 (lake), buckets, key, role and %d objects on %s", objects, srv.URL)
	d, err := srv.BuildDemo(ctx, dir, objects)
	if err != nil {
		return err
	}
	env := os.Environ()
	for k, v := range d.Env {
		env = append(env, k+"="+v)
	}
	src, err := os.ReadFile("examples/demo/lakesync.hcl")
	if err != nil {
		return err
	}
	cfg := filepath.Join(dir, "lakesync.hcl")
	text := strings.Replace(string(src), `".lakesync/demo.state"`, `"`+filepath.Join(dir, "state")+`"`, 1)
	if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
		return err
	}
	lakesync := func(want int, args ...string) error {
		args = append(args, "-c", cfg, "--var", "endpoint="+srv.URL)
		step("lakesync %s", strings.Join(args[:len(args)-4], " "))
		cmd := osexec.CommandContext(ctx, bin, args...)
		cmd.Env, cmd.Stdout, cmd.Stderr = env, os.Stdout, os.Stderr
		err := cmd.Run()
		code := 0
		var ee *osexec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			return err
		}
		if code != want {
			return fmt.Errorf("lakesync %s exited %d, want %d", args[0], code, want)
		}
		return nil
	}
	if err := lakesync(2, "plan", "--detailed-exitcode"); err != nil {
		return err
	}
	if err := lakesync(0, "apply", "--auto-approve"); err != nil {
		return err
	}
	if err := lakesync(0, "plan", "--detailed-exitcode"); err != nil {
		return err
	}
	step("done: the second plan shows no changes")
	return nil
}

func step(format string, args ...any) {
	fmt.Printf("\n==> "+format+"\n\n", args...)
}
