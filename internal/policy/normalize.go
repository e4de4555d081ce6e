package policy

import (
	"bytes"
	"encoding/json"
)

// Normalize returns a copy of s in canonical form: string-or-list fields
// sorted without duplicates, and no Raw, so that encoding uses the typed
// fields. Two statements are Equal when their normalised forms are.
func Normalize(s Statement) Statement {
	out := s
	out.Raw = nil
	out.Action = normValues(s.Action)
	out.NotAction = normValues(s.NotAction)
	out.Resource = normValues(s.Resource)
	out.NotResource = normValues(s.NotResource)
	out.Principal = normPrincipal(s.Principal)
	out.NotPrincipal = normPrincipal(s.NotPrincipal)
	if s.Condition != nil {
		out.Condition = make(Condition, len(s.Condition))
		for op, keys := range s.Condition {
			out.Condition[op] = make(map[string]Values, len(keys))
			for k, v := range keys {
				out.Condition[op][k] = normValues(v)
			}
		}
	}
	return out
}

func normValues(v Values) Values {
	if v == nil {
		return nil
	}
	return Values(v.sortedUnique())
}

func normPrincipal(p *Principal) *Principal {
	if p == nil {
		return nil
	}
	out := &Principal{All: p.All}
	if p.IDs != nil {
		out.IDs = make(map[string]Values, len(p.IDs))
		for k, v := range p.IDs {
			out.IDs[k] = normValues(v)
		}
	}
	return out
}

// NormalJSON is the normalised JSON form of a statement, used to render
// diffs: keys sorted, every string-or-list field a sorted list, condition
// booleans and numbers as strings, unknown fields with sorted keys.
func NormalJSON(s Statement) []byte {
	n := Normalize(s)
	// Fields in sorted key order; unknown fields are merged into the order.
	fields := map[string][]byte{"Effect": marshalString(n.Effect)}
	if n.Sid != "" {
		fields["Sid"] = marshalString(n.Sid)
	}
	if n.Principal != nil {
		fields["Principal"] = encodePrincipal(n.Principal, true)
	}
	if n.NotPrincipal != nil {
		fields["NotPrincipal"] = encodePrincipal(n.NotPrincipal, true)
	}
	for name, v := range map[string]Values{"Action": n.Action, "NotAction": n.NotAction,
		"Resource": n.Resource, "NotResource": n.NotResource} {
		if v != nil {
			fields[name] = encodeValues(v, true)
		}
	}
	if len(n.Condition) > 0 {
		fields["Condition"] = encodeCondition(n.Condition, true)
	}
	for k, raw := range n.Extra {
		fields[k] = canonicalJSON(raw)
	}
	var o objectWriter
	for _, k := range sortedKeys(fields) {
		o.field(k, fields[k])
	}
	return o.close()
}

// canonicalJSON re-encodes arbitrary JSON with sorted object keys.
func canonicalJSON(raw json.RawMessage) []byte {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return marshalString(string(raw)) // keep invalid input visible rather than fail
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return marshalString(string(raw))
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// Equal reports whether two statements are structurally the same: the order
// of list members and map keys, duplicates, and a string versus a
// one-element list do not matter.
func Equal(a, b Statement) bool {
	return bytes.Equal(NormalJSON(a), NormalJSON(b))
}
