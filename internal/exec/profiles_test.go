package exec

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lakesync/lakesync/internal/config"
)

// An unknown profile names the files the SDK read, the profiles they
// have and the nearest one.
func TestAccountsUnknownProfileNamesFilesAndNearest(t *testing.T) {
	dir := t.TempDir()
	conf, creds := filepath.Join(dir, "aws-config"), filepath.Join(dir, "aws-credentials")
	must(t, os.WriteFile(conf, []byte("[default]\nregion = eu-west-1\n\n[profile prod]\nregion = eu-west-1\n\n[profile lake]\nregion = eu-west-1\n\n[sso-session corp]\nsso_region = eu-west-1\n"), 0o600))
	must(t, os.WriteFile(creds, []byte("[prod]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = secret\n\n[ci]\naws_access_key_id = AKIDEXAMPLE2\naws_secret_access_key = secret2\n"), 0o600))
	staticProfiles(t)
	t.Setenv("AWS_CONFIG_FILE", conf)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", creds)

	tests := []struct {
		profile string
		want    []string
		notWant []string
	}{
		{"prd", []string{
			`account "prod" (111111111111): profile "prd" is not in`,
			"the shared config file " + conf + " (from AWS_CONFIG_FILE)",
			"the shared credentials file " + creds + " (from AWS_SHARED_CREDENTIALS_FILE)",
			`which have the profiles "ci", "default", "lake", "prod"`,
			`did you mean "prod"?`,
			`did you mean "prod"? Set profile in account "prod" to one of them, or add [profile prd] to ` + conf,
		}, []string{"corp"}},
		{"datalake-admin", []string{`profile "datalake-admin" is not in`, `"ci", "default", "lake", "prod"`}, []string{"did you mean"}},
	}
	for _, tt := range tests {
		a := &config.Account{Name: "prod", ID: prodID, Region: "eu-west-1", Profile: tt.profile}
		_, err := NewAccounts(&config.Config{Accounts: []*config.Account{a}}).Config(t.Context(), a)
		if err == nil {
			t.Fatalf("profile %q: no error", tt.profile)
		}
		msg := err.Error()
		t.Log(msg)
		for _, w := range tt.want {
			if !strings.Contains(msg, w) {
				t.Errorf("profile %q: error does not say %q", tt.profile, w)
			}
		}
		for _, w := range tt.notWant {
			if strings.Contains(msg, w) {
				t.Errorf("profile %q: error says %q", tt.profile, w)
			}
		}
	}
}

// Without AWS_SHARED_CREDENTIALS_FILE the SDK reads ~/.aws/credentials:
// the error names that file, and says when it does not exist.
func TestAccountsUnknownProfileNamesDefaultFile(t *testing.T) {
	staticProfiles(t)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "")
	a := &config.Account{Name: "prod", ID: prodID, Region: "eu-west-1", Profile: "nosuch"}
	_, err := NewAccounts(&config.Config{Accounts: []*config.Account{a}}).Config(t.Context(), a)
	home, herr := os.UserHomeDir()
	must(t, herr)
	want := "the shared credentials file " + filepath.Join(home, ".aws", "credentials") + " (the default"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v, want it to name %q", err, want)
	}
}

func TestProfileNames(t *testing.T) {
	conf := "# comment\n[default]\n[profile  prod ]\n[ profile lake]\n[sso-session corp]\n[services s3-local]\n[prod]\n[profile]\nkey = [x]\n[profile prod]\n"
	if d := cmp.Diff([]string{"default", "prod", "lake"}, profileNames(conf, true)); d != "" {
		t.Errorf("config file profiles (-want +got):\n%s", d)
	}
	creds := "[default]\n[ci]\n; [commented]\n[profile x]\n"
	if d := cmp.Diff([]string{"default", "ci"}, profileNames(creds, false)); d != "" {
		t.Errorf("credentials file profiles (-want +got):\n%s", d)
	}
}
