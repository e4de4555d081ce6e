package faultproxy_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// objectBody is the body of every object of the fake backend: long enough
// for a reset to cut it in the middle.
var objectBody = func() []byte {
	b := make([]byte, 64<<10)
	for i := range b {
		b[i] = byte('a' + i%26)
	}
	return b
}()

// fakeS3 is a tiny path-style S3 that answers just enough of
// ListObjectsV2, GetObject, PutObject, CopyObject and
// CompleteMultipartUpload for the SDK to parse, and counts what reaches it.
type fakeS3 struct {
	requests atomic.Int64
	copies   atomic.Int64
}

func newFakeS3(t *testing.T) (*fakeS3, string) {
	t.Helper()
	f := &fakeS3{}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv.URL
}

func (f *fakeS3) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.requests.Add(1)
	_, _ = io.Copy(io.Discard, r.Body)
	q := r.URL.Query()
	w.Header().Set("x-amz-request-id", fmt.Sprintf("FAKE%d", f.requests.Load()))
	switch {
	case r.Method == http.MethodGet && q.Get("list-type") == "2":
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix></Prefix><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>`)
		for i := range 2 {
			fmt.Fprintf(w, `<Contents><Key>object-%d</Key><LastModified>2025-01-01T00:00:00.000Z</LastModified><ETag>"e%d"</ETag><Size>%d</Size><StorageClass>STANDARD</StorageClass></Contents>`, i, i, len(objectBody))
		}
		fmt.Fprint(w, `</ListBucketResult>`)
	case r.Method == http.MethodGet || r.Method == http.MethodHead:
		w.Header().Set("Content-Length", fmt.Sprint(len(objectBody)))
		w.Header().Set("ETag", `"e0"`)
		if r.Method == http.MethodGet {
			_, _ = w.Write(objectBody)
		}
	case r.Method == http.MethodPut && r.Header.Get("x-amz-copy-source") != "":
		f.copies.Add(1)
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?>
<CopyObjectResult><LastModified>2025-01-01T00:00:00.000Z</LastModified><ETag>"copied"</ETag></CopyObjectResult>`)
	case r.Method == http.MethodPut:
		w.Header().Set("ETag", `"put"`)
	case r.Method == http.MethodPost && q.Has("uploadId"):
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?>
<CompleteMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><ETag>"done-2"</ETag></CompleteMultipartUploadResult>`)
	case r.Method == http.MethodPost && q.Has("uploads"):
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?>
<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>u1</UploadId></InitiateMultipartUploadResult>`)
	default:
		http.Error(w, "fakeS3: unsupported request", http.StatusNotImplemented)
	}
}
