package copier

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/state"
)

// overwriter overwrites the source object once, just before the first
// request of the kind named by on goes out: the object changes between
// the listing and its copy.
type overwriter struct {
	*s3.Client
	on   string // "CopyObject", "UploadPartCopy" or "GetObject"
	do   func(ctx context.Context) error
	once sync.Once
	err  error
}

func (o *overwriter) before(ctx context.Context, op string) {
	if op == o.on {
		o.once.Do(func() { o.err = o.do(ctx) })
	}
}

func (o *overwriter) CopyObject(ctx context.Context, in *s3.CopyObjectInput, optFns ...func(*s3.Options)) (*s3.CopyObjectOutput, error) {
	o.before(ctx, "CopyObject")
	return o.Client.CopyObject(ctx, in, optFns...)
}

func (o *overwriter) UploadPartCopy(ctx context.Context, in *s3.UploadPartCopyInput, optFns ...func(*s3.Options)) (*s3.UploadPartCopyOutput, error) {
	o.before(ctx, "UploadPartCopy")
	return o.Client.UploadPartCopy(ctx, in, optFns...)
}

func (o *overwriter) GetObject(ctx context.Context, in *s3.GetObjectInput, optFns ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	o.before(ctx, "GetObject")
	return o.Client.GetObject(ctx, in, optFns...)
}

// TestSourceChangedMidCopy: an object overwritten between the listing
// and its copy is refused by the pin (CopySourceIfMatch / IfMatch, 412),
// for CopyObject, a multipart copy and a stream copy. The run reports the
// object, the state keeps the record of the version copied before (not the
// listed one, not the new one), the destination keeps that version, no
// upload is left, and the next run copies the new version. moto ignores
// x-amz-copy-source-if-match, so for the server-side cases pinEnforcer
// answers on the wire as S3 does; GetObject's If-Match is moto's own.
func TestSourceChangedMidCopy(t *testing.T) {
	tests := []struct {
		name     string
		transfer config.Transfer
		size     int
		on       string
	}{
		{"CopyObject", config.TransferServerSide, 4 << 10, "CopyObject"},
		{"multipart copy", config.TransferServerSide, 6 << 20, "UploadPartCopy"},
		{"stream", config.TransferStream, 4 << 10, "GetObject"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newCopyWorld(t)
			job := w.Job(config.ModeSync, tt.transfer)
			job.MultipartThreshold, job.PartSize = 5<<20, 5<<20
			v1, v2, v3 := body(1, tt.size), body(2, tt.size), body(3, tt.size)
			w.Put(t, "exports/obj", v1)
			if _, _, err := w.run(t, job); err != nil {
				t.Fatalf("first run: %v", err)
			}
			before := w.record(t, job, "exports/obj")
			w.Put(t, "exports/obj", v2) // listed by the next run

			c := w.copier(t, job, nil)
			ow := &overwriter{on: tt.on, do: func(ctx context.Context) error {
				return w.Prod.PutObject(ctx, "prod-data", "exports/obj", v3)
			}}
			if tt.transfer == config.TransferStream {
				ow.Client = w.Prod.S3()
				c.Source = ow
			} else {
				pin := &pinEnforcer{next: http.DefaultTransport, head: w.Prod.S3()}
				ow.Client = s3.NewFromConfig(w.roleConfig(), func(o *s3.Options) {
					o.UsePathStyle = true
					o.HTTPClient = &http.Client{Transport: pin}
				})
				c.Source, c.Destination = ow, ow
				defer func() {
					if pin.pinned.Load() == 0 {
						t.Error("no copy request carried x-amz-copy-source-if-match")
					}
				}()
			}
			sum, err := c.Run(t.Context(), job)
			must(t, c.State.Close())
			must(t, ow.err)
			var failed *ObjectsFailedError
			if !errors.As(err, &failed) || sum.Failed != 1 || sum.Copied != 0 {
				t.Fatalf("run with the source changed mid-copy: copied %d failed %d, err %v; want the object failed", sum.Copied, sum.Failed, err)
			}
			if msg := sum.Failures[0].Err.Error(); !strings.Contains(msg, "PreconditionFailed") && !strings.Contains(msg, "412") {
				t.Errorf("failure %q does not say the source changed (412 PreconditionFailed)", msg)
			}
			if got := w.record(t, job, "exports/obj"); got != before {
				t.Errorf("state record changed by a refused copy:\n got %+v\nwant %+v", got, before)
			}
			if got, _ := w.Get(t, "prod/obj"); !bytes.Equal(got, v1) {
				t.Errorf("destination no longer holds the version copied before")
			}
			w.noUploads(t)

			if _, _, err := w.run(t, job); err != nil {
				t.Fatalf("next run: %v", err)
			}
			if got, _ := w.Get(t, "prod/obj"); !bytes.Equal(got, v3) {
				t.Errorf("the next run did not copy the new version")
			}
			h, err := w.Prod.S3().HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String("prod-data"), Key: aws.String("exports/obj")})
			must(t, err)
			if got := w.record(t, job, "exports/obj"); got.SourceETag != aws.ToString(h.ETag) {
				t.Errorf("state records source ETag %s, want the new version's %s", got.SourceETag, aws.ToString(h.ETag))
			}
		})
	}
}

