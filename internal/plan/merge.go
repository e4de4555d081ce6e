package plan

import (
	"fmt"
	"iter"
)

// Item is one key of a job with what each side holds for it and the
// decision. Rel is the key relative to the job's prefixes. Source, Record
// and Destination are nil when that side holds nothing; they point into
// the merge's buffers and are valid only until the next item: Clone the
// item to keep it.
type Item struct {
	Rel          string
	Source       *SourceObject
	Record       *StateRecord
	Destination  *DestinationObject
	ObjectAction ObjectAction
	Reason       string
	// Restore is what the state remembers of a restore request for the
	// source key (ObjectArchived items only, set by the caller of Merge
	// when the job restores archived objects); nil: none.
	Restore *RestoreRequest
}

// Clone returns a copy of the item that owns its objects.
func (it Item) Clone() Item {
	if it.Source != nil {
		s := *it.Source
		it.Source = &s
	}
	if it.Record != nil {
		r := *it.Record
		it.Record = &r
	}
	if it.Destination != nil {
		d := *it.Destination
		it.Destination = &d
	}
	if it.Restore != nil {
		rr := *it.Restore
		it.Restore = &rr
	}
	return it
}

// Merge walks the source listing, the state records of the job and the
// destination listing side by side and yields one decided Item per key, in
// key order. Each stream must be sorted by key (byte order, as S3 lists);
// source and records are keyed by source key, the destination by
// destination key; entries the selector does not select are skipped. A nil
// stream is empty. Memory does not grow with the number of keys: the merge
// holds one entry of each stream.
//
// An unsorted stream or an error of a stream ends the merge with an error.
func Merge(sel *Selector, rules Rules,
	src iter.Seq2[SourceObject, error],
	recs iter.Seq2[StateRecord, error],
	dst iter.Seq2[DestinationObject, error],
) iter.Seq2[Item, error] {
	return func(yield func(Item, error) bool) {
		s := newHead(src, "source listing", func(o *SourceObject) (string, bool) { return sel.SourceRel(o.Key) })
		defer s.stop()
		r := newHead(recs, "state records", func(o *StateRecord) (string, bool) { return sel.SourceRel(o.SourceKey) })
		defer r.stop()
		d := newHead(dst, "destination listing", func(o *DestinationObject) (string, bool) { return sel.DestinationRel(o.Key) })
		defer d.stop()
		for _, h := range []interface{ advance() error }{s, r, d} {
			if err := h.advance(); err != nil {
				yield(Item{}, err)
				return
			}
		}
		// The item's objects point into these, overwritten for each key.
		var srcV SourceObject
		var recV StateRecord
		var dstV DestinationObject
		for s.ok || r.ok || d.ok {
			rel := minRel(s, r, d)
			it := Item{Rel: rel}
			var err error
			it.Source, err = s.take(rel, &srcV)
			if err == nil {
				it.Record, err = r.take(rel, &recV)
			}
			if err == nil {
				it.Destination, err = d.take(rel, &dstV)
			}
			if err != nil {
				yield(Item{}, err)
				return
			}
			rec := it.Record
			stale := rec != nil && !sel.isDestinationKey(rec.DestKey, rel)
			if stale {
				rec = nil
			}
			it.ObjectAction, it.Reason = rules.Decide(it.Source, rec, it.Destination)
			if stale && it.Source == nil && it.Destination == nil {
				it.ObjectAction, it.Reason = ObjectForget, "gone at source; recorded for another destination"
			}
			if !yield(it, nil) {
				return
			}
		}
	}
}

func minRel(s *head[SourceObject], r *head[StateRecord], d *head[DestinationObject]) string {
	var m string
	found := false
	for _, c := range []struct {
		ok  bool
		rel string
	}{{s.ok, s.rel}, {r.ok, r.rel}, {d.ok, d.rel}} {
		if c.ok && (!found || c.rel < m) {
			m, found = c.rel, true
		}
	}
	return m
}

// head is the current entry of one sorted stream.
type head[T any] struct {
	name  string
	next  func() (T, error, bool)
	stop  func()
	relOf func(*T) (string, bool)
	v     T
	rel   string // the key of v relative to the prefixes
	ok    bool   // v is valid
	seen  bool   // rel holds the last entry's key
}

func newHead[T any](seq iter.Seq2[T, error], name string, rel func(*T) (string, bool)) *head[T] {
	h := &head[T]{name: name, relOf: rel, stop: func() {}}
	if seq != nil {
		h.next, h.stop = iter.Pull2(seq)
	}
	return h
}

// take copies the current entry into buf and returns buf when the entry's
// key is rel (nil when the stream holds nothing for rel), and moves to the
// next entry.
func (h *head[T]) take(rel string, buf *T) (*T, error) {
	if !h.ok || h.rel != rel {
		return nil, nil
	}
	*buf = h.v
	return buf, h.advance()
}

// advance moves to the next selected entry, checking the order.
func (h *head[T]) advance() error {
	h.ok = false
	if h.next == nil {
		return nil
	}
	for {
		var err error
		var more bool
		h.v, err, more = h.next()
		if !more {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", h.name, err)
		}
		rel, ok := h.relOf(&h.v)
		if !ok {
			continue
		}
		if h.seen && rel <= h.rel {
			return fmt.Errorf("%s is not sorted by key: %q comes after %q", h.name, rel, h.rel)
		}
		h.ok, h.rel, h.seen = true, rel, true
		return nil
	}
}
