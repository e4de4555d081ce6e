package state

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"io"
	"os"
)

// bbolt maps the file and trusts its meta pages: a file cut short (a full
// disk, a partial copy) makes it read past the end of the mapping, which
// kills the process with SIGBUS rather than returning an error. precheck
// reads the meta pages first and refuses a file shorter than the pages
// they claim.
//
// A meta page is a 16-byte page header followed by, in the machine's byte
// order as bbolt writes them: magic u32, version u32, page size u32, flags
// u32, root bucket (u64, u64), freelist page u64, high-water page id u64,
// txid u64, checksum u64 (FNV-64a of the bytes before it).
const (
	boltMagic      = 0xED0CDAED
	pageHeaderSize = 16
	metaSize       = 64
)

type boltMeta struct {
	pageSize uint32
	freelist uint64
	pgid     uint64
	txid     uint64
}

func readMeta(f *os.File, off int64) (boltMeta, bool) {
	var b [pageHeaderSize + metaSize]byte
	if _, err := f.ReadAt(b[:], off); err != nil {
		return boltMeta{}, false
	}
	m := b[pageHeaderSize:]
	le := binary.NativeEndian
	if le.Uint32(m[0:]) != boltMagic {
		return boltMeta{}, false
	}
	h := fnv.New64a()
	h.Write(m[:56])
	if h.Sum64() != le.Uint64(m[56:]) {
		return boltMeta{}, false
	}
	return boltMeta{pageSize: le.Uint32(m[8:]), freelist: le.Uint64(m[32:]), pgid: le.Uint64(m[40:]), txid: le.Uint64(m[48:])}, true
}

// precheck returns an error when the file at path exists, is not empty,
// and its newest valid meta page claims more pages than the file holds.
func precheck(path string) error {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("state file %s: %w", path, err)
	}
	defer f.Close()
	size, err := f.Seek(0, io.SeekEnd)
	if err != nil || size == 0 {
		return nil // empty: bbolt initialises it
	}
	m0, ok0 := readMeta(f, 0)
	pageSize := int64(4096)
	if ok0 && m0.pageSize >= 1024 && m0.pageSize <= 1<<20 {
		pageSize = int64(m0.pageSize)
	}
	m1, ok1 := readMeta(f, pageSize)
	m, ok := m0, ok0
	if ok1 && (!ok0 || m1.txid > m0.txid) {
		m, ok = m1, ok1
	}
	if !ok {
		return corrupt(path, fmt.Errorf("no valid meta page"))
	}
	ps := int64(m.pageSize)
	if ps < 1024 || ps > 1<<20 {
		return corrupt(path, fmt.Errorf("page size %d", ps))
	}
	if m.pgid > uint64(size/ps) || m.freelist >= m.pgid && m.freelist != ^uint64(0) {
		return corrupt(path, fmt.Errorf("the file is %d bytes but its pages need %d: it was cut short", size, int64(m.pgid)*ps))
	}
	return nil
}
