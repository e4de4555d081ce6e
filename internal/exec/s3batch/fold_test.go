package s3batch

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3ctltypes "github.com/aws/aws-sdk-go-v2/service/s3control/types"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/copier"
	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/plan"
)

// A completion report folded into the state records exactly the copies
// that can be confirmed on both sides, and the next run copies only the
// rest. No local backend runs S3 Batch Operations: the copies Batch would
// have made are made here with CopyObject, and the report is written the
// way Batch writes it (manifest.json naming CSV result files).
func TestFoldBatchReportOnMoto(t *testing.T) {
	w := newCopyWorld(t)
	ctx := t.Context()
	must(t, w.Lake.CreateBucket(ctx, "batch-reports"))
	client := w.RoleS3(time.Hour, 10*time.Minute, nil)
	job := w.Job(config.ModeSync, config.TransferServerSide)

	keys := []string{"a.csv", "with space+plus.csv", "missing.csv", "refused.csv"}
	for i, k := range keys {
		w.Put(t, "exports/"+k, body(i, 300))
	}
	// What Batch copied: the first two. missing.csv is reported succeeded
	// but is not at the destination; refused.csv is reported failed.
	for _, k := range keys[:2] {
		_, err := client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("lake-raw"), Key: aws.String("prod/" + k),
			CopySource: aws.String(copier.CopySourceHeader("prod-data", "exports/"+k, ""))})
		must(t, err)
	}
	csv := strings.Join([]string{
		"prod-data," + plan.EncodeManifestKey("exports/"+keys[0]) + ",,succeeded,200,,Successful",
		"prod-data," + plan.EncodeManifestKey("exports/"+keys[1]) + ",,succeeded,200,,Successful",
		"prod-data," + plan.EncodeManifestKey("exports/"+keys[2]) + ",,succeeded,200,,Successful",
		"prod-data," + plan.EncodeManifestKey("exports/"+keys[3]) + ",,failed,AccessDenied,403,Access Denied",
		"other-bucket,exports/x.csv,,succeeded,200,,Successful", // not this job's: unknown
	}, "\n") + "\n"
	must(t, w.Lake.PutObject(ctx, "batch-reports", "reports/job-J1/results/part-1.csv", []byte(csv)))
	must(t, w.Lake.PutObject(ctx, "batch-reports", "reports/job-J1/manifest.json", []byte(
		`{"Format":"Report_CSV_20180820","ReportCreationDate":"2026-11-22T00:00:00Z","Results":[`+
			`{"TaskExecutionStatus":"succeeded","Bucket":"batch-reports","MD5Checksum":"x","Key":"reports/job-J1/results/part-1.csv"}]}`)))

	store, err := state.Open(w.State, state.Options{})
	must(t, err)
	d := &s3ctltypes.JobDescriptor{JobId: aws.String("J1"), Status: s3ctltypes.JobStatusComplete,
		Report: &s3ctltypes.JobReport{Enabled: true, Bucket: aws.String("arn:aws:s3:::batch-reports"), Prefix: aws.String("reports")}}
	fold, err := FoldReport(ctx, job, d, client, store)
	must(t, err)
	if fold.Recorded != 2 || fold.Unknown != 2 || len(fold.Failed) != 1 || fold.Failed[0].Key != "exports/refused.csv" {
		t.Fatalf("fold = %+v, want 2 recorded, 2 unknown (missing.csv, other bucket), 1 failed (refused.csv)", fold)
	}
	var recorded []string
	for rec, err := range store.Records(ctx, job.Name, job.SourcePrefix) {
		must(t, err)
		head, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("lake-raw"), Key: aws.String(rec.DestKey)})
		must(t, err)
		if rec.DestETag != aws.ToString(head.ETag) || rec.Size != 300 {
			t.Errorf("record %s: destination ETag %s, size %d; the object has %s, 300", rec.SourceKey, rec.DestETag, rec.Size, aws.ToString(head.ETag))
		}
		recorded = append(recorded, rec.SourceKey)
	}
	if got, want := fmt.Sprint(recorded), fmt.Sprint([]string{"exports/a.csv", "exports/with space+plus.csv"}); got != want {
		t.Errorf("recorded %s, want %s", got, want)
	}
	store.Close()

	// The next run copies only what Batch did not.
	c := w.copier(t, job)
	sum, err := c.Run(t.Context(), job)
	must(t, err)
	if sum.Copied != 2 || sum.Skipped != 2 {
		t.Errorf("next run: copied %d, skipped %d; want 2 copied (missing, refused), 2 skipped", sum.Copied, sum.Skipped)
	}
}

// deniedObjects refuses every read, as a role without s3:GetObject would.
type deniedObjects struct{}

func (deniedObjects) GetObject(context.Context, *s3.GetObjectInput, ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	return nil, apiErr("AccessDenied", "Access Denied")
}

func (deniedObjects) HeadObject(context.Context, *s3.HeadObjectInput, ...func(*s3.Options)) (*s3.HeadObjectOutput, error) {
	return nil, apiErr("AccessDenied", "Access Denied")
}

// A completion report that cannot be read is named with the account whose
// credentials read it and the permission they lack.
func TestFoldBatchReportDeniedNamesAccountAndPermission(t *testing.T) {
	job := batchTestJob("", "")
	d := &s3ctltypes.JobDescriptor{JobId: aws.String("J1"),
		Report: &s3ctltypes.JobReport{Enabled: true, Bucket: aws.String("arn:aws:s3:::batch-reports"), Prefix: aws.String("reports")}}
	_, err := FoldReport(t.Context(), job, d, deniedObjects{}, nil)
	if err == nil {
		t.Fatal("a refused report read succeeded")
	}
	for _, want := range []string{`account "prod" (111111111111)`, "s3:GetObject", "arn:aws:s3:::batch-reports/reports/job-J1/manifest.json"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
}
