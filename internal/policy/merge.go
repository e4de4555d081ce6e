package policy

import (
	"errors"
	"fmt"
)

// Merge writes the desired lakesync statements into the current document.
//
//   - Statements lakesync does not own (Sid without the "Lakesync" prefix)
//     stay exactly as they were, byte for byte, in place and order.
//   - An owned statement whose Sid is desired is replaced in place (kept
//     as is when already Equal); later duplicates of that Sid are dropped.
//   - Owned statements whose Sid is not desired are removed: desired must
//     hold every statement lakesync wants in this document, across all jobs.
//   - Desired statements not yet present are appended, in desired order.
//
// managedJobIDs are the JobIDs of the configuration; every desired Sid must
// belong to one of them (a nil list skips this check). A nil current
// or statement-less document is absent: Merge starts a new one with Version
// 2012-10-17 (unless it had a Version), and returns nil if there is nothing
// to write. A non-nil result may be Empty
// when the document held only lakesync statements; the caller then deletes
// the policy instead of writing it.
func Merge(current *Document, desired []Statement, managedJobIDs []string) (*Document, error) {
	want := make(map[string]Statement, len(desired))
	for i, s := range desired {
		if err := checkDesired(s, managedJobIDs); err != nil {
			return nil, fmt.Errorf("merge policy: desired statement %d: %w", i, err)
		}
		if _, dup := want[s.Sid]; dup {
			return nil, fmt.Errorf("merge policy: Sid %q is desired twice", s.Sid)
		}
		want[s.Sid] = s
	}
	if current.Empty() {
		if len(desired) == 0 {
			return nil, nil
		}
		if current == nil {
			current = &Document{}
		}
	}
	out := &Document{Version: current.Version, ID: current.ID, Extra: current.Extra}
	if out.Version == "" && len(current.Statements) == 0 {
		out.Version = DefaultVersion
	}
	placed := make(map[string]bool, len(desired))
	for _, s := range current.Statements {
		if !Owned(s.Sid) {
			out.Statements = append(out.Statements, s)
			continue
		}
		d, ok := want[s.Sid]
		if !ok || placed[s.Sid] {
			continue
		}
		placed[s.Sid] = true
		if Equal(s, d) {
			out.Statements = append(out.Statements, s)
		} else {
			out.Statements = append(out.Statements, d.clone())
		}
	}
	for _, d := range desired {
		if !placed[d.Sid] {
			out.Statements = append(out.Statements, d.clone())
		}
	}
	return out, nil
}

func checkDesired(s Statement, jobIDs []string) error {
	if !Owned(s.Sid) {
		return fmt.Errorf("statement id %q does not start with %q", s.Sid, SidPrefix)
	}
	if s.Raw != nil {
		return errors.New("desired statements must be generated, not parsed (Raw is set)")
	}
	if jobIDs == nil {
		return nil
	}
	for _, id := range jobIDs {
		if OwnedBy(s.Sid, id) {
			return nil
		}
	}
	return fmt.Errorf("statement id %q belongs to no managed job", s.Sid)
}
