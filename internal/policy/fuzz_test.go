package policy

import (
	"bytes"
	"testing"
)

// FuzzParseMerge: parsing never panics; merging keeps every foreign
// statement byte for byte and in order; merging twice equals merging once;
// Diff, NormalJSON and Evaluate never panic on parsed input.
func FuzzParseMerge(f *testing.F) {
	f.Add([]byte(awsBucketPolicy))
	f.Add([]byte(`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`))
	f.Add([]byte(`{"Version":"2012-10-17","Statement":[{"Sid":"LakesyncProdToLakeDestList","Effect":"Allow","Action":"s3:ListBucket"}]}`))
	desired, err := Generate(pushGrant())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Parse(data)
		if err != nil {
			return
		}
		for _, s := range doc.Statements {
			_ = NormalJSON(s)
		}
		for _, r := range Required(pushGrant()) {
			_ = Evaluate(r, Documents{Identity: map[string]*Document{"i": doc}, Resource: map[string]*Document{r.Policy: doc}})
		}
		_ = CheckKeyAdmin(DestKeyDoc, doc, lakeAcct)
		once, err := Merge(doc, desired.DestBucketPolicy, nil)
		if err != nil {
			t.Fatal(err)
		}
		if diff := foreignRaw(doc); !equalBytes(diff, foreignRaw(once)) {
			t.Fatalf("foreign statements changed:\n%q\n%q", diff, foreignRaw(once))
		}
		js1, err := once.JSON()
		if err != nil {
			t.Fatalf("merged document does not encode: %v", err)
		}
		twice, err := Merge(once, desired.DestBucketPolicy, nil)
		if err != nil {
			t.Fatal(err)
		}
		js2, _ := twice.JSON()
		if !bytes.Equal(js1, js2) {
			t.Fatalf("merge twice differs:\n%s\n%s", js1, js2)
		}
		reparsed, err := Parse(js1)
		if err != nil {
			t.Fatalf("merged document does not parse: %v\n%s", err, js1)
		}
		again, err := Merge(reparsed, desired.DestBucketPolicy, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !equalBytes(foreignRaw(doc), foreignRaw(again)) {
			t.Fatalf("foreign statements changed after a round trip")
		}
		for _, c := range Diff(doc, once) {
			if !c.Owned && c.Action != NoOp {
				t.Fatalf("diff reports a foreign change: %+v", c)
			}
		}
	})
}

func equalBytes(a, b [][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}
