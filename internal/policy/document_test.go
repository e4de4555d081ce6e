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

func TestParseErrors(t *testing.T) {
	tests := map[string]struct {
		in   string
		want string
	}{
		"empty":           {"  ", "empty document"},
		"syntax":          {"{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [,]\n}", "line 3, column"},
		"not object":      {`[1]`, "want a JSON object"},
		"null":            {`null`, "got null"},
		"version type":    {`{"Version":1,"Statement":[]}`, "Version: want a string"},
		"statement type":  {`{"Statement":"x"}`, "Statement: want an object or a list"},
		"bad effect":      {`{"Statement":[{"Sid":"A","Effect":"Permit","Action":"*"}]}`, `Statement[0] (Sid "A"): Effect: want "Allow" or "Deny"`},
		"missing effect":  {`{"Statement":[{"Action":"*"},{"Action":"*"}]}`, "Statement[0]: Effect: missing"},
		"second bad":      {`{"Statement":[{"Effect":"Allow","Action":"*"},{"Effect":"Allow","Action":{"x":1}}]}`, "Statement[1]: Action: want a string"},
		"principal":       {`{"Statement":[{"Effect":"Allow","Principal":"arn:aws:iam::1:root"}]}`, `Principal: a string principal must be "*"`},
		"condition value": {`{"Statement":[{"Effect":"Allow","Condition":{"Bool":{"k":{"x":1}}}}]}`, "Condition: Bool: k: want a string"},
		"both actions":    {`{"Statement":[{"Effect":"Allow","Action":"*","NotAction":"s3:*"}]}`, "both Action and NotAction"},
		"statement null":  {`{"Statement":[null]}`, "Statement[0]: want an object"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := Parse([]byte(tc.in))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error = %v, want a *ParseError", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %q, want it to contain %q", err, tc.want)
			}
		})
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
