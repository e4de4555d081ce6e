package plan

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRefText: a plan's addresses are written as the configuration spells
// them ("bucket.lake"), and a plan file written before addresses were
// typed reads back into the same Ref.
func TestRefText(t *testing.T) {
	const saved = `{"address":"key.lake","kind":"key_policy"}` // as format 1.1 files hold it
	var d struct {
		Address Ref    `json:"address"`
		Kind    string `json:"kind"`
	}
	if err := json.Unmarshal([]byte(saved), &d); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Ref{Kind: KindKey, Name: "lake"}, d.Address); diff != "" {
		t.Errorf("decoded address (-want +got):\n%s", diff)
	}
	out, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != saved {
		t.Errorf("encoded %s, want %s", out, saved)
	}
	for _, r := range []Ref{{KindBucket, "lake"}, {KindKey, "lake"}, {KindRole, "copier"}} {
		var back Ref
		if err := back.UnmarshalText([]byte(r.String())); err != nil || back != r {
			t.Errorf("%v read back as %v, %v", r, back, err)
		}
	}
}

// TestRefTextRefused: an address that names no block kind is an error,
// not a Ref that matches nothing.
func TestRefTextRefused(t *testing.T) {
	for _, text := range []string{"", "lake", "bucket.", "bucket_policy.lake", "Bucket.lake", ".lake"} {
		var r Ref
		if err := r.UnmarshalText([]byte(text)); err == nil {
			t.Errorf("%q read as %v, want an error", text, r)
		}
	}
}
