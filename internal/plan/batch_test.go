package plan

import (
	"flag"
	"fmt"
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

// TestParseBatchReportRecordFields: a completion report line has at least
// Bucket, Key, VersionId and TaskStatus; ErrorCode, HTTPStatusCode and
// ResultMessage follow when S3 writes them, and each is read from its own
// column.
func TestParseBatchReportRecordFields(t *testing.T) {
	base := []string{"b", "exports/a%20b.csv", "v1", "failed"}
	tests := []struct {
		extra []string
		want  BatchTask
	}{
		{nil, BatchTask{Bucket: "b", Key: "exports/a b.csv", VersionID: "v1"}},
		{[]string{"AccessDenied"}, BatchTask{Bucket: "b", Key: "exports/a b.csv", VersionID: "v1", ErrorCode: "AccessDenied"}},
		{[]string{"AccessDenied", "403"}, BatchTask{Bucket: "b", Key: "exports/a b.csv", VersionID: "v1", ErrorCode: "AccessDenied", HTTPStatus: "403"}},
		{[]string{"AccessDenied", "403", "Access Denied"}, BatchTask{Bucket: "b", Key: "exports/a b.csv", VersionID: "v1", ErrorCode: "AccessDenied", HTTPStatus: "403", Message: "Access Denied"}},
	}
	for _, tt := range tests {
		got, err := ParseBatchReportRecord(append(append([]string{}, base...), tt.extra...))
		if err != nil {
			t.Errorf("%d fields: %v", len(base)+len(tt.extra), err)
			continue
		}
		if got != tt.want {
			t.Errorf("%d fields: got %+v, want %+v", len(base)+len(tt.extra), got, tt.want)
		}
	}
	for _, bad := range [][]string{nil, {"b", "k", ""}, {"b", "k%zz", "", "succeeded"}} {
		if got, err := ParseBatchReportRecord(bad); err == nil {
			t.Errorf("%q: parsed as %+v, want an error", bad, got)
		}
	}
}

func TestDecodeManifestKeyRefusesBadEscapes(t *testing.T) {
	for _, s := range []string{"a%", "a%2", "a%zz"} {
		if k, err := DecodeManifestKey(s); err == nil || !strings.Contains(err.Error(), "not URL-encoded") {
			t.Errorf("DecodeManifestKey(%q) = %q, %v; want an error", s, k, err)
		}
	}
}

func TestParseS3URL(t *testing.T) {
	tests := []struct {
		in, bucket, prefix, err string
	}{
		{"s3://konfir-prod-data/exports/", "konfir-prod-data", "exports/", ""},
		{"s3://konfir-prod-data/", "konfir-prod-data", "", ""},
		{"s3://konfir-prod-data", "konfir-prod-data", "", ""},
		{"s3://b/a/b/c", "b", "a/b/c", ""},
		{"s3:///exports/", "", "", "no bucket name"},
		{"https://b.s3.amazonaws.com/k", "", "", "want s3://BUCKET/PREFIX"},
		{"konfir-prod-data/exports/", "", "", "want s3://BUCKET/PREFIX"},
	}
	for _, tt := range tests {
		b, p, err := ParseS3URL(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseS3URL(%q): error %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || b != tt.bucket || p != tt.prefix {
			t.Errorf("ParseS3URL(%q) = %q, %q, %v; want %q, %q", tt.in, b, p, err, tt.bucket, tt.prefix)
		}
	}
}

// TestEncodeManifestKeyEveryByte: RFC 3986's unreserved characters (ALPHA
// DIGIT "-" "." "_" "~") and "/" are written as they are; every other
// byte, the neighbours of those ranges included, is %XX in upper-case hex.
func TestEncodeManifestKeyEveryByte(t *testing.T) {
	const unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/"
	for c := 0; c < 256; c++ {
		in := string([]byte{byte(c)})
		want := fmt.Sprintf("%%%02X", c)
		if strings.IndexByte(unreserved, byte(c)) >= 0 {
			want = in
		}
		if got := EncodeManifestKey(in); got != want {
			t.Errorf("EncodeManifestKey(%q) = %q, want %q", in, got, want)
		}
	}
}
