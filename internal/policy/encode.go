package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
)

// JSON encodes the document compactly and deterministically: Version, Id,
// Statement (always a list), then unknown fields in key order. Statements
// with Raw are emitted exactly as parsed.
func (d *Document) JSON() ([]byte, error) {
	if d == nil {
		return nil, fmt.Errorf("encode policy: nil document")
	}
	var o objectWriter
	field := o.field
	if d.Version != "" {
		field("Version", marshalString(d.Version))
	}
	if d.ID != "" {
		field("Id", marshalString(d.ID))
	}
	var stmts bytes.Buffer
	stmts.WriteByte('[')
	for i, s := range d.Statements {
		if i > 0 {
			stmts.WriteByte(',')
		}
		js, err := s.JSON()
		if err != nil {
			return nil, fmt.Errorf("encode policy: Statement[%d] (Sid %q): %w", i, s.Sid, err)
		}
		stmts.Write(js)
	}
	stmts.WriteByte(']')
	field("Statement", stmts.Bytes())
	if err := writeExtra(d.Extra, field); err != nil {
		return nil, fmt.Errorf("encode policy: %w", err)
	}
	return o.close(), nil
}

// Indent is JSON indented by two spaces, for people to read.
func (d *Document) Indent() ([]byte, error) {
	js, err := d.JSON()
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := json.Indent(&b, js, "", "  "); err != nil {
		return nil, fmt.Errorf("indent policy: %w", err)
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// JSON encodes one statement: Raw when set, otherwise the typed fields in the
// order Sid, Effect, Principal, NotPrincipal, Action, NotAction, Resource,
// NotResource, Condition, then unknown fields in key order.
func (s Statement) JSON() ([]byte, error) {
	if s.Raw != nil {
		if !json.Valid(s.Raw) {
			return nil, fmt.Errorf("raw statement is not valid JSON")
		}
		return s.Raw, nil
	}
	var o objectWriter
	field := o.field
	if s.Sid != "" {
		field("Sid", marshalString(s.Sid))
	}
	field("Effect", marshalString(s.Effect))
	for _, p := range []struct {
		name string
		p    *Principal
	}{{"Principal", s.Principal}, {"NotPrincipal", s.NotPrincipal}} {
		if p.p != nil {
			field(p.name, encodePrincipal(p.p, false))
		}
	}
	for _, v := range []struct {
		name string
		v    Values
	}{{"Action", s.Action}, {"NotAction", s.NotAction}, {"Resource", s.Resource}, {"NotResource", s.NotResource}} {
		if v.v != nil {
			field(v.name, encodeValues(v.v, false))
		}
	}
	if len(s.Condition) > 0 {
		field("Condition", encodeCondition(s.Condition, false))
	}
	if err := writeExtra(s.Extra, field); err != nil {
		return nil, err
	}
	return o.close(), nil
}

// objectWriter writes a JSON object field by field, in the order given.
type objectWriter struct {
	b bytes.Buffer
}

func (o *objectWriter) field(name string, value []byte) {
	if o.b.Len() == 0 {
		o.b.WriteByte('{')
	} else {
		o.b.WriteByte(',')
	}
	o.b.Write(marshalString(name))
	o.b.WriteByte(':')
	o.b.Write(value)
}

func (o *objectWriter) close() []byte {
	if o.b.Len() == 0 {
		o.b.WriteByte('{')
	}
	o.b.WriteByte('}')
	return o.b.Bytes()
}

func writeExtra(extra map[string]json.RawMessage, field func(string, []byte)) error {
	for _, k := range sortedKeys(extra) {
		var c bytes.Buffer
		if err := json.Compact(&c, extra[k]); err != nil {
			return fmt.Errorf("field %q: %w", k, err)
		}
		field(k, c.Bytes())
	}
	return nil
}

// encodeValues writes one value as a string and several as a list; with
// asList (the normalised form) always a sorted list without duplicates.
func encodeValues(v Values, asList bool) []byte {
	if !asList && len(v) == 1 {
		return marshalString(v[0])
	}
	items := []string(v)
	if asList {
		items = v.sortedUnique()
	}
	var b bytes.Buffer
	b.WriteByte('[')
	for i, s := range items {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(marshalString(s))
	}
	b.WriteByte(']')
	return b.Bytes()
}

func encodePrincipal(p *Principal, asList bool) []byte {
	if p.All {
		return marshalString("*")
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range sortedKeys(p.IDs) {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(marshalString(k))
		b.WriteByte(':')
		b.Write(encodeValues(p.IDs[k], asList))
	}
	b.WriteByte('}')
	return b.Bytes()
}

func encodeCondition(c Condition, asList bool) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, op := range sortedKeys(c) {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(marshalString(op))
		b.WriteString(":{")
		for j, k := range sortedKeys(c[op]) {
			if j > 0 {
				b.WriteByte(',')
			}
			b.Write(marshalString(k))
			b.WriteByte(':')
			b.Write(encodeValues(c[op][k], asList))
		}
		b.WriteByte('}')
	}
	b.WriteByte('}')
	return b.Bytes()
}

// marshalString encodes s as a JSON string without HTML escaping.
func marshalString(s string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // encoding a string cannot fail
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
