package copier

import (
	"net/url"
	"strings"
)

// CopySourceHeader is the x-amz-copy-source value for a key: the bucket
// and the key percent-encoded byte by byte, except unreserved characters
// and the '/' separators, so spaces, '+', '%', '?', '#' and non-ASCII keys
// reach the right object.
func CopySourceHeader(bucket, key, versionID string) string {
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
