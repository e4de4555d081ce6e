// Package s3inventory writes S3 Inventory reports in AWS's documented
// layout for tests: PREFIX/SOURCE-BUCKET/CONFIG-ID/data/*.csv.gz data files
// (gzipped CSV, keys URL-encoded), and PREFIX/SOURCE-BUCKET/CONFIG-ID/
// YYYY-MM-DDTHH-MMZ/manifest.json (sourceBucket, creationTimestamp,
// fileFormat, fileSchema, files with their sizes and MD5s) with its
// manifest.checksum.
//
// It relies on the standard library only, returns the report's objects
// as a map of key to body (the test puts them where it likes, on moto or
// in a fake), and must never import a lakesync product package.
package s3inventory
