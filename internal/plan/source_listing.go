package plan

import "time"

// SourceListingKind says what a job's source listing is read from.
type SourceListingKind string

// SourceListingInventory: the newest S3 Inventory report under the job's
// source_inventory, instead of listing the source bucket.
const SourceListingInventory SourceListingKind = "inventory"

// SourceListing is where a job's source listing came from when it is not
// a listing of the source bucket (JobData.SourceListing is nil then).
type SourceListing struct {
	Kind SourceListingKind `json:"kind"`
	// Created is the report's creationTimestamp: when S3 began the scan
	// it reports, so objects written or deleted since are not in it.
	Created time.Time `json:"created"`
	// Location is source_inventory as written (s3://BUCKET/PREFIX/),
	// Report the report folder read (s3://BUCKET/.../YYYY-MM-DDTHH-MMZ/).
	Location string `json:"location"`
	Report   string `json:"report"`
	// DataFiles is the number of data files the report's manifest lists:
	// one GET each, besides manifest.json and manifest.checksum.
	DataFiles int `json:"data_files"`
}

// String names the listing as plans and runs say it: "S3 Inventory of
// 2024-05-02 01:00 UTC".
func (l *SourceListing) String() string {
	return "S3 Inventory of " + l.Created.UTC().Format("2006-01-02 15:04 UTC")
}
