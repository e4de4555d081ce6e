package exec

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/awserr"
)

// LiveSource is what lakesync check --live calls on the source bucket.
type LiveSource interface {
	ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, optFns ...func(*s3.Options)) (*s3.ListObjectsV2Output, error)
	HeadObject(ctx context.Context, in *s3.HeadObjectInput, optFns ...func(*s3.Options)) (*s3.HeadObjectOutput, error)
}

// LiveDestination is what lakesync check --live calls on the destination
// bucket.
type LiveDestination interface {
	CreateMultipartUpload(ctx context.Context, in *s3.CreateMultipartUploadInput, optFns ...func(*s3.Options)) (*s3.CreateMultipartUploadOutput, error)
	AbortMultipartUpload(ctx context.Context, in *s3.AbortMultipartUploadInput, optFns ...func(*s3.Options)) (*s3.AbortMultipartUploadOutput, error)
}

// LiveStepKind is the request a step of the live check makes; the
// command says it in the user's words.
type LiveStepKind string

// The steps of a live check, in the order they are made.
const (
	StepListSource   LiveStepKind = "list_source"   // list the source under the job's prefix
	StepHeadObject   LiveStepKind = "head_object"   // read the first listed object's metadata
	StepCreateUpload LiveStepKind = "create_upload" // create a multipart upload at the destination
	StepAbortUpload  LiveStepKind = "abort_upload"  // abort that upload
)

// LiveStep is one request of a live access check and its outcome.
type LiveStep struct {
	Kind LiveStepKind // what was tried
	// Prefix is the source prefix listed (StepListSource).
	Prefix string
	// KMSKeyID is the key the upload is encrypted with (StepCreateUpload);
	// empty for none.
	KMSKeyID string
	Action   string // the IAM action it needs, "s3:ListBucket"
	Resource string // the ARN acted on
	OK       bool
	Note     string // why the step was not made, when it was skipped
	// Documents are the documents that must allow Action, most likely
	// culprit first; set when the request was refused.
	Documents []string
	Err       error
}

// Skipped reports whether the step was not made (nothing to act on).
func (s LiveStep) Skipped() bool { return !s.OK && s.Err == nil }

// abortTimeout bounds the abort of the check's upload, which runs even
// after the caller's context is cancelled.
const abortTimeout = 30 * time.Second

// CheckLive proves, without moving data, that the credentials of src and
// dst may do what job's copy does: list the source under its prefix, head
// the first object, and create a multipart upload below the destination
// prefix with the copy's encryption (kmsKeyID, empty for none), which it
// always aborts, even when ctx is cancelled. src and dst are the clients
// the copier uses (for a server-side job both are the copier role's).
func CheckLive(ctx context.Context, job *config.Job, src LiveSource, dst LiveDestination, kmsKeyID string) []LiveStep {
	var steps []LiveStep
	srcBucket := job.Source.BucketName
	list := LiveStep{Kind: StepListSource, Prefix: job.SourcePrefix, Action: "s3:ListBucket", Resource: job.Source.ARN()}
	out, err := src.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(srcBucket), Prefix: aws.String(job.SourcePrefix), MaxKeys: aws.Int32(1)})
	steps = append(steps, finish(list, job, false, err))

	head := LiveStep{Kind: StepHeadObject, Action: "s3:GetObject", Resource: job.Source.ARN() + "/" + job.SourcePrefix + "*"}
	switch {
	case err != nil:
		head.Note = "not tried: the listing failed"
	case len(out.Contents) == 0:
		head.Note = "not tried: no object under the source prefix"
	default:
		key := aws.ToString(out.Contents[0].Key)
		head.Resource = job.Source.ARN() + "/" + key
		_, err := src.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(srcBucket), Key: aws.String(key)})
		head = finish(head, job, false, err)
	}
	steps = append(steps, head)
	return append(steps, checkUpload(ctx, job, dst, kmsKeyID)...)
}

