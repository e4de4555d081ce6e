package inventory

import (
	"bufio"
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/lakesync/lakesync/internal/plan"
)

// sorter sorts a stream of objects by key with bounded memory (an
// external merge sort): objects are held until they take about runBytes,
// then sorted and written to a run file in dir; the runs are merged, at
// most maxFanIn at a time, into one sorted stream. Fewer objects than one
// run never touch the disk.
type sorter struct {
	dir      string
	runBytes int
	buf      []plan.SourceObject
	bufBytes int
	runs     []string
}

// maxFanIn bounds the run files open at once while merging.
const maxFanIn = 64

// objectBytes estimates the memory one held object takes.
func objectBytes(o *plan.SourceObject) int {
	const fixed = 112 // the struct's words: 6 string headers, a size, a time
	return fixed + len(o.Key) + len(o.ETag)
}

func (s *sorter) add(o plan.SourceObject) error {
	s.buf = append(s.buf, o)
	if s.bufBytes += objectBytes(&o); s.bufBytes >= s.runBytes {
		return s.spill()
	}
	return nil
}

func byKey(a, b plan.SourceObject) int { return strings.Compare(a.Key, b.Key) }

// spill sorts the held objects into a new run file.
func (s *sorter) spill() error {
	slices.SortFunc(s.buf, byKey)
	err := s.writeRun(func(emit func(plan.SourceObject) error) error {
		for _, o := range s.buf {
			if err := emit(o); err != nil {
				return err
			}
		}
		return nil
	})
	clear(s.buf)
	s.buf, s.bufBytes = s.buf[:0], 0
	return err
}

// writeRun writes what fill emits to a new run file.
func (s *sorter) writeRun(fill func(emit func(plan.SourceObject) error) error) error {
	f, err := os.CreateTemp(s.dir, "run-*")
	if err != nil {
		return fmt.Errorf("sorting the inventory: %w", err)
	}
	s.runs = append(s.runs, f.Name())
	w := bufio.NewWriterSize(f, 1<<20)
	var scratch []byte
	err = fill(func(o plan.SourceObject) error {
		scratch = encode(scratch[:0], &o)
		_, err := w.Write(scratch)
		return err
	})
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("sorting the inventory: writing %s: %w", f.Name(), err)
	}
	return nil
}

// sorted calls emit with every object added, in key order.
func (s *sorter) sorted(emit func(plan.SourceObject) error) error {
	if len(s.runs) == 0 {
		slices.SortFunc(s.buf, byKey)
		for _, o := range s.buf {
			if err := emit(o); err != nil {
				return err
			}
		}
		return nil
	}
	if len(s.buf) > 0 {
		if err := s.spill(); err != nil {
			return err
		}
	}
	s.buf = nil
	for len(s.runs) > maxFanIn {
		group := s.runs[:maxFanIn]
		s.runs = slices.Clone(s.runs[maxFanIn:])
		if err := s.writeRun(func(emit func(plan.SourceObject) error) error { return mergeRuns(group, emit) }); err != nil {
			return err
		}
		for _, name := range group {
			os.Remove(name)
		}
	}
	return mergeRuns(s.runs, emit)
}

// mergeRuns merges sorted run files into one sorted stream.
func mergeRuns(names []string, emit func(plan.SourceObject) error) error {
	h := make(runHeap, 0, len(names))
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("sorting the inventory: %w", err)
		}
		defer f.Close()
		r := &run{name: name, r: bufio.NewReaderSize(f, 64<<10)}
		if ok, err := r.next(); err != nil {
			return err
		} else if ok {
			h = append(h, r)
		}
	}
	heap.Init(&h)
	for len(h) > 0 {
		r := h[0]
		if err := emit(r.cur); err != nil {
			return err
		}
		ok, err := r.next()
		switch {
		case err != nil:
			return err
		case ok:
			heap.Fix(&h, 0)
		default:
			heap.Pop(&h)
		}
	}
	return nil
}

// run is an open run file and its current object.
type run struct {
	name string
	r    *bufio.Reader
	cur  plan.SourceObject
}

func (r *run) next() (bool, error) {
	o, err := decode(r.r)
	if errors.Is(err, io.EOF) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("sorting the inventory: reading %s: %w", r.name, err)
	}
	r.cur = o
	return true, nil
}

type runHeap []*run

func (h runHeap) Len() int           { return len(h) }
func (h runHeap) Less(i, j int) bool { return h[i].cur.Key < h[j].cur.Key }
func (h runHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *runHeap) Push(x any)        { *h = append(*h, x.(*run)) }
func (h *runHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// encode appends o's fields to b: the key, ETag and storage class as
// length-prefixed strings, the size and the time as varints.
func encode(b []byte, o *plan.SourceObject) []byte {
	for _, s := range []string{o.Key, o.ETag, o.StorageClass} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = binary.AppendVarint(b, o.Size)
	b = binary.AppendVarint(b, o.LastModified.Unix())
	return binary.AppendUvarint(b, uint64(o.LastModified.Nanosecond()))
}

// decode reads one object that encode wrote; io.EOF at a clean end.
func decode(r *bufio.Reader) (plan.SourceObject, error) {
	var o plan.SourceObject
	var fields [3]string
	for i := range fields {
		n, err := binary.ReadUvarint(r)
		if err != nil {
			if i > 0 && errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return o, err
		}
		b := make([]byte, n)
		if _, err := io.ReadFull(r, b); err != nil {
			return o, io.ErrUnexpectedEOF
		}
		fields[i] = string(b)
	}
	o.Key, o.ETag, o.StorageClass = fields[0], fields[1], storageClass(fields[2])
	var err error
	var sec int64
	var nsec uint64
	if o.Size, err = binary.ReadVarint(r); err == nil {
		if sec, err = binary.ReadVarint(r); err == nil {
			nsec, err = binary.ReadUvarint(r)
		}
	}
	if err != nil {
		return o, io.ErrUnexpectedEOF
	}
	o.LastModified = time.Unix(sec, int64(nsec)).UTC()
	return o, nil
}
