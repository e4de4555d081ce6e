package policy

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// awsBucketPolicy is shaped like a GetBucketPolicy answer: foreign statements
// in assorted forms, one of them with whitespace and a boolean condition.
const awsBucketPolicy = `{"Version":"2012-10-17","Id":"Policy1","Statement":[
  {"Sid":"DenyInsecure","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::lake","arn:aws:s3:::lake/*"],"Condition":{"Bool":{"aws:SecureTransport": false}}},
  {"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::333333333333:root"]},"Action":["s3:GetObject"],"Resource":"arn:aws:s3:::lake/shared/*","Custom":{"b":1,"a":[2]}},
  {"Sid":"LakesyncOldJobDestList","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/old"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::lake"}
],"Extra":{"z":true}}`

func TestParse(t *testing.T) {
	d, err := Parse([]byte(awsBucketPolicy))
	if err != nil {
		t.Fatal(err)
	}
	if d.Version != "2012-10-17" || d.ID != "Policy1" || len(d.Statements) != 3 {
		t.Fatalf("got Version %q Id %q %d statements", d.Version, d.ID, len(d.Statements))
	}
	s0 := d.Statements[0]
	if !s0.Principal.All || s0.Effect != Deny {
		t.Errorf("statement 0 = %+v", s0)
	}
	if diff := cmp.Diff(Condition{"Bool": {"aws:SecureTransport": {"false"}}}, s0.Condition); diff != "" {
		t.Errorf("boolean condition value (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(Values{"arn:aws:s3:::lake", "arn:aws:s3:::lake/*"}, s0.Resource); diff != "" {
		t.Error(diff)
	}
	if string(d.Statements[1].Extra["Custom"]) != `{"b":1,"a":[2]}` {
		t.Errorf("unknown statement field = %s", d.Statements[1].Extra["Custom"])
	}
	if string(d.Extra["Extra"]) != `{"z":true}` {
		t.Errorf("unknown document field = %s", d.Extra["Extra"])
	}
}

func TestParseSingleStatementObject(t *testing.T) {
	d, err := Parse([]byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Statements) != 1 || d.Statements[0].Action[0] != "s3:GetObject" {
		t.Fatalf("statements = %+v", d.Statements)
	}
	js, err := d.JSON()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	if string(js) != want {
		t.Errorf("JSON = %s\nwant   %s", js, want)
	}
}

// TestRoundTrip: every statement and unknown field comes back; statements
// keep their bytes.
func TestRoundTrip(t *testing.T) {
	d, err := Parse([]byte(awsBucketPolicy))
	if err != nil {
		t.Fatal(err)
	}
	js, err := d.JSON()
	if err != nil {
		t.Fatal(err)
	}
	for _, frag := range []string{
		`{"Sid":"DenyInsecure","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::lake","arn:aws:s3:::lake/*"],"Condition":{"Bool":{"aws:SecureTransport": false}}}`,
		`"Custom":{"b":1,"a":[2]}`, `"Extra":{"z":true}`, `"Id":"Policy1"`,
	} {
		if !strings.Contains(string(js), frag) {
			t.Errorf("re-encoded document lacks %s:\n%s", frag, js)
		}
	}
	again, err := Parse(js)
	if err != nil {
		t.Fatal(err)
	}
	js2, _ := again.JSON()
	if string(js) != string(js2) {
		t.Errorf("second round trip differs:\n%s\n%s", js, js2)
	}
}

// TestParseErrors: every error says where it is: the line and column (in
// characters, of the document as read) of a JSON syntax error, else the
// statement, its Sid and the field.
func TestParseErrors(t *testing.T) {
	long := `{"k":"` + strings.Repeat("v", 32) + `"}` // 40 bytes
	tests := map[string]struct {
		in   string
		want string
	}{
		"empty":            {"  \n", "policy document: empty document"},
		"syntax":           {"{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [,]\n}", "policy document: line 3, column 17: invalid character ',' looking for beginning of value"},
		"leading lines":    {"\n\n  {\"Statement\": x}", "policy document: line 3, column 17: invalid character 'x' looking for beginning of value"},
		"characters":       {`{"Id":"été",x}`, "policy document: line 1, column 13: invalid character 'x' looking for beginning of object key string"},
		"after the object": {`{"Statement":[{"Effect":"Allow"}]} x`, "policy document: line 1, column 36: invalid character 'x' after top-level value"},
		"truncated":        {`{"Statement":`, "policy document: line 1, column 13: unexpected end of JSON input"},
		"not object":       {` [1]`, "policy document: line 1, column 2: want a JSON object"},
		"null":             {`null`, "policy document: want a JSON object, got null"},
		"version type":     {`{"Version":1,"Statement":[]}`, "policy document: Version: want a string"},
		"id type":          {`{"Id":["a"],"Statement":[]}`, "policy document: Id: want a string"},
		"statement type":   {`{"Statement":"x"}`, `policy document: Statement: want an object or a list of objects, got "x"`},
		"bad effect":       {`{"Statement":[{"Sid":"A","Effect":"Permit","Action":"*"}]}`, `policy document: Statement[0] (Sid "A"): Effect: want "Allow" or "Deny", got "Permit"`},
		"effect case":      {`{"Statement":[{"Effect":"allow","Action":"*"}]}`, `policy document: Statement[0]: Effect: want "Allow" or "Deny", got "allow"`},
		"missing effect":   {`{"Statement":[{"Action":"*"},{"Action":"*"}]}`, "policy document: Statement[0]: Effect: missing"},
		"sid type":         {`{"Statement":[{"Sid":1,"Effect":"Allow"}]}`, "policy document: Statement[0]: Sid: want a string"},
		"second bad":       {`{"Statement":[{"Effect":"Allow","Action":"*"},{"Effect":"Allow","Action":{"x":1}}]}`, `policy document: Statement[1]: Action: want a string, got {"x":1}`},
		"40 bytes":         {`{"Statement":[{"Effect":"Allow","Resource":` + long + `}]}`, "policy document: Statement[0]: Resource: want a string, got " + long},
		"41 bytes":         {`{"Statement":[{"Effect":"Allow","Resource":` + long + ` }]}`, "policy document: Statement[0]: Resource: want a string, got " + long},
		"over 40 bytes":    {`{"Statement":[{"Effect":"Allow","NotResource":["a",` + long[:38] + `","x":1}]}]}`, "policy document: Statement[0]: NotResource: element 1: want a string, got " + long[:38] + `",...`},
		"principal":        {`{"Statement":[{"Effect":"Allow","Principal":"arn:aws:iam::1:root"}]}`, `policy document: Statement[0]: Principal: a string principal must be "*", got "arn:aws:iam::1:root"`},
		"principal type":   {`{"Statement":[{"Effect":"Allow","NotPrincipal":5}]}`, `policy document: Statement[0]: NotPrincipal: want "*" or an object, got 5`},
		"principal ids":    {`{"Statement":[{"Effect":"Allow","Principal":{"AWS":{}}}]}`, `policy document: Statement[0]: Principal: AWS: want a string, got {}`},
		"condition value":  {`{"Statement":[{"Effect":"Allow","Condition":{"Bool":{"k":{"x":1}}}}]}`, `policy document: Statement[0]: Condition: Bool: k: want a string, got {"x":1}`},
		"both actions":     {`{"Statement":[{"Effect":"Allow","Action":"*","NotAction":"s3:*"}]}`, "policy document: Statement[0]: Action: both Action and NotAction are set"},
		"both resources":   {`{"Statement":[{"Effect":"Allow","Resource":"*","NotResource":"*"}]}`, "policy document: Statement[0]: Resource: both Resource and NotResource are set"},
		"both principals":  {`{"Statement":[{"Effect":"Deny","Principal":"*","NotPrincipal":"*"}]}`, "policy document: Statement[0]: Principal: both Principal and NotPrincipal are set"},
		"statement null":   {`{"Statement":[null]}`, "policy document: Statement[0]: want an object, got null"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := Parse([]byte(tc.in))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error = %v, want a *ParseError", err)
			}
			if err.Error() != tc.want {
				t.Errorf("error:\n got %s\nwant %s", err, tc.want)
			}
		})
	}
}

// TestParseConditionValues: condition values may be strings, booleans and
// numbers, alone or in a list; booleans and numbers are kept as written.
func TestParseConditionValues(t *testing.T) {
	d := mustParse(t, `{"Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{
		"NumericLessThanEquals":{"s3:max-keys":10},"NumericGreaterThan":{"s3:x":-1.5e3},
		"Bool":{"aws:SecureTransport":true,"aws:MultiFactorAuthPresent":[false,"true"]},
		"StringEquals":{"s3:prefix":["a",1]}}}]}`)
	want := Condition{
		"NumericLessThanEquals": {"s3:max-keys": {"10"}},
		"NumericGreaterThan":    {"s3:x": {"-1.5e3"}},
		"Bool":                  {"aws:SecureTransport": {"true"}, "aws:MultiFactorAuthPresent": {"false", "true"}},
		"StringEquals":          {"s3:prefix": {"a", "1"}},
	}
	if diff := cmp.Diff(want, d.Statements[0].Condition); diff != "" {
		t.Errorf("condition (-want +got):\n%s", diff)
	}
}

// TestDecodeEmpty: the field decoders refuse empty input rather than
// index into it.
func TestDecodeEmpty(t *testing.T) {
	for _, in := range []string{"", "  "} {
		if _, err := decodePrincipal(json.RawMessage(in)); err == nil || err.Error() != `want "*" or an object, got `+strings.TrimSpace(in) {
			t.Errorf("decodePrincipal(%q) = %v", in, err)
		}
		if _, err := decodeValues(json.RawMessage(in)); err == nil || err.Error() != "empty value" {
			t.Errorf("decodeValues(%q) = %v", in, err)
		}
		if _, err := scalarString(json.RawMessage(in)); err == nil || err.Error() != "empty value" {
			t.Errorf("scalarString(%q) = %v", in, err)
		}
	}
}

func TestIndent(t *testing.T) {
	d := &Document{Version: DefaultVersion, Statements: []Statement{{Sid: "A", Effect: Allow, Action: Values{"s3:GetObject"}, Resource: Values{"arn:aws:s3:::b/<x>&"}}}}
	got, err := d.Indent()
	if err != nil {
		t.Fatal(err)
	}
	want := `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "A",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::b/<x>&"
    }
  ]
}
`
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Error(diff)
	}
}

func TestEqual(t *testing.T) {
	base := Statement{Sid: "S", Effect: Allow, Principal: AWSPrincipal("arn:aws:iam::1:role/r"),
		Action: Values{"s3:GetObject", "s3:PutObject"}, Resource: Values{"arn:aws:s3:::b/*"},
		Condition: Condition{"Bool": {"aws:SecureTransport": {"true"}}}}
	parse := func(js string) Statement {
		d, err := Parse([]byte(`{"Statement":[` + js + `]}`))
		if err != nil {
			t.Fatal(err)
		}
		return d.Statements[0]
	}
	tests := map[string]struct {
		other Statement
		want  bool
	}{
		"reordered, list vs string, bool value": {parse(`{"Condition":{"Bool":{"aws:SecureTransport":true}},"Resource":["arn:aws:s3:::b/*"],"Action":["s3:PutObject","s3:GetObject","s3:GetObject"],"Principal":{"AWS":["arn:aws:iam::1:role/r"]},"Effect":"Allow","Sid":"S"}`), true},
		"other action":                          {parse(`{"Sid":"S","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:role/r"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}`), false},
		"other principal":                       {parse(`{"Sid":"S","Effect":"Allow","Principal":"*","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}`), false},
		"no condition":                          {parse(`{"Sid":"S","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:role/r"},"Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::b/*"}`), false},
		"extra field":                           {parse(`{"Sid":"S","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:role/r"},"Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"true"}},"X":1}`), false},
		"NotAction instead":                     {parse(`{"Sid":"S","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:role/r"},"NotAction":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}`), false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := Equal(base, tc.other); got != tc.want {
				t.Errorf("Equal = %v, want %v\n%s\n%s", got, tc.want, NormalJSON(base), NormalJSON(tc.other))
			}
		})
	}
}

func TestNormalJSON(t *testing.T) {
	s := Statement{Sid: "S", Effect: Allow, Action: Values{"s3:PutObject", "s3:GetObject"}, Resource: Values{"*"},
		Principal: AWSPrincipal("arn:aws:iam::1:role/r"), Extra: map[string]json.RawMessage{"Z": json.RawMessage(`{"b":1,"a":2}`)}}
	want := `{"Action":["s3:GetObject","s3:PutObject"],"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::1:role/r"]},"Resource":["*"],"Sid":"S","Z":{"a":2,"b":1}}`
	if got := string(NormalJSON(s)); got != want {
		t.Errorf("NormalJSON = %s\nwant         %s", got, want)
	}
}

// TestNormalize: the canonical form has every string-or-list field sorted
// and without duplicates, condition values included, no Raw, and shares
// no slice or map with the statement it came from.
func TestNormalize(t *testing.T) {
	s := Statement{Sid: "S", Effect: Allow,
		Principal:   &Principal{IDs: map[string]Values{"AWS": {"arn:aws:iam::2:root", "arn:aws:iam::1:root"}}},
		NotAction:   Values{"s3:PutObject", "s3:GetObject", "s3:GetObject"},
		NotResource: Values{"arn:aws:s3:::b/*", "arn:aws:s3:::a/*"},
		Condition:   Condition{"StringLike": {"s3:prefix": {"b/*", "a/*", "b/*"}}},
		Raw:         json.RawMessage(`{}`),
	}
	got := Normalize(s)
	want := Statement{Sid: "S", Effect: Allow,
		Principal:   &Principal{IDs: map[string]Values{"AWS": {"arn:aws:iam::1:root", "arn:aws:iam::2:root"}}},
		NotAction:   Values{"s3:GetObject", "s3:PutObject"},
		NotResource: Values{"arn:aws:s3:::a/*", "arn:aws:s3:::b/*"},
		Condition:   Condition{"StringLike": {"s3:prefix": {"a/*", "b/*"}}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Normalize (-want +got):\n%s", diff)
	}
	got.Condition["StringLike"]["s3:prefix"][0] = "changed"
	got.Condition["Bool"] = map[string]Values{"aws:SecureTransport": {"true"}}
	got.Principal.IDs["AWS"][0] = "changed"
	if s.Condition["StringLike"]["s3:prefix"][1] != "a/*" || len(s.Condition) != 1 || s.Principal.IDs["AWS"][1] != "arn:aws:iam::1:root" {
		t.Errorf("Normalize shares state with its input: %+v", s)
	}
	if n := Normalize(Statement{Effect: Deny}); n.Condition != nil || n.Principal != nil || n.Action != nil {
		t.Errorf("Normalize invents fields: %+v", n)
	}
}
