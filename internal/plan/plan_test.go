package plan

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestHasChangesAndPolicyChanges(t *testing.T) {
	noop := func() *Plan {
		return &Plan{
			Documents: []*DocumentChange{{Action: ActionNoOp}},
			Settings:  []*SettingChange{{Action: ActionNoOp}},
			Jobs:      []*JobPlan{{Data: &JobData{}}, {}},
		}
	}
	tests := []struct {
		name           string
		edit           func(*Plan)
		policy, change bool
	}{
		{"nothing", func(*Plan) {}, false, false},
		{"document", func(p *Plan) { p.Documents[0].Action = ActionUpdate }, true, true},
		{"setting", func(p *Plan) { p.Settings[0].Action = ActionCreate }, true, true},
		{"copy", func(p *Plan) { p.Jobs[0].Data.Copy.Objects = 1 }, false, true},
		{"delete", func(p *Plan) { p.Jobs[0].Data.Delete.Objects = 1 }, false, true},
		{"adopt", func(p *Plan) { p.Jobs[0].Data.Adopt.Objects = 1 }, false, true},
		{"unchanged data", func(p *Plan) { p.Jobs[0].Data.Unchanged.Objects = 1 }, false, false},
	}
	for _, tt := range tests {
		p := noop()
		tt.edit(p)
		if got := p.PolicyChanges(); got != tt.policy {
			t.Errorf("%s: PolicyChanges = %v, want %v", tt.name, got, tt.policy)
		}
		if got := p.HasChanges(); got != tt.change {
			t.Errorf("%s: HasChanges = %v, want %v", tt.name, got, tt.change)
		}
	}
}

// TestTotals: the one-line summary counts documents by action, the
// settings that change, and the copies and deletes of the jobs whose data
// was listed.
func TestTotals(t *testing.T) {
	p := &Plan{
		Documents: []*DocumentChange{{Action: ActionCreate}, {Action: ActionUpdate}, {Action: ActionUpdate},
			{Action: ActionDelete}, {Action: ActionDelete}, {Action: ActionDelete}, {Action: ActionNoOp}},
		Settings: []*SettingChange{{Action: ActionCreate}, {Action: ActionUpdate}, {Action: ActionNoOp}},
		Jobs: []*JobPlan{
			{Data: &JobData{Copy: Count{Objects: 3, Bytes: 30}, Delete: Count{Objects: 2, Bytes: 5}}},
			{}, // not listed
			{Data: &JobData{Copy: Count{Objects: 1, Bytes: 7}, Delete: Count{Objects: 4, Bytes: 1}, Unchanged: Count{Objects: 9, Bytes: 9}}},
		},
	}
	want := Totals{Create: 1, Update: 2, Delete: 3, Settings: 2, Copy: Count{Objects: 4, Bytes: 37}, DeleteObjects: 6}
	if diff := cmp.Diff(want, p.Totals()); diff != "" {
		t.Errorf("Totals (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(Totals{}, (&Plan{}).Totals()); diff != "" {
		t.Errorf("empty plan (-want +got):\n%s", diff)
	}
}

// TestItemClone: an item's objects point into the merge's buffers; a
// clone owns copies of them, so the next item cannot change it.
func TestItemClone(t *testing.T) {
	src := SourceObject{Key: "s/a", Size: 1, ETag: `"s"`}
	rec := StateRecord{SourceKey: "s/a", SourceETag: `"s"`, DestKey: "d/a", DestETag: `"d"`}
	dst := DestinationObject{Key: "d/a", Size: 1, ETag: `"d"`}
	rr := RestoreRequest{SourceKey: "s/a", SourceETag: `"s"`, Tier: "Bulk"}
	it := Item{Rel: "a", Source: &src, Record: &rec, Destination: &dst, Restore: &rr, ObjectAction: ObjectNew, Reason: "new"}
	c := it.Clone()
	want := Item{Rel: "a", Source: &SourceObject{Key: "s/a", Size: 1, ETag: `"s"`},
		Record:       &StateRecord{SourceKey: "s/a", SourceETag: `"s"`, DestKey: "d/a", DestETag: `"d"`},
		Destination:  &DestinationObject{Key: "d/a", Size: 1, ETag: `"d"`},
		Restore:      &RestoreRequest{SourceKey: "s/a", SourceETag: `"s"`, Tier: "Bulk"},
		ObjectAction: ObjectNew, Reason: "new"}
	// The merge overwrites its buffers with the next key.
	src, rec, dst, rr = SourceObject{Key: "s/b"}, StateRecord{SourceKey: "s/b"}, DestinationObject{Key: "d/b"}, RestoreRequest{SourceKey: "s/b"}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("clone after the buffers changed (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(Item{Rel: "x"}, Item{Rel: "x"}.Clone()); diff != "" {
		t.Errorf("clone of an item without objects (-want +got):\n%s", diff)
	}
}
