package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPlanBatchManifest writes the manifest and the CreateJob request of
// the demo job on moto (which has no S3 Batch Operations: nothing is
// submitted) and refuses a job whose source_prefix Batch cannot strip.
func TestPlanBatchManifest(t *testing.T) {
	_, cfg := demoWorld(t, 5)
	dir := t.TempDir()
	code, _, errs := runCLI(t, "", "plan", "-c", cfg, "--batch-manifest", dir, "--batch-report", "s3://lakesync-reports/batch")
	if code != 1 || !strings.Contains(errs, "cannot strip source_prefix") {
		t.Fatalf("plan --batch-manifest of a prefix-swapping job: exit %d, want 1 and why\n%s", code, errs)
	}
	src, _ := os.ReadFile(cfg)
	same := strings.Replace(string(src), `destination_prefix = "prod/"`, `destination_prefix = "exports/"`, 1)
	if err := os.WriteFile(cfg, []byte(same), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "", "plan", "-c", cfg, "--batch-manifest", dir, "--batch-report", "s3://lakesync-reports/batch")
	if code != 0 {
		t.Fatalf("plan --batch-manifest: exit %d\n%s%s", code, out, errs)
	}
	manifest, err := os.ReadFile(filepath.Join(dir, "prod_to_lake.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(manifest)), "\n")
	if len(lines) != 5 || lines[0] != "konfir-prod-data,exports/day%3D00/part-0000.parquet" {
		t.Errorf("manifest:\n%s", manifest)
	}
	var req struct {
		RoleArn   string
		Operation struct {
			S3PutObjectCopy struct {
				TargetResource, SSEAwsKmsKeyId, MetadataDirective string
				TargetKeyPrefix                                   *string
				BucketKeyEnabled                                  bool
			}
		}
		Manifest struct{ Location struct{ ObjectArn string } }
		Report   struct{ Bucket, Prefix, ReportScope string }
	}
	data, err := os.ReadFile(filepath.Join(dir, "prod_to_lake.create-job.json"))
	if err != nil || json.Unmarshal(data, &req) != nil {
		t.Fatalf("create-job.json: %v\n%s", err, data)
	}
	op := req.Operation.S3PutObjectCopy
	if req.RoleArn != "arn:aws:iam::111111111111:role/lakesync-copier" || op.TargetResource != "arn:aws:s3:::konfir-datalake-raw" ||
		op.TargetKeyPrefix != nil || !op.BucketKeyEnabled || !strings.HasPrefix(op.SSEAwsKmsKeyId, "arn:aws:kms:") || op.MetadataDirective != "COPY" ||
		!strings.HasPrefix(req.Manifest.Location.ObjectArn, "arn:aws:s3:::lakesync-reports/batch/lakesync-manifests/prod_to_lake-") ||
		req.Report.Bucket != "arn:aws:s3:::lakesync-reports" || req.Report.Prefix != "batch" || req.Report.ReportScope != "AllTasks" {
		t.Errorf("create-job.json:\n%s", data)
	}
}
