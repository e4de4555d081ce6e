package inventory

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/md5"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// fakeBucket is an in-memory bucket answering ListObjectsV2 (prefix,
// delimiter, pages of pageSize) and GetObject; gets records the keys read.
type fakeBucket struct {
	objects  map[string][]byte
	pageSize int
	gets     []string
}

func (b *fakeBucket) ListObjectsV2(_ context.Context, in *s3.ListObjectsV2Input, _ ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	prefix, delim := aws.ToString(in.Prefix), aws.ToString(in.Delimiter)
	var entries []string // keys, and common prefixes ending with delim
	seen := map[string]bool{}
	for _, k := range slices.Sorted(maps.Keys(b.objects)) {
		if !strings.HasPrefix(k, prefix) {
			continue
		}
		if i := strings.Index(k[len(prefix):], delim); delim != "" && i >= 0 {
			k = k[:len(prefix)+i+len(delim)]
			if seen[k] {
				continue
			}
			seen[k] = true
		}
		entries = append(entries, k)
	}
	start := 0
	if t := aws.ToString(in.ContinuationToken); t != "" {
		fmt.Sscan(t, &start)
	}
	size := b.pageSize
	if size == 0 {
		size = 1000
	}
	end := min(len(entries), start+size)
	out := &s3.ListObjectsV2Output{IsTruncated: aws.Bool(end < len(entries))}
	if end < len(entries) {
		out.NextContinuationToken = aws.String(fmt.Sprint(end))
	}
	for _, e := range entries[start:end] {
		if delim != "" && strings.HasSuffix(e, delim) && b.objects[e] == nil {
			out.CommonPrefixes = append(out.CommonPrefixes, s3types.CommonPrefix{Prefix: aws.String(e)})
		} else {
			out.Contents = append(out.Contents, s3types.Object{Key: aws.String(e), Size: aws.Int64(int64(len(b.objects[e])))})
		}
	}
	return out, nil
}

func (b *fakeBucket) GetObject(_ context.Context, in *s3.GetObjectInput, _ ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	k := aws.ToString(in.Key)
	b.gets = append(b.gets, k)
	body, ok := b.objects[k]
	if !ok {
		return nil, &s3types.NoSuchKey{Message: aws.String("The specified key does not exist.")}
	}
	return &s3.GetObjectOutput{Body: io.NopCloser(bytes.NewReader(body))}, nil
}

// row is one inventory row: column name -> value (keys unencoded).
type row map[string]string

// obj is a current object's row of the full default schema.
func obj(key string, size int, etag, class, modified string) row {
	return row{"Bucket": "src", "Key": key, "VersionId": "", "IsLatest": "true", "IsDeleteMarker": "false",
		"Size": fmt.Sprint(size), "LastModifiedDate": modified, "ETag": etag, "StorageClass": class}
}

// fullSchema is the columns of a versioned inventory, in AWS's order.
const fullSchema = "Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size, LastModifiedDate, ETag, StorageClass, IsMultipartUploaded"

// encodeKey encodes a key as CSV inventories do (form encoding: a space
// is '+', a '+' is %2B).
func encodeKey(k string) string { return url.QueryEscape(k) }

// csvGz is the gzipped CSV data file of rows under schema, every field
// quoted as S3 writes them.
func csvGz(t *testing.T, schema string, rows []row) []byte {
	t.Helper()
	var plain bytes.Buffer
	for _, r := range rows {
		var fields []string
		for _, c := range strings.Split(schema, ",") {
			v := r[strings.TrimSpace(c)]
			if strings.TrimSpace(c) == "Key" {
				v = encodeKey(v)
			}
			fields = append(fields, `"`+strings.ReplaceAll(v, `"`, `""`)+`"`)
		}
		plain.WriteString(strings.Join(fields, ",") + "\n")
	}
	// Prove the test's quoting is CSV as encoding/csv reads it.
	if _, err := csv.NewReader(bytes.NewReader(plain.Bytes())).ReadAll(); err != nil {
		t.Fatalf("test CSV: %v", err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(plain.Bytes())
	zw.Close()
	return gz.Bytes()
}

func md5hex(b []byte) string { s := md5.Sum(b); return hex.EncodeToString(s[:]) }

// report writes one report in AWS's layout into objects: data files
// under PREFIX/SRC/CONFIG/data/, manifest.json and manifest.checksum under
// PREFIX/SRC/CONFIG/FOLDER/. It returns the manifest's key.
func report(t *testing.T, objects map[string][]byte, base, folder, schema string, created int64, files ...[]row) string {
	t.Helper()
	var entries []string
	for i, rows := range files {
		key := fmt.Sprintf("%sdata/%s-%d.csv.gz", base, folder, i)
		objects[key] = csvGz(t, schema, rows)
		entries = append(entries, fmt.Sprintf(`{"key": %q, "size": %d, "MD5checksum": %q}`, key, len(objects[key]), md5hex(objects[key])))
	}
	manifest := fmt.Sprintf(`{
  "sourceBucket": "src",
  "destinationBucket": "arn:aws:s3:::inv",
  "version": "2016-11-30",
  "creationTimestamp": "%d",
  "fileFormat": "CSV",
  "fileSchema": %q,
  "files": [%s]
}`, created, schema, strings.Join(entries, ",\n    "))
	objects[base+folder+"/manifest.json"] = []byte(manifest)
	objects[base+folder+"/manifest.checksum"] = []byte(md5hex([]byte(manifest)) + "\n")
	return base + folder + "/manifest.json"
}

func newGzip(w io.Writer) *gzip.Writer { return gzip.NewWriter(w) }

func gzipped(s string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	zw.Close()
	return b.Bytes()
}

func filepathGlob(dir string) ([]string, error) { return filepath.Glob(filepath.Join(dir, "*")) }
