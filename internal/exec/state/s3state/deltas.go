package s3state

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/lakesync/lakesync/internal/exec/state"
)

// A remote state is a base and deltas (see doc.go):
//
//   - KEY, the base: the whole bbolt file as of its last full upload
//     (the one object a state of lakesync before deltas had);
//   - KEY.delta.RUN.N, a delta: what changed in the state in one
//     checkpoint of run RUN (its lock id), N counting from 1;
//   - KEY.deltas, the index: the base's ETag and the deltas on top of it,
//     in order, each with its size and SHA-256. An index naming another
//     ETag than the base's is stale (the base was uploaded whole since)
//     and is ignored.
//
// A checkpoint uploads a delta (If-None-Match: *), checks the base is
// still the one it read, then rewrites the index (If-Match): the index
// is the commit point. When the deltas would reach half the base, or
// maxDeltas, it uploads the base whole instead (If-Match), which makes
// the index stale, and deletes the old deltas.
const (
	indexFormat = "lakesync-state-deltas"
	maxDeltas   = 50
)

func indexKey(key string) string { return key + ".deltas" }

// deltaIndex is the content of KEY.deltas.
type deltaIndex struct {
	Format   string      `json:"format"`
	Version  int         `json:"version"`
	State    string      `json:"state"`     // KEY
	BaseETag string      `json:"base_etag"` // the base the deltas apply to
	Deltas   []deltaPart `json:"deltas"`
}

// deltaPart names one delta object in the index.
type deltaPart struct {
	Key    string `json:"key"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

func parseIndex(b []byte, key string) (*deltaIndex, error) {
	var idx deltaIndex
	if err := json.Unmarshal(b, &idx); err != nil {
		return nil, err
	}
	switch {
	case idx.Format != indexFormat:
		return nil, fmt.Errorf("format %q, want %q", idx.Format, indexFormat)
	case idx.Version != 1:
		return nil, fmt.Errorf("version %d, newer than this lakesync understands (1): upgrade lakesync", idx.Version)
	case idx.State != key:
		return nil, fmt.Errorf("it is the index of the state %q", idx.State)
	}
	return &idx, nil
}

// A delta object is:
//
//	8 bytes  "LKSDELTA"
//	byte     version (1)
//	string   KEY of its state
//	string   the ETag of the base it applies to
//	uvarint  N
//	         the changes (state.Changes.AppendBinary)
//
// with strings as a uvarint length and the bytes.
var deltaMagic = []byte("LKSDELTA")

type deltaHeader struct {
	State, BaseETag string
	N               uint64
}

func encodeDelta(h deltaHeader, c *state.Changes) ([]byte, error) {
	b := append([]byte(nil), deltaMagic...)
	b = append(b, 1)
	for _, s := range []string{h.State, h.BaseETag} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = binary.AppendUvarint(b, h.N)
	return c.AppendBinary(b)
}

var errNotDelta = errors.New("not a lakesync state delta")

func decodeDelta(b []byte) (deltaHeader, *state.Changes, error) {
	var h deltaHeader
	rest, ok := bytes.CutPrefix(b, deltaMagic)
	if !ok || len(rest) == 0 || rest[0] != 1 {
		return h, nil, errNotDelta
	}
	rest = rest[1:]
	for _, dst := range []*string{&h.State, &h.BaseETag} {
		l, n := binary.Uvarint(rest)
		if n <= 0 || l > uint64(len(rest)-n) {
			return h, nil, errNotDelta
		}
		*dst = string(rest[n : n+int(l)])
		rest = rest[n+int(l):]
	}
	seq, n := binary.Uvarint(rest)
	if n <= 0 {
		return h, nil, errNotDelta
	}
	h.N = seq
	c, err := state.DecodeChanges(rest[n:])
	return h, c, err
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// checkDelta verifies the delta object b named p in the index against
// it and against the state (key) and base (etag) it must belong to, and
// decodes it.
func checkDelta(b []byte, p deltaPart, key, etag string) (*state.Changes, error) {
	h, c, err := decodeDelta(b)
	switch {
	case errors.Is(err, errNotDelta):
		return nil, err
	case err == nil && h.State != key:
		return nil, fmt.Errorf("it is a delta of the state %q", h.State)
	case err == nil && h.BaseETag != etag:
		return nil, fmt.Errorf("it applies to the base %s, not to %s", h.BaseETag, etag)
	case int64(len(b)) != p.Bytes:
		return nil, fmt.Errorf("it is %d bytes, the index says %d", len(b), p.Bytes)
	case sha256Hex(b) != p.SHA256:
		return nil, fmt.Errorf("its SHA-256 is %s, the index says %s", sha256Hex(b), p.SHA256)
	case err != nil:
		return nil, err
	}
	return c, nil
}
