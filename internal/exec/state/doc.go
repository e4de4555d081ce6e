// Package state is lakesync's embedded state store: one bbolt file (mode
// 0600, its directory 0700) holding, per job, one record per source key of
// the last copy (plan.StateRecord), the multipart uploads in flight (with
// the source ETag, part size and transfer each was started for, so a
// later run can resume it: uploads.go), and
// the restore requests sent for archived objects not yet copied
// (plan.RestoreRequest).
//
// The file is format version 2 (FormatVersion): records in a compact
// encoding (encoding.go, about 40 bytes of value), pages filled to 90%
// as records come in key order, about 150 bytes a record on disk at 1 M
// records (BenchmarkStateScale, docs/state.md). A file of version 1 is
// migrated into a new file when opened for writing, and read as it is
// when opened read-only.
//
// With Options.TrackChanges a store remembers which entries changed;
// TakeChanges gives them with their values and ApplyChanges replays them
// on another copy: what the remote state uploads at a checkpoint.
//
// Records are written by a Committer in batches as objects complete, so a
// killed run loses at most the objects of the last batch and never records
// an object that was not fully written. bbolt's file lock keeps two runs
// off one file; a damaged file gives an error naming it (ErrCorrupt), and a
// file of a newer format is refused. Records iterates a job in key order in
// short read transactions, the sorted stream plan.Merge consumes.
//
// Where a run's state lives is a Location, a value built once from the
// configuration's state block and the shard (NewLocation; the shard's
// suffix goes on the path or key, the configuration is never changed). A
// Backend opens it: File here, s3state.Backend for S3 (exec.StateBackend
// picks one and builds the S3 client). Opening gives a Session: the store,
// the context the run must work under (cancelled when an S3 lock is lost)
// and Close.
//
// state relies on go.etcd.io/bbolt, on plan for the record type and the
// shard, and on config for the state block. It must never import the exec
// root or another exec sub-package.
package state
