package state

import (
	"encoding/binary"
	"encoding/hex"
	"strconv"
	"strings"
)

// How an ETag is encoded in a record: a kind byte, then
//
//	etagString     a string (any ETag)
//	etagMD5        16 bytes: "<32 lowercase hex digits>"
//	etagMultipart  16 bytes, uvarint parts: "<32 lowercase hex>-<parts>"
//	etagSame       nothing: the ETag given as same (the source ETag)
//
// S3's ETags are almost always one of the first two shapes, which take
// 17-19 bytes instead of 35-40; a destination ETag equal to its source
// ETag (a copy that kept it) takes one.
const (
	etagString byte = iota
	etagMD5
	etagMultipart
	etagSame
)

func appendETag(b []byte, etag, same string) []byte {
	if etag == same && etag != "" {
		return append(b, etagSame)
	}
	if sum, parts, ok := parseETag(etag); ok {
		if parts == 0 {
			return append(append(b, etagMD5), sum[:]...)
		}
		b = append(append(b, etagMultipart), sum[:]...)
		return binary.AppendUvarint(b, parts)
	}
	return appendString(append(b, etagString), etag)
}

// parseETag splits an ETag of one of the compact shapes; ok is false
// for any other, or one that would not be written back byte for byte.
func parseETag(etag string) (sum [16]byte, parts uint64, ok bool) {
	if len(etag) < 34 || etag[0] != '"' || etag[len(etag)-1] != '"' {
		return sum, 0, false
	}
	inner := etag[1 : len(etag)-1]
	hexSum, rest := inner[:32], inner[32:]
	if hexSum != strings.ToLower(hexSum) {
		return sum, 0, false
	}
	if _, err := hex.Decode(sum[:], []byte(hexSum)); err != nil {
		return sum, 0, false
	}
	if rest == "" {
		return sum, 0, true
	}
	digits, found := strings.CutPrefix(rest, "-")
	parts, err := strconv.ParseUint(digits, 10, 64)
	if !found || err != nil || parts == 0 || parts > 1<<32 || strconv.FormatUint(parts, 10) != digits {
		return sum, 0, false
	}
	return sum, parts, true
}

func (d *decoder) etag(same string) string {
	kind := d.bytes("etag", 1)
	if kind == nil {
		return ""
	}
	switch kind[0] {
	case etagString:
		return d.string()
	case etagMD5, etagMultipart:
		sum := d.bytes("etag", 16)
		if sum == nil {
			return ""
		}
		s := `"` + hex.EncodeToString(sum)
		if kind[0] == etagMultipart {
			s += "-" + strconv.FormatUint(d.uvarint("etag parts", 1<<32), 10)
		}
		return s + `"`
	case etagSame:
		return same
	}
	d.fail("etag kind")
	return ""
}
