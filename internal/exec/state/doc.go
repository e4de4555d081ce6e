// Package state is lakesync's embedded state store: one bbolt file (mode
// 0600, its directory 0700) holding, per job, one record per source key of
// the last copy (plan.StateRecord), the multipart uploads in flight, and
// the restore requests sent for archived objects not yet copied
// (plan.RestoreRequest).
//
// Records are written by a Committer in batches as objects complete, so a
// killed run loses at most the objects of the last batch and never records
// an object that was not fully written. bbolt's file lock keeps two runs
// off one file; a damaged file gives an error naming it (ErrCorrupt), and a
// file of a newer format is refused. Records iterates a job in key order in
// short read transactions, the sorted stream plan.Merge consumes.
//
// state relies on go.etcd.io/bbolt and on plan for the record type.
package state
