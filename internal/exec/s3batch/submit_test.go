package s3batch

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	s3ctltypes "github.com/aws/aws-sdk-go-v2/service/s3control/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/lakesync/lakesync/internal/config"
)

// recordingBatch records the requests; no local backend implements S3
// Batch Operations, so the request shape is what can be tested.
type recordingBatch struct {
	createJob   func(*s3control.CreateJobInput) (*s3control.CreateJobOutput, error)
	putObject   func(*s3.PutObjectInput) (*s3.PutObjectOutput, error)
	created     []*s3control.CreateJobInput
	put         []*s3.PutObjectInput
	putBodies   []string
	describeJob func(*s3control.DescribeJobInput) (*s3control.DescribeJobOutput, error)
}

func (r *recordingBatch) CreateJob(_ context.Context, in *s3control.CreateJobInput, _ ...func(*s3control.Options)) (*s3control.CreateJobOutput, error) {
	r.created = append(r.created, in)
	return r.createJob(in)
}

func (r *recordingBatch) DescribeJob(_ context.Context, in *s3control.DescribeJobInput, _ ...func(*s3control.Options)) (*s3control.DescribeJobOutput, error) {
	return r.describeJob(in)
}

func (r *recordingBatch) PutObject(_ context.Context, in *s3.PutObjectInput, _ ...func(*s3.Options)) (*s3.PutObjectOutput, error) {
	body, _ := io.ReadAll(in.Body)
	r.put = append(r.put, in)
	r.putBodies = append(r.putBodies, string(body))
	return r.putObject(in)
}

func batchTestJob(srcPrefix, dstPrefix string) *config.Job {
	prod := &config.Account{Name: "prod", ID: "111111111111"}
	lake := &config.Account{Name: "lake", ID: "222222222222"}
	return &config.Job{
		Name:              "prod_to_lake",
		Source:            &config.Bucket{Account: prod, BucketName: "konfir-prod-data"},
		Destination:       &config.Bucket{Account: lake, BucketName: "konfir-datalake-raw"},
		Role:              &config.Role{Account: prod, RoleName: "lakesync-copier"},
		Mode:              config.ModeSync,
		SourcePrefix:      srcPrefix,
		DestinationPrefix: dstPrefix,
		Transfer:          config.TransferServerSide,
		StorageClass:      "INTELLIGENT_TIERING",
	}
}

