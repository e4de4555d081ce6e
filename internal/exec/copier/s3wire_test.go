package copier

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// s3Wire records the S3 requests of a client on the wire (path style)
// and lets a test answer or change some of them, to show what moto does
// not model: the archive tiers of INTELLIGENT_TIERING, a restore already
// in progress, a listing that does not report a class.
type s3Wire struct {
	base http.RoundTripper

	mu   sync.Mutex
	reqs []wireRequest
	// answer, when it returns a response, answers the request without
	// sending it; change edits a response from moto.
	answer func(op, key string) *http.Response
	change func(op, key string, resp *http.Response)
}

type wireRequest struct {
	Op, Key string // Op: "RestoreObject", "HeadObject", "CopyObject", "ListObjectsV2", "GetObject", ...
	Body    string // RestoreObject only
}

func newS3Wire() *s3Wire { return &s3Wire{base: http.DefaultTransport} }

// operation names a path-style S3 request.
func operation(r *http.Request) (op, key string) {
	path := strings.TrimPrefix(r.URL.Path, "/")
	if i := strings.IndexByte(path, '/'); i >= 0 {
		key = path[i+1:]
	}
	q := r.URL.Query()
	switch {
	case r.Method == http.MethodPost && q.Has("restore"):
		return "RestoreObject", key
	case r.Method == http.MethodHead:
		return "HeadObject", key
	case r.Method == http.MethodPut && r.Header.Get("x-amz-copy-source") != "":
		return "CopyObject", key
	case r.Method == http.MethodGet && q.Get("list-type") == "2":
		return "ListObjectsV2", key
	}
	return r.Method, key
}

func (s *s3Wire) RoundTrip(r *http.Request) (*http.Response, error) {
	op, key := operation(r)
	rec := wireRequest{Op: op, Key: key}
	if op == "RestoreObject" && r.Body != nil {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(b))
		rec.Body = string(b)
	}
	s.mu.Lock()
	s.reqs = append(s.reqs, rec)
	answer, change := s.answer, s.change
	s.mu.Unlock()
	if answer != nil {
		if resp := answer(op, key); resp != nil {
			resp.Request = r
			return resp, nil
		}
	}
	resp, err := s.base.RoundTrip(r)
	if err == nil && change != nil {
		change(op, key, resp)
	}
	return resp, err
}

// count is how many requests of op were sent for key ("" any key).
func (s *s3Wire) count(op, key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.reqs {
		if r.Op == op && (key == "" || r.Key == key) {
			n++
		}
	}
	return n
}

func (s *s3Wire) bodies(op string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, r := range s.reqs {
		if r.Op == op {
			out = append(out, r.Body)
		}
	}
	return out
}

// s3Answer is a response S3 could have sent.
func s3Answer(status int, body string) *http.Response {
	return &http.Response{StatusCode: status, Status: fmt.Sprintf("%d %s", status, http.StatusText(status)), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header{"Content-Type": {"application/xml"}, "Content-Length": {strconv.Itoa(len(body))}},
		Body:          io.NopCloser(strings.NewReader(body)),
		ContentLength: int64(len(body))}
}

// replaceBody swaps old for new in a response's body.
func replaceBody(resp *http.Response, old, new string) {
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	b = bytes.ReplaceAll(b, []byte(old), []byte(new))
	resp.Body = io.NopCloser(bytes.NewReader(b))
	resp.ContentLength = int64(len(b))
	resp.Header.Set("Content-Length", strconv.Itoa(len(b)))
}
