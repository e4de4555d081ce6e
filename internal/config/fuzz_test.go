package config

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode feeds arbitrary bytes to the decoder, seeded with every
// fixture and example. It must never panic, and a file it accepts must
// decode to a config whose references are all resolved.
func FuzzDecode(f *testing.F) {
	for _, pattern := range []string{"testdata/*/*.hcl", "../../examples/*/*.hcl"} {
		files, _ := filepath.Glob(pattern)
		for _, path := range files {
			src, err := os.ReadFile(path)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(src)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		l := NewLoader(os.ReadFile, os.LookupEnv)
		l.LookupEnv = noEnv
		cfg, diags := l.Parse(src, "fuzz.hcl")
		if diags.HasErrors() {
			if cfg != nil {
				t.Fatal("config returned with errors")
			}
			return
		}
		for _, j := range cfg.Jobs {
			if j.Source == nil || j.Destination == nil || j.Source.Account == nil || j.Destination.Key == nil {
				t.Fatalf("job %q accepted with an unresolved reference", j.Name)
			}
			// Without a role a server-side job copies with one account's
			// credentials, which can only reach both buckets in one account.
			if j.Role == nil && j.Transfer != TransferStream && j.Source.Account.ID != j.Destination.Account.ID {
				t.Fatalf("server-side job %q across accounts accepted without a role", j.Name)
			}
		}
	})
}
