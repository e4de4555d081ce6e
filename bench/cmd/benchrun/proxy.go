package main

import (
	"context"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// delayProxy stands between every tool and MinIO: it holds each request for
// its delay before forwarding it (what a distant S3 costs a client: one
// round trip per request), and counts the requests by S3 operation. It keeps
// the client's Host header, so SigV4 signatures still match, and it limits
// nothing itself: its transport opens as many keep-alive connections as the
// tools ask for.
type delayProxy struct {
	target *url.URL
	delay  atomic.Int64 // nanoseconds
	wait   func(ctx context.Context, d time.Duration) bool
	rp     *httputil.ReverseProxy
	srv    *http.Server
	addr   string // http://127.0.0.1:PORT

	inFlight atomic.Int64
	mu       sync.Mutex
	st       proxyStats
}

// proxyStats is what the proxy saw between two calls of take.
type proxyStats struct {
	Ops         map[string]int64 // requests by S3 operation (see s3Op)
	Requests    int64
	MaxInFlight int64
	// Writes are the "bucket/key"s written: PUT, copy, multipart upload
	// start, DELETE; a DeleteObjects call is "bucket/" + opDeleteObjects.
	Writes map[string]bool
}

// Operations the report and the verification refer to by name.
const (
	opList          = "LIST"
	opDeleteObjects = "DELETE-OBJECTS"
)

// newDelayProxy returns a proxy to target, not yet listening.
func newDelayProxy(target string) (*delayProxy, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, err
	}
	p := &delayProxy{target: u, wait: sleepCtx}
	p.st = proxyStats{Ops: map[string]int64{}, Writes: map[string]bool{}}
	p.rp = &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(u)
			pr.Out.Host = pr.In.Host // the signed host
		},
		Transport: &http.Transport{
			Proxy:               nil,
			DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			MaxConnsPerHost:     0, // no limit
			MaxIdleConns:        0, // no limit
			MaxIdleConnsPerHost: 1 << 16,
			IdleConnTimeout:     90 * time.Second,
			DisableCompression:  true,
		},
	}
	return p, nil
}

// start listens on a free loopback port and serves until stop.
func (p *delayProxy) start() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	p.addr = "http://" + ln.Addr().String()
	p.srv = &http.Server{Handler: p, ReadHeaderTimeout: time.Minute}
	go func() { _ = p.srv.Serve(ln) }()
	return nil
}

func (p *delayProxy) stop() {
	if p != nil && p.srv != nil {
		_ = p.srv.Close()
	}
}

func (p *delayProxy) setDelay(d time.Duration) { p.delay.Store(int64(d)) }

func (p *delayProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op, bucket, key := s3Op(r)
	n := p.inFlight.Add(1)
	defer p.inFlight.Add(-1)
	p.mu.Lock()
	p.st.Ops[op]++
	p.st.Requests++
	p.st.MaxInFlight = max(p.st.MaxInFlight, n)
	if w := writeTarget(op, bucket, key); w != "" {
		p.st.Writes[w] = true
	}
	p.mu.Unlock()
	if d := time.Duration(p.delay.Load()); d > 0 && !p.wait(r.Context(), d) {
		return // the client went away
	}
	p.rp.ServeHTTP(w, r)
}

// take returns what the proxy saw since the last take and starts afresh.
func (p *delayProxy) take() proxyStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	st := p.st
	p.st = proxyStats{Ops: map[string]int64{}, Writes: map[string]bool{}}
	return st
}

// add folds o into s (the stats of several proxies during one run).
func (s *proxyStats) add(o proxyStats) {
	if s.Ops == nil {
		s.Ops, s.Writes = map[string]int64{}, map[string]bool{}
	}
	for k, v := range o.Ops {
		s.Ops[k] += v
	}
	for k := range o.Writes {
		s.Writes[k] = true
	}
	s.Requests += o.Requests
	s.MaxInFlight = max(s.MaxInFlight, o.MaxInFlight)
}

// writtenKeys returns the keys written in bucket, sorted, and whether a
// DeleteObjects call (whose keys are in its body) went to it.
func (s proxyStats) writtenKeys(bucket string) ([]string, bool) {
	var keys []string
	batch := false
	for w := range s.Writes {
		b, k, _ := strings.Cut(w, "/")
		if b != bucket {
			continue
		}
		if k == opDeleteObjects {
			batch = true
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys, batch
}

// listParams are the query parameters of ListObjects (v1 and v2).
var listParams = map[string]bool{
	"list-type": true, "prefix": true, "delimiter": true, "max-keys": true, "continuation-token": true,
	"start-after": true, "encoding-type": true, "fetch-owner": true, "marker": true,
}

// s3Op names the S3 operation of a path-style request, with its bucket and
// key. LIST is a GET on a bucket (no key) whose query has only listing
// parameters (list-type=2 or the v1 form); GET ?location and friends are
// GET-BUCKET-CONFIG.
func s3Op(r *http.Request) (op, bucket, key string) {
	bucket, key, _ = strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	q := r.URL.Query()
	has := func(k string) bool { _, ok := q[k]; return ok }
	copySrc := r.Header.Get("X-Amz-Copy-Source") != ""
	switch r.Method {
	case http.MethodGet:
		switch {
		case bucket == "":
			return "LIST-BUCKETS", "", ""
		case key != "" && has("uploadId"):
			return "LIST-PARTS", bucket, key
		case key != "":
			return "GET", bucket, key
		case has("uploads"):
			return "LIST-UPLOADS", bucket, ""
		}
		for k := range q {
			if !listParams[k] {
				return "GET-BUCKET-CONFIG", bucket, ""
			}
		}
		return opList, bucket, ""
	case http.MethodHead:
		if key == "" {
			return "HEAD-BUCKET", bucket, ""
		}
		return "HEAD", bucket, key
	case http.MethodPut:
		switch {
		case key == "":
			return "PUT-BUCKET", bucket, ""
		case has("uploadId") && copySrc:
			return "UPLOAD-PART-COPY", bucket, key
		case has("uploadId"):
			return "UPLOAD-PART", bucket, key
		case copySrc:
			return "COPY", bucket, key
		}
		return "PUT", bucket, key
	case http.MethodPost:
		switch {
		case key == "" && has("delete"):
			return opDeleteObjects, bucket, ""
		case has("uploads"):
			return "CREATE-MULTIPART", bucket, key
		case has("uploadId"):
			return "COMPLETE-MULTIPART", bucket, key
		}
		return "POST", bucket, key
	case http.MethodDelete:
		switch {
		case has("uploadId"):
			return "ABORT-MULTIPART", bucket, key
		case key == "":
			return "DELETE-BUCKET", bucket, ""
		}
		return "DELETE", bucket, key
	}
	return r.Method, bucket, key
}

// writeTarget is what a request of op writes ("bucket/key"), or "".
func writeTarget(op, bucket, key string) string {
	switch op {
	case "PUT", "COPY", "CREATE-MULTIPART", "DELETE":
		return bucket + "/" + key
	case opDeleteObjects:
		return bucket + "/" + opDeleteObjects
	}
	return ""
}

// sleepCtx waits d, or until ctx ends (false).
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
