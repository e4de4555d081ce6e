package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/lakesync/lakesync/internal/testenv/moto"
)

// motoSrv is the package's moto server, nil when moto_server is missing
// and CI is not set.
var motoSrv *moto.Server

func TestMain(m *testing.M) {
	code := moto.Main(m, &motoSrv)
	if built.dir != "" {
		_ = os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// built is the command as buildLakesync built it, once for the package's
// tests; TestMain removes its directory.
var built struct {
	once sync.Once
	dir  string
	bin  string
	out  []byte
	err  error
}

// buildLakesync builds the command (once), for tests that need several
// real processes at once, and returns the binary's path.
func buildLakesync(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "lakesync-test-"); built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "lakesync")
		built.out, built.err = exec.Command("go", "build", "-o", built.bin, ".").CombinedOutput()
	})
	if built.err != nil {
		t.Fatalf("go build: %v\n%s", built.err, built.out)
	}
	return built.bin
}

// within is a context of the test that ends after d: every wait of a
// test on a process or a channel is bounded by its own deadline, not by
// the package's 9-minute timeout.
func within(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), d)
	t.Cleanup(cancel)
	return ctx
}
