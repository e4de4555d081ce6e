// Package golden compares what a test renders with a golden file under
// the test's testdata/ directory, and rewrites the file when the test runs
// with -update (go test ./cmd/lakesync/... -run TEST -update). It is for
// tests only; it relies on the standard library and imports nothing of
// lakesync.
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// update rewrites the golden files of the package under test.
var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// Compare compares got with testdata/name, rewriting it with -update.
func Compare(t testing.TB, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update in the package)", err, t.Name())
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got); if intended, run with -update:\n%s", path, diff)
	}
}
