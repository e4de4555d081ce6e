package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestS3Op(t *testing.T) {
	cases := []struct {
		method, target string
		copySrc        bool
		op, bucket     string
		key            string
	}{
		{"GET", "/b?list-type=2&prefix=obj%2F&continuation-token=x", false, "LIST", "b", ""},
		{"GET", "/b/?max-keys=1000", false, "LIST", "b", ""},
		{"GET", "/b", false, "LIST", "b", ""},
		{"GET", "/b?location", false, "GET-BUCKET-CONFIG", "b", ""},
		{"GET", "/b?uploads", false, "LIST-UPLOADS", "b", ""},
		{"GET", "/", false, "LIST-BUCKETS", "", ""},
		{"GET", "/b/obj/1", false, "GET", "b", "obj/1"},
		{"GET", "/b/k?uploadId=u", false, "LIST-PARTS", "b", "k"},
		{"HEAD", "/b/k", false, "HEAD", "b", "k"},
		{"HEAD", "/b", false, "HEAD-BUCKET", "b", ""},
		{"PUT", "/b/k", false, "PUT", "b", "k"},
		{"PUT", "/b/k", true, "COPY", "b", "k"},
		{"PUT", "/b/k?partNumber=1&uploadId=u", true, "UPLOAD-PART-COPY", "b", "k"},
		{"PUT", "/b/k?partNumber=1&uploadId=u", false, "UPLOAD-PART", "b", "k"},
		{"PUT", "/b?encryption", false, "PUT-BUCKET", "b", ""},
		{"POST", "/b?delete", false, "DELETE-OBJECTS", "b", ""},
		{"POST", "/b/k?uploads", false, "CREATE-MULTIPART", "b", "k"},
		{"POST", "/b/k?uploadId=u", false, "COMPLETE-MULTIPART", "b", "k"},
		{"DELETE", "/b/k?uploadId=u", false, "ABORT-MULTIPART", "b", "k"},
		{"DELETE", "/b/k", false, "DELETE", "b", "k"},
	}
	for _, c := range cases {
		r := httptest.NewRequest(c.method, c.target, nil)
		if c.copySrc {
			r.Header.Set("X-Amz-Copy-Source", "src/k")
		}
		op, bucket, key := s3Op(r)
		if diff := cmp.Diff([]string{c.op, c.bucket, c.key}, []string{op, bucket, key}); diff != "" {
			t.Errorf("%s %s (copy %t): (-want +got)\n%s", c.method, c.target, c.copySrc, diff)
		}
	}
}

// TestDelayProxy checks that the proxy holds every request for its delay,
// forwards it with the client's Host header, and counts and records it.
func TestDelayProxy(t *testing.T) {
	var mu sync.Mutex
	var hosts []string
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hosts = append(hosts, r.Host)
		mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	defer backend.Close()
	p, err := newDelayProxy(backend.URL)
	if err != nil {
		t.Fatal(err)
	}
	var waits []time.Duration
	p.wait = func(_ context.Context, d time.Duration) bool {
		mu.Lock()
		waits = append(waits, d)
		mu.Unlock()
		return true
	}
	if err := p.start(); err != nil {
		t.Fatal(err)
	}
	defer p.stop()
	p.setDelay(50 * time.Millisecond)

	do := func(method, path string, hdr map[string]string) {
		t.Helper()
		req, err := http.NewRequest(method, p.addr+path, strings.NewReader(""))
		if err != nil {
			t.Fatal(err)
		}
		req.Host = "signed.example:9000"
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s %s: status %d", method, path, resp.StatusCode)
		}
	}
	do("GET", "/dst?list-type=2", nil)
	do("GET", "/dst?list-type=2&continuation-token=t", nil)
	do("PUT", "/dst/a", map[string]string{"X-Amz-Copy-Source": "src/a"})
	do("HEAD", "/src/a", nil)
	p.setDelay(0)
	do("POST", "/dst?delete", nil)

	st := p.take()
	if diff := cmp.Diff(map[string]int64{"LIST": 2, "COPY": 1, "HEAD": 1, "DELETE-OBJECTS": 1}, st.Ops); diff != "" {
		t.Errorf("ops (-want +got)\n%s", diff)
	}
	if st.Requests != 5 || st.MaxInFlight != 1 {
		t.Errorf("requests %d, max in flight %d; want 5, 1", st.Requests, st.MaxInFlight)
	}
	keys, batch := st.writtenKeys("dst")
	if diff := cmp.Diff([]string{"a"}, keys); diff != "" || !batch {
		t.Errorf("written keys (-want +got)\n%s; DeleteObjects seen %t", diff, batch)
	}
	want := []time.Duration{50 * time.Millisecond, 50 * time.Millisecond, 50 * time.Millisecond, 50 * time.Millisecond}
	if diff := cmp.Diff(want, waits); diff != "" {
		t.Errorf("waits (-want +got)\n%s", diff)
	}
	for _, h := range hosts {
		if h != "signed.example:9000" {
			t.Errorf("backend saw Host %q, want the client's", h)
		}
	}
	if len(hosts) != 5 {
		t.Errorf("backend saw %d requests, want 5", len(hosts))
	}
	if st := p.take(); st.Requests != 0 {
		t.Errorf("take did not start afresh: %+v", st)
	}
}
