package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCLI runs the command line over buffers and returns the exit code,
// standard output and standard error.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	return runCLIOn(t, &streams{In: strings.NewReader(stdin)}, args...)
}

// runCLIOn runs the command line on s, its output going to buffers.
func runCLIOn(t *testing.T, s *streams, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	s.Out, s.Err = &out, &errb
	code := run(context.Background(), args, s)
	return code, out.String(), errb.String()
}

func TestValidateExamples(t *testing.T) {
	files, _ := filepath.Glob("../../examples/*/lakesync.hcl")
	if len(files) < 4 {
		t.Fatalf("found %d examples, want at least 4", len(files))
	}
	for _, f := range files {
		code, out, errs := runCLI(t, "", "validate", "-c", f)
		if code != 0 || !strings.Contains(out, "is valid") {
			t.Errorf("validate %s: exit %d\n%s%s", f, code, out, errs)
		}
	}
}

func TestValidateInvalid(t *testing.T) {
	code, _, errs := runCLI(t, "", "validate", "-c", "../../internal/config/testdata/invalid/keys.hcl")
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	for _, want := range []string{
		"Error: AWS-managed key",
		"on ../../internal/config/testdata/invalid/keys.hcl line 8, column 13, in key \"managed\":",
		`Did you mean "lake"?`,
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if strings.Index(errs, "line 8,") > strings.Index(errs, "line 38,") {
		t.Errorf("diagnostics are not in file order:\n%s", errs)
	}
}

func TestValidateMissingFile(t *testing.T) {
	code, _, errs := runCLI(t, "", "validate", "-c", filepath.Join(t.TempDir(), "nope.hcl"))
	if code != 1 || !strings.Contains(errs, "Cannot read configuration file") {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
}

func TestValidateVars(t *testing.T) {
	code, _, errs := runCLI(t, "", "validate", "-c", "../../examples/multi/lakesync.hcl", "--var", "env=prod", "--var", "nope=1")
	if code != 1 || !strings.Contains(errs, "Value for undeclared variable") {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	code, _, errs = runCLI(t, "", "validate", "-c", "../../examples/multi/lakesync.hcl", "--var", "prod_account_id=12")
	if code != 1 || !strings.Contains(errs, "Invalid account id") {
		t.Fatalf("a --var must flow into validation: exit %d, stderr:\n%s", code, errs)
	}
}

func TestFmt(t *testing.T) {
	src, err := os.ReadFile("../../examples/push/lakesync.hcl")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "lakesync.hcl")
	messy := strings.Replace(string(src), `  name    = "konfir-prod-data"`, `  name="konfir-prod-data"`, 1)
	if messy == string(src) {
		t.Fatal("test setup: nothing to unformat")
	}
	if err := os.WriteFile(path, []byte(messy), 0o644); err != nil {
		t.Fatal(err)
	}

	code, out, _ := runCLI(t, "", "fmt", "--check", path)
	if code != 1 || strings.TrimSpace(out) != path {
		t.Fatalf("fmt --check on a messy file: exit %d, out %q", code, out)
	}
	if got, _ := os.ReadFile(path); string(got) != messy {
		t.Fatal("fmt --check modified the file")
	}

	code, out, _ = runCLI(t, "", "fmt", path)
	if code != 0 || strings.TrimSpace(out) != path {
		t.Fatalf("fmt: exit %d, out %q", code, out)
	}
	got, _ := os.ReadFile(path)
	if string(got) != string(src) {
		t.Fatalf("fmt result differs from the canonical example:\n%s", got)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("fmt changed the file mode to %v", fi.Mode().Perm())
	}

	code, out, _ = runCLI(t, "", "fmt", "--check", path)
	if code != 0 || out != "" {
		t.Fatalf("fmt --check on a formatted file: exit %d, out %q", code, out)
	}
}

func TestFmtStdinAndBroken(t *testing.T) {
	code, out, _ := runCLI(t, "account \"a\" {\nid=\"1\"\n}\n", "fmt", "-")
	if code != 0 || out != "account \"a\" {\n  id = \"1\"\n}\n" {
		t.Fatalf("fmt -: exit %d, out %q", code, out)
	}
	path := filepath.Join(t.TempDir(), "broken.hcl")
	broken := "account \"a\" {\n  id = \"1\" \"2\"\n"
	if err := os.WriteFile(path, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCLI(t, "", "fmt", path)
	if code != 1 || !strings.Contains(errs, "line 2") {
		t.Fatalf("fmt of a broken file: exit %d, stderr:\n%s", code, errs)
	}
	if got, _ := os.ReadFile(path); string(got) != broken {
		t.Fatal("fmt rewrote a file that does not parse")
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := runCLI(t, "", "version")
	if code != 0 || !strings.HasPrefix(out, "lakesync ") {
		t.Fatalf("version: exit %d, out %q", code, out)
	}
}

func TestUnknownCommand(t *testing.T) {
	code, _, errs := runCLI(t, "", "aply")
	if code != 1 || !strings.Contains(errs, "unknown command") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
}

// A --job that names no job, or a missing --job where one is needed, is
// refused before any AWS call, with the jobs the user can name.
func TestUnknownJob(t *testing.T) {
	cfg := "../../examples/multi/lakesync.hcl"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"verify", "-c", cfg, "--job", "nope"}, `no sync "nope" in ` + cfg + `: --job takes one of app_exports, access_logs, ml_snapshot`},
		{[]string{"state", "rebuild", "-c", cfg, "--state", filepath.Join(t.TempDir(), "state"), "--job", "nope"}, `no sync "nope" in ` + cfg},
		{[]string{"batch", "status", "JOBID", "-c", cfg}, cfg + " has 3 jobs: name one with --job (app_exports, access_logs, ml_snapshot)"},
	} {
		code, _, errs := runCLI(t, "", tc.args...)
		if code != exitError || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", tc.args, code, errs, tc.want)
		}
	}
}

// An unknown --engine is refused before the state is opened or anything
// is written.
func TestApplyUnknownEngine(t *testing.T) {
	code, _, errs := runCLI(t, "", "apply", "-c", "../../examples/push/lakesync.hcl", "--engine", "nope")
	if want := `--engine "nope": want lakesync or s3-batch`; code != exitError || !strings.Contains(errs, want) {
		t.Fatalf("exit %d, stderr %q, want %q", code, errs, want)
	}
}

// The command reads input variables from the environment
// (LAKESYNC_VAR_NAME): config does no I/O, so the command must pass it.
func TestVarsFromEnvironment(t *testing.T) {
	t.Setenv("LAKESYNC_VAR_prod_account_id", "12")
	code, _, errs := runCLI(t, "", "validate", "-c", "../../examples/multi/lakesync.hcl")
	if code != 1 || !strings.Contains(errs, "Invalid account id") {
		t.Fatalf("LAKESYNC_VAR_prod_account_id=12 must flow into validation: exit %d, stderr:\n%s", code, errs)
	}
}
