// Package copier is lakesync's copy engine: Copier lists the source, the
// state records and (sync) the destination as sorted streams, merges them
// with plan.Merge into decisions, and copies (CopyObject, multipart
// UploadPartCopy, or a stream through this process), adopts, restores and
// deletes with one bounded request pool, recording each object in the
// state once it is fully written and emitting typed CopyEvents to a
// listener. A run lists in key ranges (plan.KeyRange), ListParallelism
// at once under the one pool, each merged on its own with
// plan.MergeRange (ranges.go, schedule.go). ObserveData and PlannedItems
// make the same merge without copying, for a plan and a Batch manifest,
// as one stream; Verify compares both sides.
//
// It relies on plan for the decisions, state for the records, awserr for
// errors and retry classification, and receives its S3 clients as the
// consumer-side interfaces of api.go (the SDK's exact signatures). It
// never prints, and must never import the exec root: exec builds the
// clients and hands them in.
package copier
