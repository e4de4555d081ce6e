package faultproxy_test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakesync/lakesync/internal/testenv/faultproxy"
)

// s3Client is an SDK S3 client through the proxy with the standard
// retryer (3 attempts), its backoff shortened and its retry quota off so
// the test does not sleep or run out of tokens, and an HTTP client timeout
// for Slow faults.
func s3Client(p *faultproxy.Proxy) *s3.Client {
	return s3.New(s3.Options{
		Region:       "eu-west-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDFAULTPROXY", "secret", ""),
		BaseEndpoint: aws.String(p.URL),
		UsePathStyle: true,
		HTTPClient:   &http.Client{Timeout: 500 * time.Millisecond},
		Retryer:      fastRetryer(),
	})
}

// fastRetryer is the SDK's standard retryer (3 attempts) with a 1 ms
// backoff and no retry quota.
func fastRetryer() aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxBackoff = time.Millisecond
		o.RateLimiter = ratelimit.None
	})
}

// The SDK retries every fault the proxy injects when the answer is read
// inside the operation, including the 200-with-error of CopyObject and
// CompleteMultipartUpload.
func TestSDKRetriesFaults(t *testing.T) {
	list := func(t *testing.T, c *s3.Client) error {
		out, err := c.ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: aws.String("b")})
		if err == nil && len(out.Contents) != 2 {
			t.Errorf("listed %d objects, want 2", len(out.Contents))
		}
		return err
	}
	copyObject := func(t *testing.T, c *s3.Client) error {
		out, err := c.CopyObject(t.Context(), &s3.CopyObjectInput{Bucket: aws.String("b"), Key: aws.String("k"), CopySource: aws.String("src/k")})
		if err == nil && aws.ToString(out.CopyObjectResult.ETag) != `"copied"` {
			t.Errorf("copy ETag %q", aws.ToString(out.CopyObjectResult.ETag))
		}
		return err
	}
	complete := func(t *testing.T, c *s3.Client) error {
		out, err := c.CompleteMultipartUpload(t.Context(), &s3.CompleteMultipartUploadInput{Bucket: aws.String("b"), Key: aws.String("k"), UploadId: aws.String("u1")})
		if err == nil && aws.ToString(out.ETag) != `"done-2"` {
			t.Errorf("complete ETag %q", aws.ToString(out.ETag))
		}
		return err
	}
	tests := []struct {
		name string
		rule faultproxy.Rule
		op   func(*testing.T, *s3.Client) error
		// forwarded is how many attempts reached the backend.
		forwarded int64
	}{
		{"slowdown burst", faultproxy.Rule{Kind: faultproxy.SlowDown, Every: 1, Burst: 2, Max: 2}, list, 1},
		{"internal error", faultproxy.Rule{Kind: faultproxy.InternalError, Every: 1, Max: 2}, list, 1},
		{"reset mid-body", faultproxy.Rule{Kind: faultproxy.Reset, Every: 1, Max: 2}, list, 3},
		{"slow beyond the timeout", faultproxy.Rule{Kind: faultproxy.Slow, Every: 1, Max: 1, Delay: time.Hour}, list, 1},
		{"200 error on CopyObject", faultproxy.Rule{Kind: faultproxy.OKWithError, Every: 1, Max: 2}, copyObject, 3},
		{"200 error on CompleteMultipartUpload", faultproxy.Rule{Kind: faultproxy.OKWithError, Every: 1, Max: 2}, complete, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			backend, url := newFakeS3(t)
			p := startProxy(t, url, faultproxy.Config{Rules: []faultproxy.Rule{tt.rule}})
			if err := tt.op(t, s3Client(p)); err != nil {
				t.Fatalf("the SDK did not survive %s: %v", tt.rule.Kind, err)
			}
			c := p.Counts()
			if c.Faults[tt.rule.Kind] != tt.rule.Max || c.Requests != tt.rule.Max+1 {
				t.Errorf("counts %v, want %d %s and one clean attempt", c, tt.rule.Max, tt.rule.Kind)
			}
			if got := backend.requests.Load(); got != tt.forwarded {
				t.Errorf("backend saw %d attempts, want %d", got, tt.forwarded)
			}
		})
	}
}

// Three faults in a row exhaust the standard retryer's three attempts: the
// error reaches the caller with the S3 code.
func TestSDKGivesUpAfterMaxAttempts(t *testing.T) {
	_, url := newFakeS3(t)
	p := startProxy(t, url, faultproxy.Config{Rules: []faultproxy.Rule{{Kind: faultproxy.OKWithError, Every: 1}}})
	_, err := s3Client(p).CopyObject(t.Context(), &s3.CopyObjectInput{Bucket: aws.String("b"), Key: aws.String("k"), CopySource: aws.String("src/k")})
	if err == nil || !strings.Contains(err.Error(), "InternalError") {
		t.Fatalf("CopyObject: %v, want InternalError after 3 attempts", err)
	}
	if c := p.Counts(); c.Faults[faultproxy.OKWithError] != 3 {
		t.Errorf("counts %v, want 3 attempts faulted", c)
	}
}

// GetObject returns before its body is read, so a reset in the middle of
// the body is NOT retried by the SDK: the caller's read fails and the
// caller must retry. The copy engine's stream transfer must handle this.
func TestSDKGetObjectResetReachesTheReader(t *testing.T) {
	_, url := newFakeS3(t)
	p := startProxy(t, url, faultproxy.Config{Rules: []faultproxy.Rule{{Kind: faultproxy.Reset, Every: 1, Max: 1}}})
	c := s3Client(p)
	out, err := c.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("b"), Key: aws.String("k")})
	if err != nil {
		t.Fatalf("GetObject: %v (the headers arrived intact)", err)
	}
	body, err := io.ReadAll(out.Body)
	out.Body.Close()
	if err == nil || len(body) >= len(objectBody) {
		t.Fatalf("read %d of %d bytes, error %v: want a failed read", len(body), len(objectBody), err)
	}
	// The caller's own retry gets the whole object.
	out, err = c.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("b"), Key: aws.String("k")})
	if err != nil {
		t.Fatal(err)
	}
	defer out.Body.Close()
	body, err = io.ReadAll(out.Body)
	if err != nil || !bytes.Equal(body, objectBody) {
		t.Errorf("second GetObject: %d bytes, %v", len(body), err)
	}
}
