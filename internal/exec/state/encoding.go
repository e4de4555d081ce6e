package state

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/lakesync/lakesync/internal/plan"
)

// A record is stored under its source key as:
//
//	byte     encoding version (2)
//	uvarint  size
//	varint   copied-at, Unix nanoseconds (0: unknown)
//	etag     source ETag
//	string   version id
//	uvarint  how many bytes the destination key shares at its end with
//	         the source key, then a string: the destination key's other
//	         (leading) bytes
//	etag     destination ETag
//
// where a string is a uvarint length and the bytes, and an etag (see
// appendETag) is a quoted MD5 in 17 bytes, a multipart ETag in 18-19,
// "same as the source ETag" in 1, anything else as a string. About 40
// bytes for a typical record (BenchmarkRecordEncoding), against ~130 for
// version 1 (every string in full, still read: decodeRecordV1).
const recordEncoding = 2

func encodeRecord(r *plan.StateRecord) []byte {
	n := 1 + 3*binary.MaxVarintLen64 + 4*binary.MaxVarintLen32 +
		len(r.SourceETag) + len(r.VersionID) + len(r.DestKey) + len(r.DestETag)
	b := make([]byte, 0, n)
	b = append(b, recordEncoding)
	b = binary.AppendUvarint(b, uint64(max(r.Size, 0)))
	var at int64
	if !r.CopiedAt.IsZero() {
		at = r.CopiedAt.UnixNano()
	}
	b = binary.AppendVarint(b, at)
	b = appendETag(b, r.SourceETag, "")
	b = appendString(b, r.VersionID)
	shared := commonSuffix(r.SourceKey, r.DestKey)
	b = binary.AppendUvarint(b, uint64(shared))
	b = appendString(b, r.DestKey[:len(r.DestKey)-shared])
	return appendETag(b, r.DestETag, r.SourceETag)
}

var errShortRecord = errors.New("record is truncated")

// decodeRecord decodes a record of either encoding.
func decodeRecord(key string, b []byte) (plan.StateRecord, error) {
	if len(b) > 0 && b[0] == 1 {
		return decodeRecordV1(key, b)
	}
	r := plan.StateRecord{SourceKey: key}
	if len(b) == 0 || b[0] != recordEncoding {
		return r, fmt.Errorf("%w: record encoding %v unknown", ErrCorrupt, b[:min(len(b), 1)])
	}
	d := decoder{b: b[1:]}
	r.Size = int64(d.uvarint("size", 1<<62))
	if at := d.varint("copied-at"); at != 0 {
		r.CopiedAt = time.Unix(0, at).UTC()
	}
	r.SourceETag = d.etag("")
	r.VersionID = d.string()
	shared := d.uvarint("destination key", uint64(len(key)))
	r.DestKey = d.string() + key[len(key)-int(shared):]
	r.DestETag = d.etag(r.SourceETag)
	return r, d.end("record")
}

// decodeRecordV1 decodes a record of encoding 1:
//
//	byte     encoding version (1)
//	uvarint  size
//	varint   copied-at, Unix nanoseconds (0: unknown)
//	4 x      uvarint length + bytes: source ETag, version id,
//	         destination key, destination ETag
func decodeRecordV1(key string, b []byte) (plan.StateRecord, error) {
	r := plan.StateRecord{SourceKey: key}
	d := decoder{b: b[1:]}
	r.Size = int64(d.uvarint("size", 1<<62))
	if at := d.varint("copied-at"); at != 0 {
		r.CopiedAt = time.Unix(0, at).UTC()
	}
	r.SourceETag, r.VersionID, r.DestKey, r.DestETag = d.string(), d.string(), d.string(), d.string()
	return r, d.end("record")
}

// commonSuffix is how many bytes a and b share at their end.
func commonSuffix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[len(a)-1-n] == b[len(b)-1-n] {
		n++
	}
	return n
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// readStrings reads the length-prefixed strings that end an encoded
// value into dsts; b must hold exactly those. what names the value in the
// error.
func readStrings(b []byte, what string, dsts ...*string) error {
	d := decoder{b: b}
	for _, dst := range dsts {
		*dst = d.string()
	}
	return d.end(what)
}

// decoder reads an encoded value; its first error sticks, and end
// returns it.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s: %w", ErrCorrupt, what, errShortRecord)
	}
	d.b = nil
}

func (d *decoder) uvarint(what string, limit uint64) uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 || v > limit {
		d.fail(what)
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint(what string) int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail(what)
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) bytes(what string, l uint64) []byte {
	if l > uint64(len(d.b)) {
		d.fail(what)
		return nil
	}
	v := d.b[:l]
	d.b = d.b[l:]
	return v
}

func (d *decoder) string() string {
	l := d.uvarint("string", uint64(len(d.b)))
	return string(d.bytes("string", l))
}

func (d *decoder) end(what string) error {
	if d.err == nil && len(d.b) != 0 {
		d.err = fmt.Errorf("%w: %d bytes after the %s", ErrCorrupt, len(d.b), what)
	}
	return d.err
}
