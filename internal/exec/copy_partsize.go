package exec

import (
	"fmt"
	"net/url"
	"strings"
)

// S3 multipart limits.
const (
	MinPartSize   = 5 << 20 // every part but the last
	MaxPartSize   = 5 << 30 // one part, and one CopyObject
	MaxParts      = 10_000  // parts of one upload
	MaxObjectSize = 5 << 40 // one object
	partAlignment = 1 << 20 // chosen part sizes are whole MiB
)

// PartSize returns the part size for a multipart copy of an object of
// objectSize bytes: the configured size (config.DefaultPartSize when 0)
// brought within 5 MiB..5 GiB, and raised, in whole MiB, when the object
// would need more than 10,000 parts. Objects over 5 TiB are refused.
func PartSize(objectSize, configured int64) (int64, error) {
	if objectSize < 0 {
		return 0, fmt.Errorf("object size %d is negative", objectSize)
	}
	if objectSize > MaxObjectSize {
		return 0, fmt.Errorf("object size %d bytes is over the S3 limit of 5 TiB", objectSize)
	}
	p := configured
	if p <= 0 {
		p = 64 << 20
	}
	p = min(max(p, MinPartSize), MaxPartSize)
	if need := (objectSize + MaxParts - 1) / MaxParts; need > p {
		p = (need + partAlignment - 1) / partAlignment * partAlignment
	}
	return p, nil
}

// partCount is the number of parts of size p in an object of size n (at
// least one: an empty object is one empty part).
func partCount(n, p int64) int32 {
	if n == 0 {
		return 1
	}
	return int32((n + p - 1) / p)
}

// copySourceHeader is the x-amz-copy-source value for a key: the bucket
// and the key percent-encoded byte by byte, except unreserved characters
// and the '/' separators, so spaces, '+', '%', '?', '#' and non-ASCII keys
// reach the right object.
func copySourceHeader(bucket, key, versionID string) string {
	var b strings.Builder
	b.Grow(len(bucket) + 1 + len(key))
	b.WriteString(url.PathEscape(bucket))
	b.WriteByte('/')
	for i := 0; i < len(key); i++ {
		c := key[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~' || c == '/' {
			b.WriteByte(c)
			continue
		}
		const hex = "0123456789ABCDEF"
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&0xF])
	}
	if versionID != "" {
		b.WriteString("?versionId=")
		b.WriteString(url.QueryEscape(versionID))
	}
	return b.String()
}
