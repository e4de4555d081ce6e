package policy

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDiff(t *testing.T) {
	before, err := Parse([]byte(`{"Version":"2012-10-17","Statement":[
		{"Sid":"Foreign","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/public/*"},
		{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}},
		{"Sid":"LakesyncAKeepDestList","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b"},
		{"Sid":"LakesyncAChangeDestWrite","Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*"},
		{"Sid":"LakesyncGoneDestList","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b"}
	]}`))
	if err != nil {
		t.Fatal(err)
	}
	desired := []Statement{
		{Sid: "LakesyncAKeepDestList", Effect: Allow, Action: Values{"s3:ListBucket"}, Resource: Values{"arn:aws:s3:::b"}},
		{Sid: "LakesyncAChangeDestWrite", Effect: Allow, Action: Values{"s3:PutObject", "s3:GetObject"}, Resource: Values{"arn:aws:s3:::b/*"}},
		{Sid: "LakesyncNewDestList", Effect: Allow, Action: Values{"s3:ListBucket"}, Resource: Values{"arn:aws:s3:::b"}},
	}
	after, err := Merge(before, desired, nil)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Action ChangeAction
		Sid    string
		After  string
	}
	var got []row
	for _, c := range Diff(before, after) {
		got = append(got, row{c.Action, c.Sid, string(c.After)})
	}
	want := []row{
		{NoOp, "LakesyncAKeepDestList", `{"Action":["s3:ListBucket"],"Effect":"Allow","Resource":["arn:aws:s3:::b"],"Sid":"LakesyncAKeepDestList"}`},
		{Update, "LakesyncAChangeDestWrite", `{"Action":["s3:GetObject","s3:PutObject"],"Effect":"Allow","Resource":["arn:aws:s3:::b/*"],"Sid":"LakesyncAChangeDestWrite"}`},
		{Delete, "LakesyncGoneDestList", ""},
		{Create, "LakesyncNewDestList", `{"Action":["s3:ListBucket"],"Effect":"Allow","Resource":["arn:aws:s3:::b"],"Sid":"LakesyncNewDestList"}`},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Diff (-want +got):\n%s", diff)
	}
	if !Changed(Diff(before, after)) || Changed(Diff(after, after)) {
		t.Error("Changed is wrong")
	}
}

func TestDiffForeignChange(t *testing.T) {
	a := &Document{Statements: []Statement{{Effect: Deny, Action: Values{"s3:*"}}, {Sid: "F", Effect: Allow, Action: Values{"x"}}}}
	b := &Document{Statements: []Statement{{Effect: Deny, Action: Values{"s3:Delete*"}}, {Sid: "F", Effect: Allow, Action: Values{"y"}}}}
	var got []string
	for _, c := range Diff(a, b) {
		got = append(got, string(c.Action)+" "+c.Sid)
	}
	want := []string{"delete ", "update F", "create "}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got := Diff(nil, nil); len(got) != 0 {
		t.Errorf("Diff(nil, nil) = %v", got)
	}
}
