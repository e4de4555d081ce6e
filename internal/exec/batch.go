package exec

import (
	"bytes"
	"context"
	"fmt"
	"path"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	s3ctltypes "github.com/aws/aws-sdk-go-v2/service/s3control/types"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/s3batch"
	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/plan"
)

// batchPriority is the priority of the S3 Batch Operations jobs lakesync
// creates.
const batchPriority = 10

// BatchJob is one job's S3 Batch Operations manifest and CreateJob request.
type BatchJob struct {
	Manifest []byte
	Lines    int64
	Bucket   string // where the manifest is uploaded
	Key      string
	Request  *s3control.CreateJobInput
}

// MakeBatchJob lists what a run of job would copy (one shard of it) and
// builds its manifest and CreateJob request, with the manifests and
// reports under report (s3://BUCKET/PREFIX); the manifest's ETag is filled
// in when it is uploaded.
func MakeBatchJob(ctx context.Context, acc *Accounts, job *config.Job, store *state.Store, shard plan.Shard, report string) (*BatchJob, error) {
	reportBucket, reportPrefix, err := plan.ParseS3URL(report)
	if err != nil {
		return nil, fmt.Errorf("--batch-report: %w", err)
	}
	if _, err := s3batch.CreateJobInput(job, s3batch.Request{ReportBucket: reportBucket}); err != nil {
		return nil, err // refused before any listing
	}
	keyARN, err := acc.DestinationKeyARN(ctx, job, false)
	if err != nil {
		return nil, err
	}
	src, dst, err := acc.BucketClients(ctx, job)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	n, err := s3batch.WriteManifest(ctx, job, src, dst, store, shard, &buf)
	if err != nil {
		return nil, err
	}
	token := s3batch.ManifestToken(job.Name, buf.Bytes())
	bj := &BatchJob{Manifest: buf.Bytes(), Lines: n, Bucket: reportBucket,
		Key: path.Join(reportPrefix, "lakesync-manifests", job.Name+"-"+token[:16]+".csv")}
	bj.Request, err = s3batch.CreateJobInput(job, s3batch.Request{
		KMSKeyARN: keyARN, ReportBucket: reportBucket, ReportPrefix: reportPrefix,
		ManifestBucket: bj.Bucket, ManifestKey: bj.Key, Priority: batchPriority, Token: token})
	return bj, err
}

// SubmitBatchJob uploads bj's manifest and creates its Batch job in the
// copier role's account; it returns the job id.
func SubmitBatchJob(ctx context.Context, acc *Accounts, job *config.Job, bj *BatchJob) (string, error) {
	jobs, err := batchJobs(ctx, acc, job)
	if err != nil {
		return "", err
	}
	up, err := acc.BucketS3(ctx, batchBucket(job, bj.Bucket), 0)
	if err != nil {
		return "", err
	}
	return s3batch.Submit(ctx, jobs, up, bj.Request, bj.Bucket, bj.Key, bj.Manifest)
}

// DescribeBatchJob reads the Batch job jobID that ran job.
func DescribeBatchJob(ctx context.Context, acc *Accounts, job *config.Job, jobID string) (*s3ctltypes.JobDescriptor, error) {
	jobs, err := batchJobs(ctx, acc, job)
	if err != nil {
		return nil, err
	}
	return s3batch.Describe(ctx, jobs, job.Role.Account.ID, jobID)
}

// FoldBatchReport records in store the copies of a complete Batch job
// that can be confirmed on both sides.
func FoldBatchReport(ctx context.Context, acc *Accounts, job *config.Job, d *s3ctltypes.JobDescriptor, store *state.Store) (s3batch.Fold, error) {
	return s3batch.FoldReport(ctx, job, d, batchObjects{acc: acc, job: job}, store)
}

// batchJobs is the s3control client of the copier role's account, where
// the Batch job runs.
func batchJobs(ctx context.Context, acc *Accounts, job *config.Job) (*s3control.Client, error) {
	if job.Role == nil {
		return nil, fmt.Errorf("job %q has no role: S3 Batch Operations runs as the copier role", job.Name)
	}
	cfg, err := acc.Config(ctx, job.Role.Account)
	if err != nil {
		return nil, err
	}
	return s3control.NewFromConfig(cfg), nil
}

// batchObjects reads the completion report with the account's
// credentials and heads the copied objects as the copier role, each
// request signed for the region of the bucket it addresses.
type batchObjects struct {
	acc *Accounts
	job *config.Job
}

func (b batchObjects) GetObject(ctx context.Context, in *s3.GetObjectInput, o ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	c, err := b.acc.BucketS3(ctx, batchBucket(b.job, aws.ToString(in.Bucket)), 0)
	if err != nil {
		return nil, err
	}
	return c.GetObject(ctx, in, o...)
}

func (b batchObjects) HeadObject(ctx context.Context, in *s3.HeadObjectInput, o ...func(*s3.Options)) (*s3.HeadObjectOutput, error) {
	bucket := b.job.Destination
	if aws.ToString(in.Bucket) == b.job.Source.BucketName {
		bucket = b.job.Source
	}
	c, err := b.acc.RoleS3(ctx, b.job.Role, bucket, 0)
	if err != nil {
		return nil, err
	}
	return c.HeadObject(ctx, in, o...)
}

// batchBucket is the bucket of S3 Batch Operations manifests and
// reports, reached with the credentials of the copier role's account (the
// account the Batch job runs in).
func batchBucket(job *config.Job, name string) *config.Bucket {
	return &config.Bucket{Name: "batch-report", Account: job.Role.Account, BucketName: name}
}
