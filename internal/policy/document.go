package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"unicode"
	"unicode/utf8"
)

// DefaultVersion is the policy language version of documents lakesync creates.
const DefaultVersion = "2012-10-17"

// Document is one policy document: a bucket policy, a key policy or an IAM
// inline policy.
type Document struct {
	Version    string
	ID         string // "Id"
	Statements []Statement
	// Extra holds unknown top-level fields, re-encoded unchanged.
	Extra map[string]json.RawMessage
}

// Statement is one policy statement. Raw, when set, is the statement exactly
// as it was parsed; encoding a statement with Raw set emits Raw and ignores
// the typed fields, so statements lakesync does not own round-trip byte for
// byte. Generated statements have no Raw.
type Statement struct {
	Sid          string
	Effect       string // "Allow" or "Deny"
	Principal    *Principal
	NotPrincipal *Principal
	Action       Values
	NotAction    Values
	Resource     Values
	NotResource  Values
	Condition    Condition
	// Extra holds unknown statement fields, re-encoded unchanged.
	Extra map[string]json.RawMessage
	Raw   json.RawMessage
}

// Effects.
const (
	Allow = "Allow"
	Deny  = "Deny"
)

// Empty reports whether the document has no statements. A merged document
// that is Empty must be deleted rather than written: AWS rejects a policy
// without statements.
func (d *Document) Empty() bool { return d == nil || len(d.Statements) == 0 }

// ParseError says what is wrong with a policy document and where.
type ParseError struct {
	Line, Column int    // of a JSON syntax error; 0 when unknown
	Statement    int    // index of the offending statement, -1 for the document
	Sid          string // of the offending statement, when it has one
	Field        string // e.g. "Effect", "Condition"
	Err          error
}

func (e *ParseError) Error() string {
	var b bytes.Buffer
	b.WriteString("policy document")
	if e.Line > 0 {
		fmt.Fprintf(&b, ": line %d, column %d", e.Line, e.Column)
	}
	if e.Statement >= 0 {
		fmt.Fprintf(&b, ": Statement[%d]", e.Statement)
		if e.Sid != "" {
			fmt.Fprintf(&b, " (Sid %q)", e.Sid)
		}
	}
	if e.Field != "" {
		fmt.Fprintf(&b, ": %s", e.Field)
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	return b.String()
}

func (e *ParseError) Unwrap() error { return e.Err }

// Parse decodes a policy document as AWS returns it. Statement may be a single
// object or a list; string-or-list fields accept either form; condition
// values may be booleans or numbers. Unknown fields are kept.
func Parse(data []byte) (*Document, error) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, &ParseError{Statement: -1, Err: errors.New("empty document")}
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &top); err != nil {
		lead := len(data) - len(bytes.TrimLeftFunc(data, unicode.IsSpace))
		return nil, syntaxError(data, lead, err)
	}
	if top == nil {
		return nil, &ParseError{Statement: -1, Err: errors.New("want a JSON object, got null")}
	}
	d := &Document{}
	for k, v := range top {
		var err error
		switch k {
		case "Version":
			err = json.Unmarshal(v, &d.Version)
		case "Id":
			err = json.Unmarshal(v, &d.ID)
		case "Statement":
			d.Statements, err = parseStatements(v)
			if err != nil {
				return nil, err
			}
		default:
			if d.Extra == nil {
				d.Extra = map[string]json.RawMessage{}
			}
			d.Extra[k] = v
		}
		if err != nil {
			return nil, &ParseError{Statement: -1, Field: k, Err: errors.New("want a string")}
		}
	}
	return d, nil
}

// syntaxError converts a JSON error into a ParseError whose line and
// column (in characters) point at the byte where decoding failed: the last
// byte the decoder read, lead bytes into data as it was given.
func syntaxError(data []byte, lead int, err error) error {
	pe := &ParseError{Statement: -1, Err: err}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	var read int64
	switch {
	case errors.As(err, &se):
		read = se.Offset
	case errors.As(err, &te):
		read, pe.Err = te.Offset, errors.New("want a JSON object")
	default:
		return pe
	}
	pe.Line, pe.Column = lineColumn(data, int64(lead)+read-1)
	return pe
}

// lineColumn is the 1-based line and column of byte i of data.
func lineColumn(data []byte, i int64) (line, col int) {
	before := data[:min(max(i, 0), int64(len(data)))]
	start := bytes.LastIndexByte(before, '\n') + 1
	return 1 + bytes.Count(before, []byte("\n")), 1 + utf8.RuneCount(before[start:])
}

func parseStatements(raw json.RawMessage) ([]Statement, error) {
	raw = bytes.TrimSpace(raw)
	var items []json.RawMessage
	switch {
	case bytes.HasPrefix(raw, []byte("{")):
		items = []json.RawMessage{raw}
	case bytes.HasPrefix(raw, []byte("[")):
		// Parse decoded the whole document, so raw is a valid list.
		_ = json.Unmarshal(raw, &items)
	default:
		return nil, &ParseError{Statement: -1, Field: "Statement",
			Err: fmt.Errorf("want an object or a list of objects, got %s", truncate(raw))}
	}
	out := make([]Statement, 0, len(items))
	for i, it := range items {
		s, err := parseStatement(it)
		if err != nil {
			err.Statement = i
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func parseStatement(raw json.RawMessage) (Statement, *ParseError) {
	s := Statement{Raw: append(json.RawMessage(nil), raw...)}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return s, &ParseError{Err: fmt.Errorf("want an object, got %s", truncate(raw))}
	}
	if v, ok := m["Sid"]; ok {
		if err := json.Unmarshal(v, &s.Sid); err != nil {
			return s, &ParseError{Field: "Sid", Err: errors.New("want a string")}
		}
	}
	fail := func(field string, err error) (Statement, *ParseError) {
		return s, &ParseError{Sid: s.Sid, Field: field, Err: err}
	}
	for k, v := range m {
		var err error
		switch k {
		case "Sid":
		case "Effect":
			if e := json.Unmarshal(v, &s.Effect); e != nil || (s.Effect != Allow && s.Effect != Deny) {
				err = fmt.Errorf(`want "Allow" or "Deny", got %s`, truncate(v))
			}
		case "Principal":
			s.Principal, err = decodePrincipal(v)
		case "NotPrincipal":
			s.NotPrincipal, err = decodePrincipal(v)
		case "Action":
			s.Action, err = decodeValues(v)
		case "NotAction":
			s.NotAction, err = decodeValues(v)
		case "Resource":
			s.Resource, err = decodeValues(v)
		case "NotResource":
			s.NotResource, err = decodeValues(v)
		case "Condition":
			s.Condition, err = decodeCondition(v)
		default:
			if s.Extra == nil {
				s.Extra = map[string]json.RawMessage{}
			}
			s.Extra[k] = v
		}
		if err != nil {
			return fail(k, err)
		}
	}
	if s.Effect == "" {
		return fail("Effect", errors.New("missing"))
	}
	if s.Action != nil && s.NotAction != nil {
		return fail("Action", errors.New("both Action and NotAction are set"))
	}
	if s.Resource != nil && s.NotResource != nil {
		return fail("Resource", errors.New("both Resource and NotResource are set"))
	}
	if s.Principal != nil && s.NotPrincipal != nil {
		return fail("Principal", errors.New("both Principal and NotPrincipal are set"))
	}
	return s, nil
}
