// Package migrate moves a bucket to another account under its own name
// (lakesync migrate NAME): the six recorded steps of a migration block,
// through a temporary bucket in the destination account.
//
// It relies on the engine that apply runs, never a second copy of it: the
// copy steps are sync jobs derived from the migration block (derive.go),
// planned with plan.Compute, their policies and bucket settings applied
// with exec.ApplyPolicies, copied by copier.Copier with the state records
// and checked by copier.VerifyExact. Whole-bucket operations (counting,
// the settings that do not move, refusals, emptying, creating while the
// name is held) are package bucketops. Each step's completion is a
// state.MigrationRecord, committed before the step's "done" event is sent,
// so a killed migration resumes at its step.
//
// It sends typed events to a Listener and never prints; cmd/lakesync
// renders them. It must never import cmd/lakesync or its views.
package migrate
