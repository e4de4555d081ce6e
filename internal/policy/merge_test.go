package policy

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// foreignRaw returns the raw bytes of every statement lakesync does not own.
func foreignRaw(d *Document) [][]byte {
	if d == nil {
		return nil
	}
	var out [][]byte
	for _, s := range d.Statements {
		if !Owned(s.Sid) {
			js, _ := s.JSON()
			out = append(out, js)
		}
	}
	return out
}

func sids(d *Document) []string {
	if d == nil {
		return nil
	}
	out := []string{}
	for _, s := range d.Statements {
		out = append(out, s.Sid)
	}
	return out
}

func desiredDest(t *testing.T, g Grant) []Statement {
	t.Helper()
	d, err := Generate(g)
	if err != nil {
		t.Fatal(err)
	}
	return d.DestBucketPolicy
}

func TestMergeKeepsForeignBytes(t *testing.T) {
	// Foreign statements interleaved with owned ones, with odd spacing.
	current := `{"Version":"2012-10-17","Statement":[
	  { "Sid" : "First",  "Effect":"Allow","Principal":{"AWS":"arn:aws:iam::333333333333:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::konfir-datalake-raw/x/*" },
	  {"Sid":"LakesyncProdToLakeDestWrite","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/lakesync-copier"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::konfir-datalake-raw/prod/*"},
	  {"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::konfir-datalake-raw/*","Condition":{"Bool":{"aws:SecureTransport":false}}},
	  {"Sid":"LakesyncGoneJobDestList","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/x"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::konfir-datalake-raw"},
	  {"Sid":"Last","Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::konfir-datalake-raw/logs/*"}
	]}`
	cur, err := Parse([]byte(current))
	if err != nil {
		t.Fatal(err)
	}
	desired := desiredDest(t, pushGrant())
	got, err := Merge(cur, desired, []string{"ProdToLake"})
	if err != nil {
		t.Fatal(err)
	}
	// Owned DestWrite replaced in place, gone job removed, new ones appended.
	wantSids := []string{"First", "LakesyncProdToLakeDestWrite", "", "Last", "LakesyncProdToLakeDestList", "LakesyncProdToLakeDestUploads"}
	if diff := cmp.Diff(wantSids, sids(got)); diff != "" {
		t.Errorf("Sids (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(foreignRaw(cur), foreignRaw(got)); diff != "" {
		t.Errorf("foreign statements changed (-want +got):\n%s", diff)
	}
	js, err := got.JSON()
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range foreignRaw(cur) {
		if !bytes.Contains(js, raw) {
			t.Errorf("encoded document lacks foreign statement bytes %s", raw)
		}
	}
	if !Equal(got.Statements[1], desired[2]) {
		t.Errorf("owned statement not replaced: %s", NormalJSON(got.Statements[1]))
	}
}

func TestMergeIdempotent(t *testing.T) {
	cur, err := Parse([]byte(awsBucketPolicy))
	if err != nil {
		t.Fatal(err)
	}
	desired := desiredDest(t, pushGrant())
	once, err := Merge(cur, desired, []string{"ProdToLake"})
	if err != nil {
		t.Fatal(err)
	}
	js1, _ := once.JSON()
	// Merge again, both on the value and on what AWS would return.
	reparsed, err := Parse(js1)
	if err != nil {
		t.Fatal(err)
	}
	for name, d := range map[string]*Document{"value": once, "reparsed": reparsed} {
		twice, err := Merge(d, desired, []string{"ProdToLake"})
		if err != nil {
			t.Fatal(err)
		}
		js2, _ := twice.JSON()
		if string(js1) != string(js2) {
			t.Errorf("%s: merge twice differs from once:\n%s\n%s", name, js1, js2)
		}
		for _, c := range Diff(d, twice) {
			if c.Action != NoOp {
				t.Errorf("%s: second merge changes %s: %s", name, c.Sid, c.Action)
			}
		}
	}
}

func TestMergeAbsentAndEmpty(t *testing.T) {
	desired := desiredDest(t, pushGrant())
	tests := map[string]struct {
		current   *Document
		desired   []Statement
		wantNil   bool
		wantEmpty bool
		wantSids  []string
		version   string
	}{
		"absent, nothing desired": {current: nil, wantNil: true},
		"empty, nothing desired":  {current: &Document{}, wantNil: true},
		"absent, desired":         {current: nil, desired: desired, wantSids: []string{"LakesyncProdToLakeDestList", "LakesyncProdToLakeDestUploads", "LakesyncProdToLakeDestWrite"}, version: DefaultVersion},
		"only ours, job removed": {
			current:   &Document{Version: "2012-10-17", Statements: []Statement{{Sid: "LakesyncOldDestList", Effect: Allow}}},
			wantEmpty: true, wantSids: []string{}, version: "2012-10-17",
		},
		"foreign kept, old version kept": {
			current:  &Document{Version: "2008-10-17", Statements: []Statement{{Sid: "X", Effect: Deny, Action: Values{"*"}}, {Sid: "LakesyncOldDestList", Effect: Allow}}},
			wantSids: []string{"X"}, version: "2008-10-17",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := Merge(tc.current, tc.desired, []string{"ProdToLake"})
			if err != nil {
				t.Fatal(err)
			}
			if tc.wantNil {
				if got != nil {
					t.Fatalf("got %+v, want nil (nothing to write)", got)
				}
				return
			}
			if got == nil {
				t.Fatal("got nil")
			}
			if got.Empty() != tc.wantEmpty {
				t.Errorf("Empty() = %v, want %v", got.Empty(), tc.wantEmpty)
			}
			if diff := cmp.Diff(tc.wantSids, sids(got)); diff != "" {
				t.Errorf("Sids (-want +got):\n%s", diff)
			}
			if got.Version != tc.version {
				t.Errorf("Version = %q, want %q", got.Version, tc.version)
			}
		})
	}
}

func TestMergeErrors(t *testing.T) {
	ok := Statement{Sid: "LakesyncProdToLakeDestList", Effect: Allow}
	tests := map[string]struct {
		desired []Statement
		jobs    []string
		want    string
	}{
		"foreign Sid":   {[]Statement{{Sid: "Mine", Effect: Allow}}, nil, `does not start with "Lakesync"`},
		"duplicate Sid": {[]Statement{ok, ok}, nil, "desired twice"},
		"unknown job":   {[]Statement{ok}, []string{"Other"}, "belongs to no managed job"},
		"parsed":        {[]Statement{{Sid: ok.Sid, Effect: Allow, Raw: []byte(`{}`)}}, nil, "Raw is set"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := Merge(nil, tc.desired, tc.jobs)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestMergeDuplicateOwnedSid(t *testing.T) {
	cur := &Document{Version: DefaultVersion, Statements: []Statement{
		{Sid: "LakesyncProdToLakeDestList", Effect: Allow, Action: Values{"a"}},
		{Sid: "F", Effect: Allow},
		{Sid: "LakesyncProdToLakeDestList", Effect: Allow, Action: Values{"b"}},
	}}
	desired := desiredDest(t, pushGrant())[:1]
	got, err := Merge(cur, desired, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"LakesyncProdToLakeDestList", "F"}, sids(got)); diff != "" {
		t.Error(diff)
	}
}
