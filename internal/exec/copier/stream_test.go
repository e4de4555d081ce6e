package copier

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakesync/lakesync/internal/config"
)

// TestStreamSmallCarriesAttributes: a stream copy of a small object (one
// GET, one PUT) writes the bytes, the content type and encoding, the
// user metadata and the tags, encrypted with the destination CMK and the
// bucket key.
func TestStreamSmallCarriesAttributes(t *testing.T) {
	w := newCopyWorld(t)
	ctx := t.Context()
	b := body(5, 3000)
	_, err := w.Prod.S3().PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("prod-data"), Key: aws.String("exports/small.json"),
		Body: bytes.NewReader(b), ContentType: aws.String("application/json"), ContentEncoding: aws.String("identity"),
		CacheControl: aws.String("max-age=60"), Metadata: map[string]string{"owner": "ml-team", "batch": "42"},
		Tagging: aws.String("pii=no&team=ml")})
	must(t, err)
	job := w.Job(config.ModeSync, config.TransferStream)
	if _, _, err := w.run(t, job); err != nil {
		t.Fatalf("stream run: %v", err)
	}
	got, out := w.Get(t, "prod/small.json")
	if !bytes.Equal(got, b) {
		t.Errorf("bytes differ: %d copied, %d at source", len(got), len(b))
	}
	if aws.ToString(out.ContentType) != "application/json" || aws.ToString(out.ContentEncoding) != "identity" || aws.ToString(out.CacheControl) != "max-age=60" {
		t.Errorf("headers: type %q encoding %q cache %q", aws.ToString(out.ContentType), aws.ToString(out.ContentEncoding), aws.ToString(out.CacheControl))
	}
	if out.Metadata["owner"] != "ml-team" || out.Metadata["batch"] != "42" || len(out.Metadata) != 2 {
		t.Errorf("metadata %v, want owner=ml-team batch=42", out.Metadata)
	}
	if out.ServerSideEncryption != s3types.ServerSideEncryptionAwsKms || aws.ToString(out.SSEKMSKeyId) != w.KeyARN || !aws.ToBool(out.BucketKeyEnabled) {
		t.Errorf("encryption %q key %q bucket key %v, want aws:kms with %s and the bucket key", out.ServerSideEncryption, aws.ToString(out.SSEKMSKeyId), aws.ToBool(out.BucketKeyEnabled), w.KeyARN)
	}
	tags, err := w.Lake.S3().GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("lake-raw"), Key: aws.String("prod/small.json")})
	must(t, err)
	m := map[string]string{}
	for _, tag := range tags.TagSet {
		m[aws.ToString(tag.Key)] = aws.ToString(tag.Value)
	}
	if len(m) != 2 || m["pii"] != "no" || m["team"] != "ml" {
		t.Errorf("tags %v, want pii=no team=ml", m)
	}
}

// resizingSource answers GetObject with a body delta bytes longer (>0)
// or shorter (<0) than the object, as a broken proxy or endpoint might.
type resizingSource struct {
	CopySource
	delta int
}

func (s *resizingSource) GetObject(ctx context.Context, in *s3.GetObjectInput, optFns ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	out, err := s.CopySource.GetObject(ctx, in, optFns...)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(out.Body)
	out.Body.Close()
	if err != nil {
		return nil, err
	}
	if s.delta > 0 {
		b = append(b, bytes.Repeat([]byte("+"), s.delta)...)
	} else {
		b = b[:len(b)+s.delta]
	}
	out.Body = io.NopCloser(bytes.NewReader(b))
	return out, nil
}

// TestStreamBodyOfTheWrongSize: a body shorter or longer than the listed
// size is an error naming the object; nothing is written or recorded.
func TestStreamBodyOfTheWrongSize(t *testing.T) {
	for _, tt := range []struct {
		name  string
		delta int
		want  string
	}{
		{"longer", 7, "larger than listed"},
		{"shorter", -7, "unexpected EOF"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := newCopyWorld(t)
			w.Put(t, "exports/obj", body(1, 5000))
			job := w.Job(config.ModeSync, config.TransferStream)
			c := w.copier(t, job, nil)
			c.Source = &resizingSource{CopySource: c.Source, delta: tt.delta}
			sum, err := c.Run(t.Context(), job)
			var failed *ObjectsFailedError
			if !errors.As(err, &failed) || sum.Failed != 1 || sum.Copied != 0 {
				t.Fatalf("copied %d failed %d, err %v; want the object failed", sum.Copied, sum.Failed, err)
			}
			if msg := sum.Failures[0].Err.Error(); !strings.Contains(msg, tt.want) || !strings.Contains(msg, "s3://prod-data/exports/obj") {
				t.Errorf("failure %q, want %q naming s3://prod-data/exports/obj", msg, tt.want)
			}
			if _, ok, err := c.State.Get(job.Name, "exports/obj"); err != nil || ok {
				t.Errorf("state records the object (%v, %v)", ok, err)
			}
			must(t, c.State.Close())
			if keys := w.DestinationKeys(t); len(keys) != 0 {
				t.Errorf("destination holds %v", keys)
			}
		})
	}
}
