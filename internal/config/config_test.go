package config

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hashicorp/hcl/v2"
)

var errorMarker = regexp.MustCompile(`# ERROR: ([^#]+)`)

// expectedErrors reads the "# ERROR: <summary>" markers of a fixture as
// "LINE: summary" strings. A line with two errors has two markers.
func expectedErrors(t *testing.T, src []byte) []string {
	t.Helper()
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(src))
	for line := 1; sc.Scan(); line++ {
		for _, m := range errorMarker.FindAllStringSubmatch(sc.Text(), -1) {
			out = append(out, fmt.Sprintf("%d: %s", line, strings.TrimSpace(m[1])))
		}
	}
	sort.Strings(out)
	return out
}

func gotErrors(diags hcl.Diagnostics) []string {
	var out []string
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		line := 0
		if d.Subject != nil {
			line = d.Subject.Start.Line
		}
		out = append(out, fmt.Sprintf("%d: %s", line, d.Summary))
	}
	sort.Strings(out)
	return out
}

func fixtures(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", dir, "*.hcl"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures in testdata/%s: %v", dir, err)
	}
	return files
}

func TestInvalidFixtures(t *testing.T) {
	for _, path := range fixtures(t, "invalid") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			want := expectedErrors(t, src)
			if len(want) == 0 {
				t.Fatalf("%s has no # ERROR: markers", path)
			}
			l := NewLoader(os.ReadFile, os.LookupEnv)
			l.LookupEnv = noEnv
			cfg, diags := l.Parse(src, path)
			if cfg != nil {
				t.Errorf("Parse returned a config for an invalid file")
			}
			if diff := cmp.Diff(want, gotErrors(diags)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s\nall diagnostics:\n%s", diff, diags.Error())
			}
		})
	}
}

func TestValidFixtures(t *testing.T) {
	for _, path := range fixtures(t, "valid") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			l := NewLoader(os.ReadFile, os.LookupEnv)
			l.LookupEnv = noEnv
			cfg, diags := l.LoadFile(path)
			if diags.HasErrors() || cfg == nil {
				t.Fatalf("unexpected diagnostics:\n%s", diags.Error())
			}
		})
	}
}

// TestExamples proves every configuration shipped in examples/ is valid.
func TestExamples(t *testing.T) {
	var files []string
	err := filepath.WalkDir("../../examples", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".hcl") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 4 {
		t.Fatalf("want at least 4 examples, found %d: %v", len(files), files)
	}
	for _, path := range files {
		t.Run(path, func(t *testing.T) {
			l := NewLoader(os.ReadFile, os.LookupEnv)
			l.LookupEnv = noEnv
			if _, diags := l.LoadFile(path); diags.HasErrors() {
				t.Fatalf("example does not validate:\n%s", diags.Error())
			}
		})
	}
}

func noEnv(string) (string, bool) { return "", false }

func load(t *testing.T, path string, vars map[string]string, env map[string]string) *Config {
	t.Helper()
	l := NewLoader(os.ReadFile, os.LookupEnv)
	l.Vars = vars
	l.LookupEnv = func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	cfg, diags := l.LoadFile(path)
	if diags.HasErrors() {
		t.Fatalf("diagnostics:\n%s", diags.Error())
	}
	return cfg
}

func TestDecodePush(t *testing.T) {
	cfg := load(t, "testdata/valid/push.hcl", nil, nil)
	j := cfg.Job("prod_to_lake")
	if j == nil {
		t.Fatal("job prod_to_lake missing")
	}
	got := map[string]any{
		"source":      j.Source.BucketName,
		"source acct": j.Source.Account.ID,
		"dest":        j.Destination.BucketName,
		"dest key":    j.Destination.Key.ARN,
		"role":        j.Role.ARN(),
		"mode":        string(j.Mode),
		"prefixes":    j.SourcePrefix + " -> " + j.DestinationPrefix,
		"include":     j.Include,
		"exclude":     j.Exclude,
		"delete":      j.Delete,
		"transfer":    string(j.Transfer),
		"concurrency": j.Concurrency,
		"threshold":   j.MultipartThreshold,
		"part":        j.PartSize,
		"class":       j.StorageClass,
		"state":       cfg.State.Path,
		"admin role":  cfg.Accounts[1].RoleARN,
		"external":    cfg.Accounts[1].ExternalID,
		"profile":     cfg.Accounts[0].Profile,
		"id":          j.ID(),
	}
	want := map[string]any{
		"source":      "konfir-prod-data",
		"source acct": "111111111111",
		"dest":        "konfir-datalake-raw",
		"dest key":    "arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		"role":        "arn:aws:iam::111111111111:role/lakesync-copier",
		"mode":        "sync",
		"prefixes":    "exports/ -> prod/",
		"include":     []string{"**/*.parquet"},
		"exclude":     []string{"tmp/**"},
		"delete":      true,
		"transfer":    "server-side",
		"concurrency": 128,
		"threshold":   int64(1 << 30),
		"part":        int64(128 << 20),
		"class":       "INTELLIGENT_TIERING",
		"state":       ".lakesync/prod.state",
		"admin role":  "arn:aws:iam::222222222222:role/lakesync-admin",
		"external":    "lakesync",
		"profile":     "prod",
		"id":          "ProdToLake",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decoded job (-want +got):\n%s", diff)
	}
	if line := j.DeclRange.Start.Line; line != 35 {
		t.Errorf("job range starts on line %d, want 35", line)
	}
}

