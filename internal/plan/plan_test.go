package plan

import "testing"

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
