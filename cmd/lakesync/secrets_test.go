package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Canaries: recognisable fake secrets that must never be written anywhere.
const (
	canarySecret   = "LEAKCANARYSECRETxxxxxxxxxxxxxxxxxxxxxxxx"
	canaryToken    = "LEAKCANARYSESSIONTOKENxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	canaryEnvToken = "LEAKCANARYENVTOKENxxxxxxxxxxxxxxxxxxxxxxxxxx"
)

// No secret appears in what lakesync writes: stdout and stderr of plan
// (human, --json, --out), apply (plan file, --json), check, and failing
// runs whose credentials carry a canary secret and session token; nor in
// the plan file or the state. The real secret keys of the moto accounts
// are searched for too. Plan and state files are created 0600.
func TestSecretsNeverLeak(t *testing.T) {
	d, cfg := demoWorld(t, 3)
	dir := filepath.Dir(cfg)
	credsFile := d.Env["AWS_SHARED_CREDENTIALS_FILE"]
	confFile := d.Env["AWS_CONFIG_FILE"]

	// A profile whose access key is prod's (so moto acts as 111111111111)
	// with a canary secret and session token: used for an account that
	// the config says is 222222222222, so the run fails.
	appendFile(t, confFile, fmt.Sprintf("[profile canary]\nregion = eu-west-1\nendpoint_url = %s\n", motoSrv.URL))
	appendFile(t, credsFile, fmt.Sprintf("[canary]\naws_access_key_id = %s\naws_secret_access_key = %s\naws_session_token = %s\n", d.Prod.AccessKeyID, canarySecret, canaryToken))
	// Ignored by the SDK without AWS_ACCESS_KEY_ID; must not be echoed.
	t.Setenv("AWS_SESSION_TOKEN", canaryEnvToken)

	src, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	wrong := strings.Replace(string(src), `profile             = "lake"`, `profile             = "canary"`, 1)
	if wrong == string(src) {
		t.Fatal("test setup: no lake profile in the demo config")
	}
	wrongCfg := filepath.Join(dir, "wrong-account.hcl")
	if err := os.WriteFile(wrongCfg, []byte(wrong), 0o644); err != nil {
		t.Fatal(err)
	}
	planFile := filepath.Join(dir, "plan.out")

	var written []string // every stdout and stderr
	runs := []struct {
		args []string
		code int
		want string // in stdout+stderr
	}{
		{[]string{"plan", "-c", cfg}, 0, "Plan:"},
		{[]string{"plan", "-c", cfg, "--json"}, 0, `"format_version"`},
		{[]string{"plan", "-c", cfg, "--out", planFile}, 0, "Plan:"},
		{[]string{"apply", planFile, "--auto-approve"}, 0, ""},
		{[]string{"check", "-c", cfg}, 0, "every request is allowed"},
		{[]string{"check", "-c", cfg, "--json"}, 0, ""},
		{[]string{"apply", "-c", cfg, "--auto-approve", "--json"}, 0, ""},
		{[]string{"plan", "-c", wrongCfg}, 1, "222222222222"},
		{[]string{"plan", "-c", wrongCfg, "--json"}, 1, "222222222222"},
		{[]string{"apply", "-c", wrongCfg, "--auto-approve"}, 1, "222222222222"},
		{[]string{"check", "-c", wrongCfg}, 1, "222222222222"},
	}
	for _, r := range runs {
		code, out, errs := runCLI(t, "", r.args...)
		if code != r.code || !strings.Contains(out+errs, r.want) {
			t.Errorf("lakesync %s: exit %d, want %d and %q\n%s%s", strings.Join(r.args, " "), code, r.code, r.want, out, errs)
		}
		written = append(written, "lakesync "+strings.Join(r.args, " ")+" (stdout)\x00"+out, "lakesync "+strings.Join(r.args, " ")+" (stderr)\x00"+errs)
	}

	fi, err := os.Stat(planFile)
	if err != nil {
		t.Fatal(err)
	}
	if mode := fi.Mode().Perm(); mode != 0o600 {
		t.Errorf("plan file mode %v, want 0600", mode)
	}

	secrets := map[string]string{
		"canary secret key":            canarySecret,
		"canary session token":         canaryToken,
		"canary AWS_SESSION_TOKEN":     canaryEnvToken,
		"prod's secret access key":     d.Prod.SecretAccessKey,
		"lake's secret access key":     d.Lake.SecretAccessKey,
		"the canary prefix":            "LEAKCANARY",
		"prod's secret key, truncated": d.Prod.SecretAccessKey[:12],
		"lake's secret key, truncated": d.Lake.SecretAccessKey[:12],
	}
	scan := func(where string, data []byte) {
		for name, s := range secrets {
			if bytes.Contains(data, []byte(s)) {
				t.Errorf("%s contains %s", where, name)
			}
		}
	}
	for _, w := range written {
		where, data, _ := strings.Cut(w, "\x00")
		scan(where, []byte(data))
	}
	// Every file lakesync could have written: the plan file, the state
	// and anything else in the test's directory, but for the shared
	// config files that hold the credentials on purpose.
	files := 0
	err = filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || path == credsFile || path == confFile {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		scan(path, data)
		if rel, _ := filepath.Rel(dir, path); strings.HasPrefix(rel, "state") {
			if fi, err := e.Info(); err == nil && fi.Mode().Perm() != 0o600 {
				t.Errorf("state file %s has mode %v, want 0600", path, fi.Mode().Perm())
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "state")); err != nil {
		t.Errorf("apply wrote no state at %s: %v (the scan must cover the state)", filepath.Join(dir, "state"), err)
	}
	t.Logf("%d runs and %d files scanned for %d secrets", len(runs), files, len(secrets))
}

func appendFile(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("\n" + text); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
