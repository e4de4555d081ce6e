package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakesync/lakesync/internal/testenv/moto"
)

// badKeys are object keys (below the source prefix) that break naive
// tools, with their bodies.
func badKeys() map[string][]byte {
	keys := map[string][]byte{
		"with space/a b.txt":                      nil,
		"plus+sign.txt":                           nil,
		"percent%.txt":                            nil,
		"percent%25already-encoded.txt":           nil,
		"question?mark.txt":                       nil,
		"hash#tag.txt":                            nil,
		"encoded%2Fslash.txt":                     nil,
		"caf\u00e9-nfc.txt":                       nil, // é precomposed
		"cafe\u0301-nfc.txt":                      nil, // e + combining acute: another key
		"caf\u00e9":                               nil,
		"cafe\u0301":                              nil,
		"amp&equals=semi;colon,at@$!.txt":         nil,
		"quote\"apostrophe'(paren)*.txt":          nil,
		"brackets[x]{y}^caret|pipe~`.txt":         nil,
		"back\\slash.txt":                         nil,
		"double//slash.txt":                       nil,
		"日本語/データ.csv":                             nil,
		"emoji-\U0001F600.txt":                    nil,
		"ends-with-slash-and-data/":               []byte("a key ending in / with content"),
		"folder-marker/":                          {}, // zero-byte "folder"
		"folder-marker/inside.txt":                nil,
		"zero-bytes.txt":                          {},
		"x/y/z/deep/nested/key.parquet":           nil,
		strings.Repeat("k", 1024-len("exports/")): nil, // 1,024 bytes with the prefix
	}
	for k, v := range keys {
		if v == nil {
			keys[k] = fmt.Appendf(nil, "body of %q\n", k)
		}
	}
	return keys
}

// Every awkward key is copied to exactly the same key below the
// destination prefix with identical bytes, with prefixes and without; a
// second apply copies nothing (the state recorded each key exactly, NFC
// and NFD apart).
func TestBadKeyNamesCopiedExactly(t *testing.T) {
	tests := []struct{ srcPrefix, dstPrefix string }{
		{"exports/", "prod/"},
		{"", ""},         // empty prefixes: whole bucket to whole bucket
		{"exports/", ""}, // strip the prefix
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q to %q", tt.srcPrefix, tt.dstPrefix), func(t *testing.T) {
			d, cfg := demoWorld(t, 0)
			src, err := os.ReadFile(cfg)
			if err != nil {
				t.Fatal(err)
			}
			text := string(src)
			for old, repl := range map[string]string{
				`  include            = ["**/*.parquet"]` + "\n": "",
				`source_prefix      = "exports/"`:                fmt.Sprintf("source_prefix      = %q", tt.srcPrefix),
				`destination_prefix = "prod/"`:                   fmt.Sprintf("destination_prefix = %q", tt.dstPrefix),
			} {
				if !strings.Contains(text, old) {
					t.Fatalf("test setup: %q not in the demo config", old)
				}
				text = strings.Replace(text, old, repl, 1)
			}
			if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}

			ctx := t.Context()
			want := map[string][]byte{} // destination key -> body
			for rel, body := range badKeys() {
				if err := d.Prod.PutObject(ctx, moto.DemoSource, "exports/"+rel, body); err != nil {
					t.Fatalf("put %q: %v", rel, err)
				}
				key := "exports/" + rel
				if r, ok := strings.CutPrefix(key, tt.srcPrefix); ok {
					want[tt.dstPrefix+r] = body
				}
			}
			if tt.srcPrefix != "" {
				// A folder marker equal to the source prefix maps to the
				// destination prefix itself: by design not copied.
				if err := d.Prod.PutObject(ctx, moto.DemoSource, tt.srcPrefix, nil); err != nil {
					t.Fatal(err)
				}
			}

			code, out, errs := runCLI(t, "", "apply", "-c", cfg, "--auto-approve", "--json")
			if code != 0 {
				t.Fatalf("apply: exit %d\n%s%s", code, out, errs)
			}
			if s := summary(t, out); s.Copied != len(want) || s.Failed != 0 {
				t.Errorf("apply copied %d and failed %d, want %d copied\n%s", s.Copied, s.Failed, len(want), out)
			}

			got := listAll(t, d.Lake.S3(), moto.DemoDest)
			for key, body := range want {
				if _, ok := got[key]; !ok {
					t.Errorf("missing at the destination: %q", key)
					continue
				}
				obj, err := d.Lake.S3().GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(moto.DemoDest), Key: aws.String(key)})
				if err != nil {
					t.Errorf("get %q: %v", key, err)
					continue
				}
				b, err := io.ReadAll(obj.Body)
				obj.Body.Close()
				if err != nil || !bytes.Equal(b, body) {
					t.Errorf("%q: %d bytes (%v), want the source's %d bytes", key, len(b), err, len(body))
				}
			}
			for key := range got {
				if _, ok := want[key]; !ok {
					t.Errorf("unexpected destination key %q", key)
				}
			}

			code, out, errs = runCLI(t, "", "apply", "-c", cfg, "--auto-approve", "--json")
			if code != 0 {
				t.Fatalf("second apply: exit %d\n%s%s", code, out, errs)
			}
			if s := summary(t, out); s.Copied != 0 || s.Skipped != len(want) {
				t.Errorf("second apply copied %d and skipped %d, want 0 and %d\n%s", s.Copied, s.Skipped, len(want), out)
			}
			t.Logf("%d awkward keys copied exactly", len(want))
		})
	}
}

type copySummary struct {
	Copied, Skipped, Failed int
}

// summary finds the summary event of apply --json.
func summary(t *testing.T, out string) copySummary {
	t.Helper()
	for line := range strings.Lines(out) {
		var ev struct {
			Type string `json:"type"`
			copySummary
		}
		if json.Unmarshal([]byte(line), &ev) == nil && ev.Type == "summary" {
			return ev.copySummary
		}
	}
	t.Fatalf("no summary event in\n%s", out)
	return copySummary{}
}

// listAll lists every key of a bucket with its size.
func listAll(t *testing.T, c *s3.Client, bucket string) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	for p.HasMorePages() {
		page, err := p.NextPage(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range page.Contents {
			out[aws.ToString(o.Key)] = aws.ToInt64(o.Size)
		}
	}
	return out
}
