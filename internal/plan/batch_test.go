package plan

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lakesync/lakesync/internal/config"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestManifestGolden writes keys that break naive CSV or URL handling and
// compares with testdata/batch_manifest.csv, written to AWS's documented
// S3BatchOperations_CSV_20180820 format: "bucket,key" per line, no header,
// the key URL-encoded.
func TestManifestGolden(t *testing.T) {
	keys := []string{
		"exports/day=00/part-0000.parquet",
		"exports/with space/a b.csv",
		"exports/comma,quote\"semi;.txt",
		"exports/plus+percent%25.bin",
		"exports/ünïcödé/日本.txt",
		"exports/line\nbreak",
		"exports/~tilde_-.ok",
	}
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(ManifestLine("konfir-prod-data", k))
	}
	golden := filepath.Join("testdata", "batch_manifest.csv")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if b.String() != string(want) {
		t.Errorf("manifest differs from %s (-update rewrites it):\ngot:\n%s\nwant:\n%s", golden, b.String(), want)
	}
	lines := strings.Split(strings.TrimSuffix(string(want), "\n"), "\n")
	if len(lines) != len(keys) {
		t.Fatalf("%d lines for %d keys", len(lines), len(keys))
	}
	for i, l := range lines {
		f := strings.Split(l, ",")
		if len(f) != 2 || f[0] != "konfir-prod-data" {
			t.Errorf("line %q: want exactly two fields, bucket and key", l)
			continue
		}
		if strings.ContainsAny(f[1], " +\"\n") {
			t.Errorf("line %q: key not fully encoded", l)
		}
		if k, err := DecodeManifestKey(f[1]); err != nil || k != keys[i] {
			t.Errorf("line %q decodes to %q, %v; want %q", l, k, err, keys[i])
		}
	}
}

func TestBatchTargetKeyPrefix(t *testing.T) {
	for _, c := range []struct {
		src, dst, want, err string
	}{
		{"", "", "", ""},
		{"exports/", "exports/", "", ""},
		{"", "prod/", "prod/", ""},
		{"exports/", "prod/", "", "cannot strip source_prefix"},
		{"exports/", "", "", "cannot strip source_prefix"},
	} {
		got, err := BatchTargetKeyPrefix(&config.Job{Name: "j", SourcePrefix: c.src, DestinationPrefix: c.dst})
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q -> %q: error %v, want %q", c.src, c.dst, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%q -> %q: %q, %v; want %q", c.src, c.dst, got, err, c.want)
		}
	}
}

func TestParseBatchReportRecord(t *testing.T) {
	// A line of AWS's documented report example, with an encoded key.
	got, err := ParseBatchReportRecord([]string{"awsexamplebucket1", "exports/a%20b.csv", "", "failed", "400", "PermanentFailure", "Lambda returned function error"})
	if err != nil || got.Key != "exports/a b.csv" || got.Succeeded || got.ErrorCode != "400" || got.HTTPStatus != "PermanentFailure" {
		t.Errorf("got %+v, %v", got, err)
	}
	got, err = ParseBatchReportRecord([]string{"b", "k%2Bplus", "", "succeeded", "200", "", "Successful"})
	if err != nil || got.Key != "k+plus" || !got.Succeeded {
		t.Errorf("got %+v, %v", got, err)
	}
	if _, err := ParseBatchReportRecord([]string{"b", "k"}); err == nil {
		t.Error("a short line must be refused")
	}
}
