package policy

import (
	"encoding/json"
)

// ChangeAction is what happens to one statement.
type ChangeAction string

// Change actions, as the plan shows them.
const (
	Create ChangeAction = "create"
	Update ChangeAction = "update"
	Delete ChangeAction = "delete"
	NoOp   ChangeAction = "no-op"
)

// StatementChange is one line of a statement-level diff. Before and After
// are normalised JSON (NormalJSON); nil when the statement is absent.
type StatementChange struct {
	Action ChangeAction    `json:"action"`
	Sid    string          `json:"sid,omitempty"`
	Owned  bool            `json:"owned"`
	Before json.RawMessage `json:"before,omitempty"`
	After  json.RawMessage `json:"after,omitempty"`
}

// Diff compares two versions of a document statement by statement.
// Statements with a Sid are matched by Sid; statements without one are
// matched by their normalised form. Lakesync's statements appear with every
// action including no-op; foreign statements appear only when they changed
// (which Merge never does). Changes follow the order of before, then the
// statements created in the order of after. Either document may be nil.
func Diff(before, after *Document) []StatementChange {
	var bs, as []Statement
	if before != nil {
		bs = before.Statements
	}
	if after != nil {
		as = after.Statements
	}
	afterBySid := map[string][]int{}
	afterByForm := map[string][]int{}
	for i, s := range as {
		if s.Sid != "" {
			afterBySid[s.Sid] = append(afterBySid[s.Sid], i)
		} else {
			k := string(NormalJSON(s))
			afterByForm[k] = append(afterByForm[k], i)
		}
	}
	used := make([]bool, len(as))
	take := func(m map[string][]int, k string) (int, bool) {
		idx := m[k]
		if len(idx) == 0 {
			return 0, false
		}
		m[k] = idx[1:]
		used[idx[0]] = true
		return idx[0], true
	}
	var out []StatementChange
	for _, b := range bs {
		bj := NormalJSON(b)
		var j int
		var ok bool
		if b.Sid != "" {
			j, ok = take(afterBySid, b.Sid)
		} else {
			j, ok = take(afterByForm, string(bj))
		}
		c := StatementChange{Sid: b.Sid, Owned: Owned(b.Sid), Before: bj}
		switch {
		case !ok:
			c.Action = Delete
		default:
			c.After = NormalJSON(as[j])
			c.Action = Update
			if string(c.After) == string(bj) {
				c.Action = NoOp
			}
		}
		if c.Action == NoOp && !c.Owned {
			continue
		}
		out = append(out, c)
	}
	for i, a := range as {
		if !used[i] {
			out = append(out, StatementChange{Action: Create, Sid: a.Sid, Owned: Owned(a.Sid), After: NormalJSON(a)})
		}
	}
	return out
}

// Changed reports whether a diff holds anything but no-ops.
func Changed(changes []StatementChange) bool {
	for _, c := range changes {
		if c.Action != NoOp {
			return true
		}
	}
	return false
}
