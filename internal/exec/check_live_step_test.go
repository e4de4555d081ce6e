package exec

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/google/go-cmp/cmp"
)

// TestCheckLiveStepKinds: the live check's steps are typed, in order, and
// carry what the command needs to say them: the prefix listed and the
// key the upload is encrypted with.
func TestCheckLiveStepKinds(t *testing.T) {
	f := &liveFake{}
	f.list = func(context.Context, *s3.ListObjectsV2Input) (*s3.ListObjectsV2Output, error) {
		return &s3.ListObjectsV2Output{Contents: []s3types.Object{{Key: aws.String("in/a")}}}, nil
	}
	f.create = func(context.Context, *s3.CreateMultipartUploadInput) (*s3.CreateMultipartUploadOutput, error) {
		return &s3.CreateMultipartUploadOutput{UploadId: aws.String("u1")}, nil
	}
	const key = "arn:aws:kms:eu-west-1:" + lakeID + ":key/k"
	type row struct {
		Kind             LiveStepKind
		Prefix, KMSKeyID string
	}
	var got []row
	for _, s := range CheckLive(t.Context(), liveJob(), f, f, key) {
		got = append(got, row{s.Kind, s.Prefix, s.KMSKeyID})
	}
	want := []row{{StepListSource, "in/", ""}, {StepHeadObject, "", ""}, {StepCreateUpload, "", key}, {StepAbortUpload, "", ""}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("steps (-want +got):\n%s", diff)
	}
}