// pinEnforcer does on the wire what S3 does and moto does not: a copy
// request (CopyObject, UploadPartCopy) whose x-amz-copy-source-if-match
// is not the source's current ETag is answered 412 PreconditionFailed.
// It reads the current ETag with head (the source account's client).
type pinEnforcer struct {
	next   http.RoundTripper
	head   *s3.Client
	pinned atomic.Int64
}

func (p *pinEnforcer) RoundTrip(req *http.Request) (*http.Response, error) {
	src := req.Header.Get("x-amz-copy-source")
	if src == "" {
		return p.next.RoundTrip(req)
	}
	want := req.Header.Get("x-amz-copy-source-if-match")
	if want == "" {
		return p.next.RoundTrip(req) // unpinned: the test fails on pinned == 0
	}
	p.pinned.Add(1)
	path, _, _ := strings.Cut(strings.TrimPrefix(src, "/"), "?")
	path, err := url.PathUnescape(path)
	if err != nil {
		return nil, err
	}
	bucket, key, _ := strings.Cut(path, "/")
	h, err := p.head.HeadObject(req.Context(), &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return nil, err
	}
	if aws.ToString(h.ETag) == want {
		return p.next.RoundTrip(req)
	}
	if req.Body != nil {
		req.Body.Close()
	}
	const body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>PreconditionFailed</Code>` +
		`<Message>At least one of the pre-conditions you specified did not hold</Message>` +
		`<Condition>x-amz-copy-source-If-Match</Condition></Error>`
	return &http.Response{StatusCode: http.StatusPreconditionFailed, Status: "412 Precondition Failed",
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"application/xml"}}, Body: io.NopCloser(strings.NewReader(body)),
		ContentLength: int64(len(body)), Request: req}, nil
}

// record is the state record of sourceKey; it fails the test when none.
func (w *copyWorld) record(t *testing.T, job *config.Job, sourceKey string) (rec struct{ SourceETag, DestETag string }) {
	t.Helper()
	store, err := state.Open(w.State, state.Options{ReadOnly: true})
	must(t, err)
	defer store.Close()
	r, ok, err := store.Get(job.Name, sourceKey)
	must(t, err)
	if !ok {
		t.Fatalf("no state record of %s", sourceKey)
	}
	rec.SourceETag, rec.DestETag = r.SourceETag, r.DestETag
	return rec
}

// noUploads fails the test when a multipart upload is open at the
// destination.
func (w *copyWorld) noUploads(t *testing.T) {
	t.Helper()
	out, err := w.Lake.S3().ListMultipartUploads(t.Context(), &s3.ListMultipartUploadsInput{Bucket: aws.String("lake-raw")})
	must(t, err)
	for _, u := range out.Uploads {
		t.Errorf("upload %s of %s left open", aws.ToString(u.UploadId), aws.ToString(u.Key))
	}
}
