package s3batch

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	s3ctltypes "github.com/aws/aws-sdk-go-v2/service/s3control/types"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/awserr"
	"github.com/lakesync/lakesync/internal/exec/copier"
	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/plan"
)

// Jobs is the part of s3control a Batch Operations copy uses.
type Jobs interface {
	CreateJob(context.Context, *s3control.CreateJobInput, ...func(*s3control.Options)) (*s3control.CreateJobOutput, error)
	DescribeJob(context.Context, *s3control.DescribeJobInput, ...func(*s3control.Options)) (*s3control.DescribeJobOutput, error)
}

// ManifestPutter uploads the manifest.
type ManifestPutter interface {
	PutObject(context.Context, *s3.PutObjectInput, ...func(*s3.Options)) (*s3.PutObjectOutput, error)
}

// Request is what a CreateJob request needs beyond the job.
type Request struct {
	KMSKeyARN      string // the destination CMK; empty: no SSE-KMS header
	ReportBucket   string // completion reports (and, by default, manifests) go here
	ReportPrefix   string
	ManifestBucket string
	ManifestKey    string
	ManifestETag   string // empty until uploaded
	Priority       int32
	// Token is the ClientRequestToken: the same token twice creates one
	// job. Give one derived from the manifest's content.
	Token string
}

// CreateJobInput is the CreateJob request of an S3PutObjectCopy job
// that copies the manifest's objects as the job's copier role, in the
// copier role's account, written with the destination CMK and the bucket
// key, metadata copied, the job's storage class, and a completion report
// of every task.
func CreateJobInput(job *config.Job, r Request) (*s3control.CreateJobInput, error) {
	if job.Role == nil || job.Transfer == config.TransferStream {
		return nil, fmt.Errorf("job %q cannot run on S3 Batch Operations: a Batch job copies server-side as a role; give the job a role and transfer = \"server-side\"", job.Name)
	}
	prefix, err := plan.BatchTargetKeyPrefix(job)
	if err != nil {
		return nil, err
	}
	if r.ReportBucket == "" {
		return nil, fmt.Errorf("job %q: S3 Batch Operations needs a bucket for the completion report: --batch-report s3://BUCKET/PREFIX", job.Name)
	}
	op := &s3ctltypes.S3CopyObjectOperation{
		TargetResource:    aws.String(job.Destination.ARN()),
		MetadataDirective: s3ctltypes.S3MetadataDirectiveCopy,
		StorageClass:      s3ctltypes.S3StorageClass(job.StorageClass),
	}
	if prefix != "" {
		op.TargetKeyPrefix = aws.String(prefix)
	}
	if r.KMSKeyARN != "" {
		op.SSEAwsKmsKeyId = aws.String(r.KMSKeyARN)
		op.BucketKeyEnabled = true
	}
	in := &s3control.CreateJobInput{
		AccountId:            aws.String(job.Role.Account.ID),
		ClientRequestToken:   aws.String(r.Token),
		ConfirmationRequired: aws.Bool(false),
		Description:          aws.String("lakesync " + job.Name),
		Operation:            &s3ctltypes.JobOperation{S3PutObjectCopy: op},
		Priority:             aws.Int32(r.Priority),
		RoleArn:              aws.String(job.Role.ARN()),
		Manifest: &s3ctltypes.JobManifest{
			Spec: &s3ctltypes.JobManifestSpec{
				Format: s3ctltypes.JobManifestFormatS3BatchOperationsCsv20180820,
				Fields: []s3ctltypes.JobManifestFieldName{s3ctltypes.JobManifestFieldNameBucket, s3ctltypes.JobManifestFieldNameKey},
			},
			Location: &s3ctltypes.JobManifestLocation{
				ObjectArn: aws.String("arn:aws:s3:::" + r.ManifestBucket + "/" + r.ManifestKey),
				ETag:      aws.String(r.ManifestETag),
			},
		},
		Report: &s3ctltypes.JobReport{
			Enabled:     true,
			Bucket:      aws.String("arn:aws:s3:::" + r.ReportBucket),
			Prefix:      aws.String(r.ReportPrefix),
			Format:      s3ctltypes.JobReportFormatReportCsv20180820,
			ReportScope: s3ctltypes.JobReportScopeAllTasks,
		},
	}
	return in, nil
}

// WriteManifest writes the manifest of job: one line per source
// object a run would copy (shard restricts it to one shard), merged from
// the source listing, the state and, for sync, the destination listing
// exactly as a run decides. Objects a run would adopt are listed too: Batch
// cannot compare checksums. It returns the number of lines.
func WriteManifest(ctx context.Context, job *config.Job, src copier.SourceReader, dst copier.Lister, store *state.Store, shard plan.Shard, w io.Writer) (int64, error) {
	items, err := copier.PlannedItems(ctx, job, src, dst, store, shard)
	if err != nil {
		return 0, err
	}
	var n int64
	for it, err := range items {
		if err != nil {
			return n, fmt.Errorf("job %q: %w", job.Name, err)
		}
		if it.Source == nil || !(it.ObjectAction.Copies() || it.ObjectAction == plan.ObjectAdopt) {
			continue
		}
		if _, err := io.WriteString(w, plan.ManifestLine(job.Source.BucketName, it.Source.Key)); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// ManifestToken is a ClientRequestToken for a manifest: the same manifest
// of the same job submitted twice creates one Batch job.
func ManifestToken(job string, manifest []byte) string {
	sum := sha256.Sum256(append([]byte(job+"\n"), manifest...))
	return hex.EncodeToString(sum[:])[:32]
}

// Submit uploads the manifest, puts its ETag into the request and
// creates the job. It returns the Batch job id.
func Submit(ctx context.Context, jobs Jobs, up ManifestPutter, in *s3control.CreateJobInput, bucket, key string, manifest []byte) (string, error) {
	// Both requests are made with the credentials of the account that
	// runs the job, known here by its id.
	acct := &config.Account{ID: aws.ToString(in.AccountId)}
	out, err := up.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(manifest), ContentType: aws.String("text/csv")})
	if err != nil {
		return "", fmt.Errorf("upload the manifest: %w", awserr.New("s3:PutObject", awserr.ObjectARN(bucket, key), acct, err))
	}
	// CreateJob takes the ETag without the quotes S3 returns it in.
	in.Manifest.Location.ETag = aws.String(strings.Trim(aws.ToString(out.ETag), `"`))
	res, err := jobs.CreateJob(ctx, in)
	if err != nil {
		return "", fmt.Errorf("create the S3 Batch Operations job: %w", awserr.New("s3:CreateJob", "a job run as "+aws.ToString(in.RoleArn), acct, err))
	}
	return aws.ToString(res.JobId), nil
}
