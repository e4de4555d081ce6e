package moto

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Env is a set of environment variables; an empty value means "unset it"
// (the SDK treats empty variables as absent).
type Env map[string]string

// Setenv applies the variables for the duration of the test (t.Setenv:
// not usable with t.Parallel).
func (e Env) Setenv(t testing.TB) {
	t.Helper()
	for k, v := range e {
		t.Setenv(k, v)
	}
}

// ambient lists the variables that would let the developer's own AWS
// setup leak into a test.
var ambient = []string{
	"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
	"AWS_SECURITY_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
	"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL",
	"AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME", "AWS_WEB_IDENTITY_TOKEN_FILE",
	"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
	"AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
}

// WriteSharedConfig writes dir/config and dir/credentials with one profile
// per account (named Account.Profile) holding its region, endpoint_url and
// keys, and returns the environment that makes the SDK read exactly those
// files: AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, IMDS disabled and
// every ambient credential variable cleared. Path-style addressing is not
// a shared-config setting: set s3_force_path_style in the lakesync config.
func (s *Server) WriteSharedConfig(dir string, accounts ...*Account) (Env, error) {
	var conf, creds strings.Builder
	seen := map[string]bool{}
	for _, a := range accounts {
		if a.Profile == "" || strings.ContainsAny(a.Profile, "[]\n ") {
			return nil, fmt.Errorf("moto: account %s: invalid profile name %q", a.ID, a.Profile)
		}
		if seen[a.Profile] {
			return nil, fmt.Errorf("moto: profile %q given twice", a.Profile)
		}
		seen[a.Profile] = true
		fmt.Fprintf(&conf, "[profile %s]\nregion = %s\nendpoint_url = %s\n\n", a.Profile, a.Region, s.URL)
		fmt.Fprintf(&creds, "[%s]\naws_access_key_id = %s\naws_secret_access_key = %s\n\n", a.Profile, a.AccessKeyID, a.SecretAccessKey)
	}
	confPath := filepath.Join(dir, "config")
	credPath := filepath.Join(dir, "credentials")
	if err := os.WriteFile(confPath, []byte(conf.String()), 0o600); err != nil {
		return nil, fmt.Errorf("moto: write shared config: %w", err)
	}
	if err := os.WriteFile(credPath, []byte(creds.String()), 0o600); err != nil {
		return nil, fmt.Errorf("moto: write shared credentials: %w", err)
	}
	env := Env{
		"AWS_CONFIG_FILE":             confPath,
		"AWS_SHARED_CREDENTIALS_FILE": credPath,
		"AWS_EC2_METADATA_DISABLED":   "true",
	}
	for _, k := range ambient {
		env[k] = ""
	}
	return env, nil
}
