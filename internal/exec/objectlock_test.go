package exec

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/testenv/world"
)

// writeRecorder is a reverse proxy in front of moto that records, for
// each PutObject and UploadPart (a PUT without x-amz-copy-source), which
// integrity header it carried: S3 refuses both on an Object Lock bucket
// without Content-MD5 or an x-amz-checksum-* value (in a header, or in
// the trailer x-amz-trailer announces).
type writeRecorder struct {
	mu     sync.Mutex
	writes map[string][]string // "PutObject" or "UploadPart" -> the checksum header of each, "" when none
}

func newWriteRecorder(t *testing.T, backend string) (*writeRecorder, string) {
	t.Helper()
	u, err := url.Parse(backend)
	must(t, err)
	rec := &writeRecorder{writes: map[string][]string{}}
	proxy := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut && r.Header.Get("x-amz-copy-source") == "" {
			op := ""
			switch q := r.URL.Query(); {
			case q.Has("partNumber") && q.Has("uploadId"):
				op = "UploadPart"
			case (q.Get("x-id") == "PutObject" || len(q) == 0) && strings.Count(strings.Trim(r.URL.Path, "/"), "/") >= 1:
				op = "PutObject"
			}
			if op != "" {
				rec.mu.Lock()
				rec.writes[op] = append(rec.writes[op], integrityHeader(r.Header))
				rec.mu.Unlock()
			}
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return rec, srv.URL
}

// integrityHeader names the integrity value a request carries: a
// Content-MD5 or x-amz-checksum-* header, or the x-amz-checksum-* trailer
// x-amz-trailer announces; "" when none.
func integrityHeader(h http.Header) string {
	if h.Get("Content-MD5") != "" {
		return "Content-MD5"
	}
	for name := range h {
		if l := strings.ToLower(name); strings.HasPrefix(l, "x-amz-checksum-") && l != "x-amz-checksum-type" {
			return l
		}
	}
	if t := strings.ToLower(h.Get("x-amz-trailer")); strings.HasPrefix(t, "x-amz-checksum-") {
		return "trailer " + t
	}
	return ""
}

// lockedBuckets creates a source and a destination bucket with Object
// Lock and points the world's buckets at them.
func lockedBuckets(t *testing.T, w *copyWorld) {
	t.Helper()
	for _, b := range []struct {
		c    *s3.Client
		name string
	}{{w.Prod.S3(), "prod-locked"}, {w.Lake.S3(), "lake-locked"}} {
		_, err := b.c.CreateBucket(t.Context(), &s3.CreateBucketInput{Bucket: aws.String(b.name), ObjectLockEnabledForBucket: aws.Bool(true),
			CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraintEuWest1}})
		must(t, err)
	}
	w.Src.BucketName, w.Dst.BucketName = "prod-locked", "lake-locked"
}

// With object_lock = "copy", each copy carries its source's retention
// mode, retain-until date and legal hold, by CopyObject and by stream
// (PutObject, and a multipart upload then PutObjectRetention and
// PutObjectLegalHold); with "bucket-default" none of them. Every
// PutObject and UploadPart of the stream copies carries a checksum, as an
// Object Lock bucket demands.
func TestObjectLockCopy(t *testing.T) {
	until := time.Now().Add(24 * time.Hour).UTC().Truncate(time.Second)
	big := world.Body(1, 6<<20) // two parts of 5 MiB at most
	for _, tt := range []struct {
		transfer config.Transfer
		lock     config.ObjectLock
	}{
		{config.TransferStream, config.ObjectLockCopy},
		{config.TransferServerSide, config.ObjectLockCopy},
		{config.TransferStream, config.ObjectLockBucketDefault},
	} {
		t.Run(string(tt.transfer)+" "+string(tt.lock), func(t *testing.T) {
			w := newCopyWorld(t)
			lockedBuckets(t, w)
			ctx := t.Context()
			src := w.Prod.S3()
			put := func(key string, body []byte, in s3.PutObjectInput) {
				in.Bucket, in.Key, in.Body = aws.String("prod-locked"), aws.String(key), strings.NewReader(string(body))
				in.ChecksumAlgorithm = s3types.ChecksumAlgorithmCrc32
				_, err := src.PutObject(ctx, &in)
				must(t, err)
			}
			put("exports/retained", []byte("r"), s3.PutObjectInput{ObjectLockMode: s3types.ObjectLockModeGovernance, ObjectLockRetainUntilDate: aws.Time(until)})
			put("exports/held", []byte("h"), s3.PutObjectInput{ObjectLockLegalHoldStatus: s3types.ObjectLockLegalHoldStatusOn})
			put("exports/plain", []byte("p"), s3.PutObjectInput{})
			put("exports/big", big, s3.PutObjectInput{ObjectLockMode: s3types.ObjectLockModeGovernance, ObjectLockRetainUntilDate: aws.Time(until),
				ObjectLockLegalHoldStatus: s3types.ObjectLockLegalHoldStatusOn})

			rec, proxyURL := newWriteRecorder(t, w.Srv.URL)
			w.ProdAcct.EndpointURL, w.LakeAcct.EndpointURL = proxyURL, proxyURL
			job := w.Job(config.ModeCp, tt.transfer)
			job.ObjectLock = tt.lock
			job.PartSize, job.MultipartThreshold = 5<<20, 5<<20
			c := copierFor(t, NewAccounts(w.Cfg), job)
			store, err := state.Open(w.State, state.Options{})
			must(t, err)
			t.Cleanup(func() { _ = store.Close() })
			c.State = store
			if _, err := c.Run(ctx, job); err != nil {
				t.Fatal(err)
			}

			type lock struct {
				Mode  s3types.ObjectLockMode
				Until time.Time
				Hold  s3types.ObjectLockLegalHoldStatus
			}
			want := map[string]lock{
				"prod/retained": {Mode: s3types.ObjectLockModeGovernance, Until: until},
				"prod/held":     {Hold: s3types.ObjectLockLegalHoldStatusOn},
				"prod/plain":    {},
				"prod/big":      {Mode: s3types.ObjectLockModeGovernance, Until: until, Hold: s3types.ObjectLockLegalHoldStatusOn},
			}
			if tt.lock == config.ObjectLockBucketDefault {
				for k := range want {
					want[k] = lock{}
				}
			}
			for key, wl := range want {
				h, err := w.Lake.S3().HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("lake-locked"), Key: aws.String(key)})
				must(t, err)
				got := lock{Mode: h.ObjectLockMode, Until: aws.ToTime(h.ObjectLockRetainUntilDate).UTC(), Hold: h.ObjectLockLegalHoldStatus}
				if got.Hold == s3types.ObjectLockLegalHoldStatusOff {
					got.Hold = ""
				}
				if got != wl {
					t.Errorf("%s: Object Lock %+v, want %+v", key, got, wl)
				}
			}
			if tt.transfer != config.TransferStream {
				return
			}
			rec.mu.Lock()
			defer rec.mu.Unlock()
			if len(rec.writes["PutObject"]) != 3 || len(rec.writes["UploadPart"]) != 2 {
				t.Fatalf("recorded writes %v, want 3 PutObject and 2 UploadPart", rec.writes)
			}
			for op, hs := range rec.writes {
				for i, h := range hs {
					if h == "" {
						t.Errorf("%s #%d carried no Content-MD5 or x-amz-checksum-*", op, i+1)
					}
				}
			}
			t.Logf("integrity headers on the wire: %v", rec.writes)
		})
	}
}