func TestVariables(t *testing.T) {
	tests := []struct {
		name   string
		vars   map[string]string
		env    map[string]string
		bucket string
		conc   int
	}{
		{"defaults", nil, nil, "konfir-staging-data", 32},
		{"environment", nil, map[string]string{"LAKESYNC_VAR_env": "prod", "LAKESYNC_VAR_concurrency": "8"}, "konfir-prod-data", 8},
		{"flag beats environment", map[string]string{"env": "dev"}, map[string]string{"LAKESYNC_VAR_env": "prod"}, "konfir-dev-data", 32},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := load(t, "testdata/valid/variables.hcl", tt.vars, tt.env)
			if got := cfg.Buckets[0].BucketName; got != tt.bucket {
				t.Errorf("bucket name = %q, want %q", got, tt.bucket)
			}
			if got := cfg.Job("events").Concurrency; got != tt.conc {
				t.Errorf("concurrency = %d, want %d", got, tt.conc)
			}
			if got := cfg.Job("users").Role; got != nil {
				t.Errorf("stream job has role %v, want none", got)
			}
		})
	}
}

func TestUndeclaredVarFlag(t *testing.T) {
	l := NewLoader(os.ReadFile, os.LookupEnv)
	l.LookupEnv = noEnv
	l.Vars = map[string]string{"evn": "prod"}
	_, diags := l.LoadFile("testdata/valid/variables.hcl")
	if !diags.HasErrors() || !strings.Contains(diags.Error(), `Did you mean "env"?`) {
		t.Fatalf("want an undeclared-variable error suggesting env, got: %v", diags)
	}
}

func TestJobID(t *testing.T) {
	for in, want := range map[string]string{
		"prod_to_lake": "ProdToLake",
		"prod-to-lake": "ProdToLake",
		"ProdToLake":   "ProdToLake",
		"a1_b2":        "A1B2",
		"événements":   "VNements",
		"__":           "",
		"v2beta":       "V2beta", // a digit does not start a part
		// The ends of each ASCII range and the runes just outside them.
		"a`z{A@Z[0/9:": "AZAZ09",
	} {
		if got := JobID(in); got != want {
			t.Errorf("JobID(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{
		"8MiB": 8 << 20, "5 GiB": 5 << 30, "100MB": 100e6, "1048576": 1 << 20, "1.5KiB": 1536, "2tib": 2 << 40,
	} {
		got, err := ParseSize(in)
		if err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "MiB", "8 MiBs", "-1MiB", "0.3B", "1e3", "99999999TiB"} {
		if got, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) = %d, want an error", in, got)
		}
	}
	for _, n := range []int64{1, 1023, 1 << 10, 5 << 20, 5 << 30, 3 << 40} {
		back, err := ParseSize(FormatSize(n))
		if err != nil || back != n {
			t.Errorf("round trip of %d via %q = %d, %v", n, FormatSize(n), back, err)
		}
	}
}

func TestDecodeArchived(t *testing.T) {
	cfg := load(t, "testdata/valid/archived.hcl", nil, nil)
	type got struct {
		Archived Archived
		Tier     string
		Days     int
	}
	want := map[string]got{
		"skip":             {ArchivedSkip, "Bulk", 3},
		"restore_defaults": {ArchivedRestore, "Bulk", 3},
		"restore_fast":     {ArchivedRestore, "Expedited", 1},
		"fail":             {ArchivedFail, "Bulk", 3},
	}
	for name, w := range want {
		j := cfg.Job(name)
		if diff := cmp.Diff(w, got{j.Archived, j.RestoreTier, j.RestoreDays}); diff != "" {
			t.Errorf("job %s (-want +got):\n%s", name, diff)
		}
	}
}

func TestDecodeInventory(t *testing.T) {
	cfg := load(t, "testdata/valid/inventory.hcl", nil, nil)
	want := map[string]*InventoryLocation{
		"prefix":      {Bucket: "konfir-inventory", Prefix: "reports/"},
		"bucket_only": {Bucket: "konfir-inventory", Prefix: ""},
		"config_id":   {Bucket: "konfir-prod", Prefix: "inventory/konfir-prod/daily/"},
		"none":        nil,
	}
	for name, w := range want {
		got := cfg.Job(name).SourceInventory
		if diff := cmp.Diff(w, got, cmpopts.IgnoreFields(InventoryLocation{}, "Range")); diff != "" {
			t.Errorf("job %s: SourceInventory (-want +got):\n%s", name, diff)
		}
		if got != nil && got.Range.Start.Line != cfg.Job(name).DeclRange.Start.Line+6 {
			t.Errorf("job %s: SourceInventory.Range = %s, want the line of source_inventory", name, got.Range)
		}
	}
	if got, want := cfg.Job("prefix").SourceInventory.String(), "s3://konfir-inventory/reports/"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestDecodeVersions(t *testing.T) {
	cfg := load(t, "testdata/valid/versions.hcl", nil, nil)
	type got struct {
		AsOf time.Time
		Lock ObjectLock
	}
	want := map[string]got{
		"current":  {time.Time{}, ObjectLockBucketDefault},
		"snapshot": {time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), ObjectLockCopy},
	}
	for name, w := range want {
		j := cfg.Job(name)
		if diff := cmp.Diff(w, got{j.SourceAsOf, j.ObjectLock}); diff != "" {
			t.Errorf("job %s (-want +got):\n%s", name, diff)
		}
	}
}
