package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lakesync/lakesync/internal/testenv/moto"
)

// initDemo builds the demo world, with extra buckets made by more, and
// returns the path init should write.
func initDemo(t *testing.T, more func(d *moto.Demo)) string {
	t.Helper()
	s := moto.Require(t, motoSrv)
	dir := t.TempDir()
	d, err := s.BuildDemo(t.Context(), dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	d.Env.Setenv(t)
	if more != nil {
		more(d)
	}
	return filepath.Join(dir, "lakesync.hcl")
}

// checkStarter runs init into path and checks the file validates and is
// formatted; it returns the file.
func checkStarter(t *testing.T, path string) string {
	t.Helper()
	code, out, errs := runCLI(t, "", "init", "--source-profile", "prod", "--destination-profile", "lake", "--out", path)
	if code != 0 {
		t.Fatalf("init: exit %d\n%s%s", code, out, errs)
	}
	if !strings.HasPrefix(out, "Wrote "+path+": account 111111111111") {
		t.Errorf("init printed %q", out)
	}
	if code, out, errs := runCLI(t, "", "validate", "-c", path); code != 0 {
		t.Errorf("validate: exit %d\n%s%s", code, out, errs)
	}
	if code, out, errs := runCLI(t, "", "fmt", "--check", path); code != 0 {
		t.Errorf("fmt --check: exit %d\n%s%s", code, out, errs)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(src)
}

// TestInitDemo: for the demo world, init writes a file that validates,
// with the demo's job, and that plan can run against the world.
func TestInitDemo(t *testing.T) {
	path := initDemo(t, nil)
	src := checkStarter(t, path)
	for _, want := range []string{`name    = "konfir-prod-data"`, `alias   = "alias/datalake"`, `name    = "lakesync-copier"`, `sync "konfir_prod_data_to_konfir_datalake_raw"`} {
		if !strings.Contains(src, want) {
			t.Errorf("the starter file has no %s:\n%s", want, src)
		}
	}
	if code, out, errs := runCLI(t, "", "plan", "-c", path); code != 0 {
		t.Errorf("plan on the starter file: exit %d\n%s%s", code, out, errs)
	}
}

// TestInitSeveralBuckets: with several buckets on each side, init pairs
// them by shared name words, lists the others, and leaves TODOs.
func TestInitSeveralBuckets(t *testing.T) {
	path := initDemo(t, func(d *moto.Demo) {
		for _, b := range []string{"konfir-prod-clicks", "scratch-111111111111"} {
			if err := d.Prod.CreateBucket(t.Context(), b); err != nil {
				t.Fatal(err)
			}
		}
		for _, b := range []string{"konfir-lake-clicks", "analytics-tmp"} {
			if err := d.Lake.CreateBucket(t.Context(), b); err != nil {
				t.Fatal(err)
			}
		}
	})
	src := checkStarter(t, path)
	for _, want := range []string{
		`sync "konfir_prod_data_to_konfir_datalake_raw"`,
		`sync "konfir_prod_clicks_to_konfir_lake_clicks"`,
		"# Other buckets of account 111111111111, in no job: scratch-111111111111.",
		"# Other buckets of account 222222222222, in no job: analytics-tmp.",
		"# TODO: mode:", "# TODO: source_prefix:", "# TODO: destination_prefix:", "# TODO: topology (push or pull) and role",
	} {
		if !strings.Contains(src, want) {
			t.Errorf("the starter file has no %q:\n%s", want, src)
		}
	}
}

// TestInitRefusesToOverwrite: an existing file is left as it is without
// --force, and replaced with it.
func TestInitRefusesToOverwrite(t *testing.T) {
	path := initDemo(t, nil)
	if err := os.WriteFile(path, []byte("# mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCLI(t, "", "init", "--source-profile", "prod", "--destination-profile", "lake", "--out", path)
	if code != 1 || !strings.Contains(errs, path+" exists; init does not overwrite it: pass --force") {
		t.Errorf("init over an existing file: exit %d, stderr %q; want 1 and a refusal", code, errs)
	}
	if got, _ := os.ReadFile(path); string(got) != "# mine\n" {
		t.Errorf("the existing file was changed to:\n%s", got)
	}
	if code, out, errs := runCLI(t, "", "init", "--source-profile", "prod", "--destination-profile", "lake", "--out", path, "--force"); code != 0 {
		t.Fatalf("init --force: exit %d\n%s%s", code, out, errs)
	}
	if got, _ := os.ReadFile(path); !strings.Contains(string(got), `sync "`) {
		t.Errorf("init --force did not write the starter file:\n%s", got)
	}
}
