// Package s3batch hands a job's copy to S3 Batch Operations: it writes
// the manifest of the objects a run would copy (through the copier's
// merge), builds and submits the CreateJob request, reads a job's status
// and folds its completion report into the state, recording only the
// copies it can confirm on both sides.
//
// It relies on config, plan, the state store, the copier's merge and
// awserr, and receives its AWS clients as consumer-side interfaces with
// the SDK's signatures (Jobs, ManifestPutter, Objects). It must never
// import the exec root: exec builds its clients (exec/batch.go).
package s3batch