// checkUpload creates a multipart upload at a fresh key below the
// destination prefix and aborts it.
func checkUpload(ctx context.Context, job *config.Job, dst LiveDestination, kmsKeyID string) []LiveStep {
	bucket := job.Destination.BucketName
	key := job.DestinationPrefix + ".lakesync-check-" + strings.ToLower(rand.Text()[:12])
	arn := job.Destination.ARN() + "/" + key
	in := &s3.CreateMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(key)}
	if kmsKeyID != "" {
		in.ServerSideEncryption = s3types.ServerSideEncryptionAwsKms
		in.SSEKMSKeyId = aws.String(kmsKeyID)
		in.BucketKeyEnabled = aws.Bool(true)
	}
	created, err := dst.CreateMultipartUpload(ctx, in)
	create := LiveStep{Kind: StepCreateUpload, KMSKeyID: kmsKeyID, Action: "s3:PutObject", Resource: arn}
	if err != nil && kmsKeyID != "" && strings.Contains(err.Error(), "kms:") {
		// S3 refuses the upload when the caller may not use the key.
		create.Action, create.Resource = "kms:GenerateDataKey", kmsKeyID
	}
	create = finish(create, job, true, err)
	abort := LiveStep{Kind: StepAbortUpload, Action: "s3:AbortMultipartUpload", Resource: arn}
	if err != nil {
		abort.Note = "not tried: no upload was created"
		return []LiveStep{create, abort}
	}
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), abortTimeout)
	defer cancel()
	_, err = dst.AbortMultipartUpload(actx, &s3.AbortMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(key), UploadId: created.UploadId})
	abort = finish(abort, job, true, err)
	if err != nil {
		abort.Err = fmt.Errorf("%w (upload %s of s3://%s/%s is left behind: abort it by hand, or let the bucket's abort-incomplete-uploads rule remove it)", abort.Err, aws.ToString(created.UploadId), bucket, key)
	}
	return []LiveStep{create, abort}
}

// finish records the outcome of a step's request; on refusal it names
// the documents that must grant the step's action.
func finish(s LiveStep, job *config.Job, dest bool, err error) LiveStep {
	if err == nil {
		s.OK = true
		return s
	}
	b := job.Source
	if dest {
		b = job.Destination
	}
	creds := b.Account // stream jobs: each side's own credentials
	if job.Role != nil && job.Transfer != config.TransferStream {
		creds = job.Role.Account
	}
	s.Err = awserr.New(s.Action, s.Resource, creds, err)
	if awserr.IsAccessDenied(err) {
		s.Documents = liveDocuments(job, b, strings.HasPrefix(s.Action, "kms:"))
	}
	return s
}

// liveDocuments are the documents that must allow a request of job's
// copier on bucket b (or on b's key, for kms), the likeliest culprit
// first: the role's own policy, then the resource policy the other
// account needs.
func liveDocuments(job *config.Job, b *config.Bucket, kms bool) []string {
	if job.Role == nil || job.Transfer == config.TransferStream {
		return []string{fmt.Sprintf("the IAM policies of the credentials of account %q (%s); lakesync writes no document for this job", b.Account.Name, b.Account.ID)}
	}
	docs := []string{fmt.Sprintf("role.%s (the lakesync inline policy of role %s)", job.Role.Name, job.Role.RoleName)}
	if job.Role.Policy.External() {
		docs[0] = fmt.Sprintf("role.%s (the attached and inline policies of role %s%s)", job.Role.Name, job.Role.RoleName, externalNote)
	}
	switch {
	case kms && b.Key != nil:
		docs = append(docs, fmt.Sprintf("key.%s (key policy%s)", b.Key.Name, externalOf(b.Key.Policy)))
	case b.Account.ID != job.Role.Account.ID:
		docs = append(docs, fmt.Sprintf("bucket.%s (bucket policy of %s%s)", b.Name, b.BucketName, externalOf(b.Policy)))
	}
	return docs
}

// externalNote marks a document another tool owns, in the live check's
// list of documents to look at.
const externalNote = `; policy = "external": add the statements of lakesync export terraform`

func externalOf(o config.Ownership) string {
	if o.External() {
		return externalNote
	}
	return ""
}
