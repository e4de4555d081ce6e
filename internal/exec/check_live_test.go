package exec

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/lakesync/lakesync/internal/config"
)

// liveFake records the live check's requests; each test sets the
// functions it needs.
type liveFake struct {
	list   func(context.Context, *s3.ListObjectsV2Input) (*s3.ListObjectsV2Output, error)
	create func(context.Context, *s3.CreateMultipartUploadInput) (*s3.CreateMultipartUploadOutput, error)
	heads  []string
	aborts []error // the context's error when each abort was made
}

func (f *liveFake) ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, _ ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	return f.list(ctx, in)
}

func (f *liveFake) HeadObject(_ context.Context, in *s3.HeadObjectInput, _ ...func(*s3.Options)) (*s3.HeadObjectOutput, error) {
	f.heads = append(f.heads, aws.ToString(in.Key))
	return &s3.HeadObjectOutput{}, nil
}

func (f *liveFake) CreateMultipartUpload(ctx context.Context, in *s3.CreateMultipartUploadInput, _ ...func(*s3.Options)) (*s3.CreateMultipartUploadOutput, error) {
	return f.create(ctx, in)
}

func (f *liveFake) AbortMultipartUpload(ctx context.Context, _ *s3.AbortMultipartUploadInput, _ ...func(*s3.Options)) (*s3.AbortMultipartUploadOutput, error) {
	f.aborts = append(f.aborts, ctx.Err())
	return &s3.AbortMultipartUploadOutput{}, ctx.Err()
}

func liveJob() *config.Job {
	prod := &config.Account{Name: "prod", ID: prodID}
	lake := &config.Account{Name: "lake", ID: lakeID}
	key := &config.Key{Name: "lake", Account: lake}
	return &config.Job{Name: "j", Transfer: config.TransferServerSide,
		Source:       &config.Bucket{Name: "prod", Account: prod, BucketName: "src"},
		Destination:  &config.Bucket{Name: "lake", Account: lake, BucketName: "dst", Key: key},
		Role:         &config.Role{Name: "copier", Account: prod, RoleName: "copier"},
		SourcePrefix: "in/", DestinationPrefix: "out/"}
}

// The upload is aborted even when the caller's context is cancelled
// while it is being created, and it is created below the destination
// prefix with the key.
func TestCheckLiveAbortsAfterCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	f := &liveFake{}
	f.list = func(context.Context, *s3.ListObjectsV2Input) (*s3.ListObjectsV2Output, error) {
		return &s3.ListObjectsV2Output{Contents: []s3types.Object{{Key: aws.String("in/a")}}}, nil
	}
	var created *s3.CreateMultipartUploadInput
	f.create = func(_ context.Context, in *s3.CreateMultipartUploadInput) (*s3.CreateMultipartUploadOutput, error) {
		created = in
		cancel()
		return &s3.CreateMultipartUploadOutput{UploadId: aws.String("u1")}, nil
	}
	steps := CheckLive(ctx, liveJob(), f, f, "arn:aws:kms:eu-west-1:"+lakeID+":key/k")
	if len(f.aborts) != 1 || f.aborts[0] != nil {
		t.Fatalf("aborts %v, want one with a live context", f.aborts)
	}
	if !steps[3].OK {
		t.Errorf("abort step: %+v", steps[3])
	}
	if k := aws.ToString(created.Key); !strings.HasPrefix(k, "out/.lakesync-check-") {
		t.Errorf("upload key %q is not below the destination prefix", k)
	}
	if created.ServerSideEncryption != s3types.ServerSideEncryptionAwsKms || !strings.HasSuffix(aws.ToString(created.SSEKMSKeyId), "key/k") || !aws.ToBool(created.BucketKeyEnabled) {
		t.Errorf("upload not encrypted with the key: %+v", created)
	}
	if len(f.heads) != 1 || f.heads[0] != "in/a" {
		t.Errorf("heads %v, want the first listed object", f.heads)
	}
}

// A refusal naming a KMS action is reported as the key's permission,
// with the role's and the key's policies as the documents to fix.
func TestCheckLiveNamesKeyPolicy(t *testing.T) {
	denied := &smithy.GenericAPIError{Code: "AccessDenied", Message: "User: x is not authorized to perform: kms:GenerateDataKey on resource: k"}
	f := &liveFake{}
	f.list = func(context.Context, *s3.ListObjectsV2Input) (*s3.ListObjectsV2Output, error) {
		return &s3.ListObjectsV2Output{}, nil
	}
	f.create = func(context.Context, *s3.CreateMultipartUploadInput) (*s3.CreateMultipartUploadOutput, error) {
		return nil, denied
	}
	steps := CheckLive(t.Context(), liveJob(), f, f, "arn:k")
	create := steps[2]
	if create.OK || create.Action != "kms:GenerateDataKey" || create.Resource != "arn:k" || len(create.Documents) != 2 || !strings.HasPrefix(create.Documents[1], "key.lake") {
		t.Errorf("create step: %+v", create)
	}
	if !steps[1].Skipped() || !steps[3].Skipped() || len(f.aborts) != 0 {
		t.Errorf("head and abort should be skipped: %+v %+v, aborts %d", steps[1], steps[3], len(f.aborts))
	}
}
