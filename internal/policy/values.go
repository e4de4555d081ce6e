package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Values is an IAM "string or list of strings" field (Action, Resource,
// principal identifiers, condition values). One element encodes as a plain
// string, several as a list.
type Values []string

// decodeValues accepts a JSON string, a list of strings, or (for condition
// values) booleans and numbers, which are kept as their JSON text.
func decodeValues(raw json.RawMessage) (Values, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil, fmt.Errorf("empty value")
	}
	if raw[0] == '[' {
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, fmt.Errorf("want a string or a list of strings: %w", err)
		}
		out := make(Values, 0, len(items))
		for i, it := range items {
			s, err := scalarString(it)
			if err != nil {
				return nil, fmt.Errorf("element %d: %w", i, err)
			}
			out = append(out, s)
		}
		return out, nil
	}
	s, err := scalarString(raw)
	if err != nil {
		return nil, err
	}
	return Values{s}, nil
}

// scalarString turns a JSON string, bool or number into its string value.
func scalarString(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", fmt.Errorf("empty value")
	}
	switch raw[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", fmt.Errorf("invalid string: %w", err)
		}
		return s, nil
	case 't', 'f':
		var b bool
		if err := json.Unmarshal(raw, &b); err != nil {
			return "", fmt.Errorf("want a string, got %s", truncate(raw))
		}
		return string(raw), nil
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		var n json.Number
		if err := json.Unmarshal(raw, &n); err != nil {
			return "", fmt.Errorf("want a string, got %s", truncate(raw))
		}
		return n.String(), nil
	}
	return "", fmt.Errorf("want a string, got %s", truncate(raw))
}

func truncate(raw []byte) string {
	if len(raw) > 40 {
		return string(raw[:40]) + "..."
	}
	return string(raw)
}

// sortedUnique returns a sorted copy without duplicates.
func (v Values) sortedUnique() []string {
	out := append([]string(nil), v...)
	sort.Strings(out)
	w := 0
	for i, s := range out {
		if i > 0 && s == out[w-1] {
			continue
		}
		out[w] = s
		w++
	}
	return out[:w]
}

// Principal is a statement's Principal or NotPrincipal: either "*" (All) or
// a map of principal type ("AWS", "Service", "Federated", "CanonicalUser")
// to identifiers.
type Principal struct {
	All bool
	IDs map[string]Values
}

// AWSPrincipal is the principal {"AWS": arn}.
func AWSPrincipal(arn string) *Principal {
	return &Principal{IDs: map[string]Values{"AWS": {arn}}}
}

func decodePrincipal(raw json.RawMessage) (*Principal, error) {
	raw = bytes.TrimSpace(raw)
	if bytes.HasPrefix(raw, []byte(`"`)) {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("invalid string: %w", err)
		}
		if s != "*" {
			return nil, fmt.Errorf(`a string principal must be "*", got %q`, s)
		}
		return &Principal{All: true}, nil
	}
	if !bytes.HasPrefix(raw, []byte("{")) {
		return nil, fmt.Errorf(`want "*" or an object, got %s`, truncate(raw))
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("invalid object: %w", err)
	}
	p := &Principal{IDs: make(map[string]Values, len(m))}
	for k, v := range m {
		vals, err := decodeValues(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		p.IDs[k] = vals
	}
	return p, nil
}

// Condition maps an operator ("StringEquals") to condition keys and the
// values they are compared with.
type Condition map[string]map[string]Values

func decodeCondition(raw json.RawMessage) (Condition, error) {
	var ops map[string]json.RawMessage
	if err := json.Unmarshal(raw, &ops); err != nil {
		return nil, fmt.Errorf("want an object of operators: %w", err)
	}
	c := make(Condition, len(ops))
	for op, body := range ops {
		var keys map[string]json.RawMessage
		if err := json.Unmarshal(body, &keys); err != nil {
			return nil, fmt.Errorf("%s: want an object of condition keys: %w", op, err)
		}
		c[op] = make(map[string]Values, len(keys))
		for k, v := range keys {
			vals, err := decodeValues(v)
			if err != nil {
				return nil, fmt.Errorf("%s: %s: %w", op, k, err)
			}
			c[op][k] = vals
		}
	}
	return c, nil
}

// lookupFold finds a condition operator or key case-insensitively, as IAM
// treats condition key names.
func lookupFold[V any](m map[string]V, name string) (V, bool) {
	if v, ok := m[name]; ok {
		return v, true
	}
	for k, v := range m {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	var zero V
	return zero, false
}
