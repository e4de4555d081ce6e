package config

import (
	"fmt"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

// TestDiagnosticDetails checks what the user reads for the errors of the
// invalid fixtures whose hint carries information: the column the error
// points at and the detail, which says what to write instead.
func TestDiagnosticDetails(t *testing.T) {
	const s3Example = `state { backend = "s3"  bucket = "NAME"  key = "lakesync/prod.state"  account = account.NAME }`
	tests := []struct {
		file    string
		line    int
		summary string
		column  int
		detail  string
	}{
		// A suggested block name keeps every letter, digit, '_' and '-',
		// replaces any other character, and starts with a letter.
		{"names.hcl", 8, "Invalid block name", 6, `The name "a.b" cannot be used in references. Use letters, digits, '_' and '-', starting with a letter, e.g. "a_b".`},
		{"names.hcl", 13, "Invalid block name", 6, `The name "z.b" cannot be used in references. Use letters, digits, '_' and '-', starting with a letter, e.g. "z_b".`},
		{"names.hcl", 18, "Invalid block name", 6, `The name "A.b" cannot be used in references. Use letters, digits, '_' and '-', starting with a letter, e.g. "A_b".`},
		{"names.hcl", 23, "Invalid block name", 6, `The name "Z.b" cannot be used in references. Use letters, digits, '_' and '-', starting with a letter, e.g. "Z_b".`},
		{"names.hcl", 28, "Invalid block name", 6, `The name "9_-0.x" cannot be used in references. Use letters, digits, '_' and '-', starting with a letter, e.g. "x9_-0_x".`},
		{"names.hcl", 33, "Invalid block name", 6, `The name "" cannot be used in references. Use letters, digits, '_' and '-', starting with a letter, e.g. "x".`},
		{"names.hcl", 38, "Invalid block name", 6, `The name "données" cannot be used in references. Use letters, digits, '_' and '-', starting with a letter, e.g. "donn_es".`},
		{"names.hcl", 60, "Invalid job name", 1, `The job name "__" has no letters or digits, which lakesync needs to name its policy statements. Rename it, e.g. sync "prod_to_lake".`},

		{"keys.hcl", 38, "Alias ARN given as key ARN", 13, `arn must be a key ARN (…:key/ID). To name the key by alias, write alias = "alias/lake" instead.`},

		{"endpoints.hcl", 5, "Invalid endpoint URL", 18, `"ftp://s3.example.com" is not an http(s) URL: write it like "https://s3.eu-west-1.amazonaws.com" or "http://127.0.0.1:9000".`},

		// The region hint names the bucket to ask S3 about, or NAME.
		{"regions.hcl", 24, "Invalid region", 13, `"us-east" is not an AWS region name: write the region the bucket was created in, like region = "us-east-1" (aws s3api get-bucket-location --bucket konfir-short tells; an empty answer means us-east-1).`},
		{"regions.hcl", 67, "Invalid region", 13, `"eu" is not an AWS region name: write the region the bucket was created in, like region = "us-east-1" (aws s3api get-bucket-location --bucket NAME tells; an empty answer means us-east-1).`},
		// A key in another region: the hint says where the bucket's region
		// comes from, its own attribute or its account.
		{"regions.hcl", 43, "Key in another region", 13, `bucket.east_with_west_key is in us-east-1 (its region attribute), but key.west's ARN is in eu-west-1. S3 encrypts only with a key in the bucket's own region: name a key in us-east-1, or, if the bucket is in fact in eu-west-1, write region = "eu-west-1" in bucket "east_with_west_key".`},
		{"regions.hcl", 49, "Key in another region", 13, `bucket.default_with_east_key is in eu-west-1 (account.lake's region), but key.east's ARN is in us-east-1. S3 encrypts only with a key in the bucket's own region: name a key in eu-west-1, or, if the bucket is in fact in us-east-1, write region = "us-east-1" in bucket "default_with_east_key".`},
		{"regions.hcl", 62, "Key in another region", 13, `bucket.alias_west is in eu-west-1 (account.lake's region), but key.alias (alias/datalake) is already used by bucket.alias_east in us-east-1, and an alias names one key per region. Declare a key block for eu-west-1 (the same alias if you like) and use it here.`},
		// A migration moves a bucket to another account or region; one
		// that names neither says so.
		{"migration.hcl", 52, "Migration to the bucket's own account", 22, `bucket.prod is already in account.prod, region eu-west-1: to names the account the bucket moves to, and region the region. Write to = account.NAME naming another account, or region = "REGION" naming another region; or, when lakesync migrate own_account has moved it already, remove this migration block.`},
		{"migration.hcl", 95, "Key in another region", 22, `The bucket is recreated in eu-central-1, but key.prod (alias/prod) is already used by bucket.keyed in eu-west-1, and an alias names one key per region. Declare a key block for eu-central-1 (the same alias if you like) and use it here.`},

		// A job without a destination prefix writes the whole bucket: the
		// error points at its destination.
		{"jobs.hcl", 108, "Overlapping destination prefixes", 17, `sync "h" writes "konfir-lake" under prefix "" and sync "a" (testdata/invalid/jobs.hcl:32,1-9) writes it under "a/": one prefix contains the other, so each job would treat the other's objects as its own. Give each job a destination prefix of its own, e.g. "a/" and "h/".`},

		{"limits.hcl", 39, "Concurrency out of range", 25, `concurrency is the number of requests in flight, from 1 to 4096, or "auto" (the default: adaptive, starting at 64); 0 is out of range.`},
		{"concurrency.hcl", 41, "Invalid concurrency", 24, `concurrency is "auto" (the default: adaptive, starting at 64 requests in flight) or a whole number of requests in flight from 1 to 4096, not "fast". Write concurrency = "auto" or a number, like concurrency = 256.`},
		{"concurrency.hcl", 50, "Concurrency out of range", 24, `concurrency is the number of requests in flight, from 1 to 4096, or "auto" (the default: adaptive, starting at 64); 4097 is out of range.`},
		{"concurrency.hcl", 59, "Invalid concurrency", 24, `concurrency is "auto" (the default: adaptive, starting at 64 requests in flight) or a whole number of requests in flight from 1 to 4096, not 1.5. Write concurrency = "auto" or a number, like concurrency = 256.`},
		{"concurrency.hcl", 77, "Invalid request rate", 29, `max_requests_per_second is the most requests the job starts per second, retries included: a positive number like 500 (remove it for no cap); "lots" is not.`},
		{"concurrency.hcl", 86, "Bandwidth on a server-side job", 24, `bandwidth caps the bytes per second a stream job moves through this machine; a server-side job's bytes never pass through it (S3 copies them with CopyObject and UploadPartCopy), so there is nothing to cap. Remove bandwidth, or set transfer = "stream".`},
		{"concurrency.hcl", 95, "Invalid bandwidth", 24, `bandwidth: "fast" is not a bandwidth: write bytes per second as a size, like "200MiB" or "1GB/s".`},
		{"concurrency.hcl", 104, "Invalid bandwidth", 24, `bandwidth: "0MiB/s" is no bandwidth: write at least one byte per second, like "200MiB" (remove it for no cap).`},
		{"limits.hcl", 41, "Size out of range", 25, `part_size must be between 5MiB and 5GiB (S3's limits); "5242879" is out of range.`},
		{"limits.hcl", 51, "Size out of range", 25, `multipart_threshold must be between 5MiB and 5GiB (S3's limits); "5368709121" is out of range.`},

		{"limits.hcl", 54, "Invalid restore days", 25, `restore_days is how many days a restored copy stays readable, at least 1 (default 3); 2147483648 is out of range. Give the runs of the job time to copy it: more days than between two runs.`},

		// An unknown tier lists S3's tiers; a known one in the wrong case
		// gets its spelling.
		{"archived.hcl", 49, "Invalid restore tier", 24, `restore_tier is "Bulk" (the default: cheapest, 5-12 hours from GLACIER, up to 48 hours from DEEP_ARCHIVE), "Standard" (3-5 hours, 12 hours from DEEP_ARCHIVE) or "Expedited" (1-5 minutes, GLACIER only), not "Fast".`},
		{"archived.hcl", 60, "Invalid restore tier", 24, `S3's tier names are capitalised: write restore_tier = "Bulk", not "bulk".`},
		// A restore setting without archived = "restore" says which archived
		// is in force, and whether it is the default.
		{"archived.hcl", 70, `restore_tier without archived = "restore"`, 3, `restore_tier shapes the restore requests that archived = "restore" sends; with archived = "skip" (the default) nothing is restored. Set archived = "restore", or remove restore_tier.`},
		{"archived.hcl", 81, `restore_days without archived = "restore"`, 3, `restore_days shapes the restore requests that archived = "restore" sends; with archived = "fail" nothing is restored. Set archived = "restore", or remove restore_days.`},

		// An inventory location is an s3:// URL of a bucket and a prefix
		// that ends with '/': the hint writes the value fixed where it can.
		{"inventory.hcl", 39, "Invalid inventory location", 24, `source_inventory is "https://konfir-inventory/reports/"; write the S3 URL of the bucket and prefix the inventory reports are delivered to, like source_inventory = "s3://konfir-inventory/reports/".`},
		{"inventory.hcl", 48, "Invalid inventory location", 24, `source_inventory is "konfir-inventory/reports/"; write the S3 URL of the bucket and prefix the inventory reports are delivered to, like source_inventory = "s3://BUCKET/PREFIX/".`},
		{"inventory.hcl", 57, "Invalid inventory location", 24, `"Konfir_Inventory" is not a valid S3 bucket name: it must be lower case. Write the bucket the inventory reports are delivered to, like source_inventory = "s3://BUCKET/PREFIX/".`},
		{"inventory.hcl", 66, "Invalid inventory location", 24, `The prefix "reports" names a folder of inventory reports, so it ends with '/': write source_inventory = "s3://konfir-inventory/reports/".`},
		{"inventory.hcl", 75, "Invalid inventory location", 24, `"" is not a valid S3 bucket name: it must be 3 to 63 characters long. Write the bucket the inventory reports are delivered to, like source_inventory = "s3://BUCKET/PREFIX/".`},
		{"inventory.hcl", 84, "Invalid inventory location", 24, `The prefix "/reports/" starts with '/': one '/' separates the bucket from the prefix in s3://BUCKET/PREFIX/, and S3 keys rarely start with one. Write source_inventory = "s3://konfir-inventory/reports/".`},

		// The policy attribute says what each value means.
		{"ownership.hcl", 9, "Invalid policy ownership", 13, `"terraform" says nothing lakesync knows about who owns the key policy of this key: write policy = "managed" (lakesync writes its statements into it; the default) or policy = "external" (another tool, such as Terraform, owns it: lakesync checks it, never writes it, and lakesync export terraform prints the statements to add).`},

		{"versions.hcl", 38, "Invalid source_as_of", 24, `source_as_of is an RFC 3339 time, with a date, a time and a zone, like source_as_of = "2026-11-30T00:00:00Z"; "2026-11-30" is not one.`},
		{"versions.hcl", 39, "Invalid object_lock", 24, `object_lock is "bucket-default" (the default: the destination bucket's default retention applies) or "copy" (copy each source object's retention mode, retain-until date and legal hold), not "Copy". Did you mean "copy"?`},
		{"versions.hcl", 49, "source_as_of with source_inventory", 3, `An S3 Inventory report lists the versions current when it was made, not at source_as_of. Remove source_inventory to list the source's versions, or remove source_as_of.`},

		// create = true: versioning needs it; a created bucket needs a key
		// and lakesync's own settings.
		{"create.hcl", 15, "versioning without create", 16, `versioning is only meaningful with create = true: lakesync enables versioning on a bucket it creates, never on an existing one. Add create = true to bucket "versioned_existing", or remove versioning (aws s3api put-bucket-versioning enables it on an existing bucket).`},
		{"create.hcl", 21, "create without key", 13, `bucket "no_key" has create = true but no key: a bucket lakesync creates is encrypted by default with a customer-managed key. Add key = key.NAME, naming a key block in account "lake".`},
		{"create.hcl", 29, "create with policy = \"external\"", 13, `bucket "external" has create = true and policy = "external": lakesync would set the settings of the bucket it creates, which another tool owns. Remove create = true and let that tool create the bucket, or remove policy = "external".`},

		{"state_s3_empty.hcl", 1, "Incomplete S3 state block", 1, `The S3 backend needs bucket, key and account; missing: bucket, key and account. Write e.g. ` + s3Example + `.`},
		{"state_s3_incomplete.hcl", 6, "Incomplete S3 state block", 1, `The S3 backend needs bucket, key and account; missing: key and account. Write e.g. ` + s3Example + `.`},
	}
	parsed := map[string]hcl.Diagnostics{}
	for _, tt := range tests {
		diags, ok := parsed[tt.file]
		if !ok {
			path := "testdata/invalid/" + tt.file
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			l := NewLoader(os.ReadFile, os.LookupEnv)
			l.LookupEnv = noEnv
			_, diags = l.Parse(src, path)
			parsed[tt.file] = diags
		}
		var got []string
		for _, d := range diags {
			if d.Subject != nil && d.Subject.Start.Line == tt.line && d.Summary == tt.summary {
				got = append(got, fmt.Sprintf("column %d: %s", d.Subject.Start.Column, d.Detail))
			}
		}
		want := []string{fmt.Sprintf("column %d: %s", tt.column, tt.detail)}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s:%d %s (-want +got):\n%s", tt.file, tt.line, tt.summary, diff)
		}
	}
}
