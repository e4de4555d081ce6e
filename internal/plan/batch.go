package plan

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/lakesync/lakesync/internal/config"
)

// S3 Batch Operations: a job's copy list as a CSV manifest
// (S3BatchOperations_CSV_20180820 with the fields Bucket, Key: one
// "bucket,key" line per object, the key URL-encoded) for an S3PutObjectCopy
// job, and the lines of its completion report (Report_CSV_20180820:
// Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode,
// ResultMessage).

// BatchTargetKeyPrefix is the TargetKeyPrefix of the job's S3PutObjectCopy
// operation, or an error when Batch Operations cannot write the job's
// destination keys. S3PutObjectCopy writes each object to TargetKeyPrefix +
// its source key: it can add a prefix but never strip one, so a job whose
// source_prefix is not empty can run on Batch only when destination_prefix
// is the same (an empty TargetKeyPrefix).
func BatchTargetKeyPrefix(job *config.Job) (string, error) {
	switch {
	case job.SourcePrefix == job.DestinationPrefix:
		return "", nil
	case job.SourcePrefix == "":
		return job.DestinationPrefix, nil
	}
	return "", fmt.Errorf("job %q cannot run on S3 Batch Operations: it copies %q to %q, but S3PutObjectCopy writes every object to the target prefix + its full source key and cannot strip source_prefix (the copy of %s would be %s, not %s); "+
		"make destination_prefix equal to source_prefix, or leave source_prefix empty, or copy with lakesync's own engine",
		job.Name, job.SourcePrefix, job.DestinationPrefix,
		job.SourcePrefix+"x", job.DestinationPrefix+job.SourcePrefix+"x", job.DestinationPrefix+"x")
}

// ManifestLine is the manifest line of one source object, newline included.
func ManifestLine(bucket, key string) string {
	return bucket + "," + EncodeManifestKey(key) + "\n"
}

// EncodeManifestKey URL-encodes a key for a Batch Operations CSV manifest:
// every byte but the unreserved characters (A-Z a-z 0-9 - . _ ~) and "/" is
// written as %XX, so commas, quotes, line breaks, "+", "%" and non-ASCII
// bytes can never break a line or be decoded into another key.
func EncodeManifestKey(key string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(key))
	for i := 0; i < len(key); i++ {
		c := key[i]
		if unreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// unreserved reports whether a manifest key byte is written as it is: an
// RFC 3986 unreserved character (A-Z a-z 0-9 - . _ ~) or "/".
func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~' || c == '/'
}

// DecodeManifestKey decodes a key of a manifest or of a completion report.
// A "+" stays a "+": EncodeManifestKey never writes one for a space.
func DecodeManifestKey(s string) (string, error) {
	k, err := url.PathUnescape(s)
	if err != nil {
		return "", fmt.Errorf("key %q is not URL-encoded: %w", s, err)
	}
	return k, nil
}

// BatchTask is one line of a completion report.
type BatchTask struct {
	Bucket     string
	Key        string // decoded source key
	VersionID  string
	Succeeded  bool // TaskStatus "succeeded"
	ErrorCode  string
	HTTPStatus string
	Message    string
}

// ParseBatchReportRecord reads one CSV record of a completion report.
func ParseBatchReportRecord(rec []string) (BatchTask, error) {
	if len(rec) < 4 {
		return BatchTask{}, fmt.Errorf("completion report line has %d fields, want at least 4 (Bucket, Key, VersionId, TaskStatus, ...)", len(rec))
	}
	key, err := DecodeManifestKey(rec[1])
	if err != nil {
		return BatchTask{}, err
	}
	t := BatchTask{Bucket: rec[0], Key: key, VersionID: rec[2], Succeeded: rec[3] == "succeeded"}
	if len(rec) > 4 {
		t.ErrorCode = rec[4]
	}
	if len(rec) > 5 {
		t.HTTPStatus = rec[5]
	}
	if len(rec) > 6 {
		t.Message = rec[6]
	}
	return t, nil
}

// ParseS3URL splits "s3://bucket/prefix" into bucket and prefix.
func ParseS3URL(s string) (bucket, prefix string, err error) {
	rest, ok := strings.CutPrefix(s, "s3://")
	if !ok {
		return "", "", fmt.Errorf("%q: want s3://BUCKET/PREFIX", s)
	}
	bucket, prefix, _ = strings.Cut(rest, "/")
	if bucket == "" {
		return "", "", fmt.Errorf("%q: no bucket name", s)
	}
	return bucket, prefix, nil
}
