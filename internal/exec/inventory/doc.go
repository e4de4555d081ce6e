// Package inventory reads an S3 Inventory report as a job's source
// listing: for buckets too large to list on every run, the daily or
// weekly report S3 writes of the bucket replaces ListObjectsV2 on the
// source side.
//
// Open finds the newest complete report under a config.InventoryLocation
// (AWS's layout: PREFIX/SOURCE-BUCKET/CONFIG-ID/YYYY-MM-DDTHH-MMZ/
// manifest.json and manifest.checksum, data files under
// PREFIX/SOURCE-BUCKET/CONFIG-ID/data/), checks the manifest against its
// checksum and against the job's source bucket, and returns a Report that
// carries the report's date. Report.Objects reads the data files (CSV,
// gzip), checks each against the MD5 the manifest gives, and yields the
// current objects under the job's source prefix as plan.SourceObjects in
// key order, as a listing would. Data files are not sorted across files,
// so Objects sorts by external merge: runs of at most Options.RunRows rows
// are sorted in memory and written to temporary files, then merged; its
// memory is bounded by the run size whatever the size of the bucket.
//
// It relies on config for the location, plan for the object type, awserr
// for AWS errors, and receives its S3 client as the consumer-side
// interface BucketReader (the SDK's exact signatures). It writes only its
// temporary run files, never prints, and must never import the exec root:
// exec builds the client (the principal that lists the source, see
// config.InventoryLocation) and hands it in.
package inventory