func TestSubmitBatchJobRequest(t *testing.T) {
	rec := &recordingBatch{
		putObject: func(*s3.PutObjectInput) (*s3.PutObjectOutput, error) {
			return &s3.PutObjectOutput{ETag: aws.String(`"0123456789abcdef0123456789abcdef"`)}, nil
		},
		createJob: func(*s3control.CreateJobInput) (*s3control.CreateJobOutput, error) {
			return &s3control.CreateJobOutput{JobId: aws.String("a1b2c3d4-job")}, nil
		},
	}
	const kmsARN = "arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	in, err := CreateJobInput(batchTestJob("", "prod/"), Request{
		KMSKeyARN: kmsARN, ReportBucket: "lakesync-reports", ReportPrefix: "batch",
		ManifestBucket: "lakesync-reports", ManifestKey: "batch/lakesync-manifests/prod_to_lake-x.csv",
		Priority: 10, Token: "token-1"})
	if err != nil {
		t.Fatal(err)
	}
	manifest := []byte("konfir-prod-data,day%3D00/a.parquet\n")
	id, err := Submit(t.Context(), rec, rec, in, "lakesync-reports", "batch/lakesync-manifests/prod_to_lake-x.csv", manifest)
	if err != nil || id != "a1b2c3d4-job" {
		t.Fatalf("Submit: %q, %v", id, err)
	}
	if len(rec.put) != 1 || aws.ToString(rec.put[0].Bucket) != "lakesync-reports" || aws.ToString(rec.put[0].Key) != "batch/lakesync-manifests/prod_to_lake-x.csv" || rec.putBodies[0] != string(manifest) {
		t.Errorf("manifest upload: %d puts, %+v", len(rec.put), rec.putBodies)
	}
	if len(rec.created) != 1 {
		t.Fatalf("%d CreateJob calls, want 1", len(rec.created))
	}
	want := &s3control.CreateJobInput{
		AccountId:            aws.String("111111111111"),
		ClientRequestToken:   aws.String("token-1"),
		ConfirmationRequired: aws.Bool(false),
		Description:          aws.String("lakesync prod_to_lake"),
		Priority:             aws.Int32(10),
		RoleArn:              aws.String("arn:aws:iam::111111111111:role/lakesync-copier"),
		Operation: &s3ctltypes.JobOperation{S3PutObjectCopy: &s3ctltypes.S3CopyObjectOperation{
			TargetResource:    aws.String("arn:aws:s3:::konfir-datalake-raw"),
			TargetKeyPrefix:   aws.String("prod/"),
			SSEAwsKmsKeyId:    aws.String(kmsARN),
			BucketKeyEnabled:  true,
			MetadataDirective: s3ctltypes.S3MetadataDirectiveCopy,
			StorageClass:      s3ctltypes.S3StorageClassIntelligentTiering,
		}},
		Manifest: &s3ctltypes.JobManifest{
			Spec: &s3ctltypes.JobManifestSpec{
				Format: s3ctltypes.JobManifestFormatS3BatchOperationsCsv20180820,
				Fields: []s3ctltypes.JobManifestFieldName{"Bucket", "Key"},
			},
			Location: &s3ctltypes.JobManifestLocation{
				ObjectArn: aws.String("arn:aws:s3:::lakesync-reports/batch/lakesync-manifests/prod_to_lake-x.csv"),
				ETag:      aws.String("0123456789abcdef0123456789abcdef"), // without S3's quotes
			},
		},
		Report: &s3ctltypes.JobReport{
			Enabled: true, Bucket: aws.String("arn:aws:s3:::lakesync-reports"), Prefix: aws.String("batch"),
			Format: s3ctltypes.JobReportFormatReportCsv20180820, ReportScope: s3ctltypes.JobReportScopeAllTasks,
		},
	}
	ignore := cmpopts.IgnoreUnexported(s3control.CreateJobInput{}, s3ctltypes.JobOperation{}, s3ctltypes.S3CopyObjectOperation{},
		s3ctltypes.JobManifest{}, s3ctltypes.JobManifestSpec{}, s3ctltypes.JobManifestLocation{}, s3ctltypes.JobReport{})
	if d := cmp.Diff(want, rec.created[0], ignore); d != "" {
		t.Errorf("CreateJob request (-want +got):\n%s", d)
	}
}

func TestBatchCreateJobInputRefuses(t *testing.T) {
	req := Request{ReportBucket: "r"}
	if _, err := CreateJobInput(batchTestJob("exports/", "prod/"), req); err == nil {
		t.Error("a job that strips source_prefix must be refused")
	}
	in, err := CreateJobInput(batchTestJob("exports/", "exports/"), req)
	if err != nil || in.Operation.S3PutObjectCopy.TargetKeyPrefix != nil {
		t.Errorf("same prefixes: %v, target prefix %v; want none", err, in)
	}
	stream := batchTestJob("", "")
	stream.Transfer = config.TransferStream
	if _, err := CreateJobInput(stream, req); err == nil {
		t.Error("a stream job must be refused")
	}
	if _, err := CreateJobInput(batchTestJob("", ""), Request{}); err == nil {
		t.Error("no report bucket must be refused")
	}
}

// A refused CreateJob names the account and the permissions it needs.
func TestSubmitBatchJobDeniedNamesAccountAndPermission(t *testing.T) {
	rec := &recordingBatch{
		putObject: func(*s3.PutObjectInput) (*s3.PutObjectOutput, error) {
			return &s3.PutObjectOutput{ETag: aws.String(`"e"`)}, nil
		},
		createJob: func(*s3control.CreateJobInput) (*s3control.CreateJobOutput, error) {
			return nil, apiErr("AccessDenied", "Access Denied")
		},
	}
	in, err := CreateJobInput(batchTestJob("", ""), Request{ReportBucket: "r", ManifestBucket: "r", ManifestKey: "m.csv"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Submit(t.Context(), rec, rec, in, "r", "m.csv", []byte("b,k\n"))
	if err == nil {
		t.Fatal("a refused CreateJob succeeded")
	}
	for _, want := range []string{"account 111111111111", "s3:CreateJob (and iam:PassRole", "arn:aws:iam::111111111111:role/lakesync-copier"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
}
