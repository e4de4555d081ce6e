// Package plan computes what lakesync will do, as a value: Compute(config,
// observed) returns a Plan with every policy document's before and after
// and its statement-level diff, the bucket settings to change, each job's
// data actions with counts, bytes and an estimated cost, and the findings
// that stop an apply. It also holds the pure pieces of change detection:
// key selection and mapping, the decision rules, and the merge of sorted
// listings and state records.
//
// plan does no I/O: exec observes the world into an Observed value and
// applies a Plan; cmd/lakesync renders it. A Plan serialises to JSON with a
// format_version; the human view renders the same value.
package plan
