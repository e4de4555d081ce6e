package faultproxy_test

import (
	"errors"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lakesync/lakesync/internal/testenv/faultproxy"
)

func startProxy(t *testing.T, backend string, cfg faultproxy.Config) *faultproxy.Proxy {
	t.Helper()
	p, err := faultproxy.New(backend, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Error(err)
		}
	})
	return p
}

func do(t *testing.T, c *http.Client, method, url string, header map[string]string) (*http.Response, []byte, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

var copyHeader = map[string]string{"x-amz-copy-source": "/src/key"}

// Each kind of fault as a plain HTTP client sees it, and whether the
// faulted request reached the backend.
func TestFaultKindsPlainClient(t *testing.T) {
	tests := []struct {
		kind      faultproxy.Kind
		method    string
		path      string
		header    map[string]string
		forwarded int64
		check     func(t *testing.T, resp *http.Response, body []byte, err error)
	}{
		{faultproxy.SlowDown, http.MethodGet, "/b/k", nil, 0, func(t *testing.T, resp *http.Response, body []byte, err error) {
			if err != nil || resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "<Error><Code>SlowDown</Code>") {
				t.Errorf("got %v %v %q, want 503 SlowDown", resp, err, body)
			}
		}},
		{faultproxy.InternalError, http.MethodPut, "/b/k", nil, 0, func(t *testing.T, resp *http.Response, body []byte, err error) {
			if err != nil || resp.StatusCode != http.StatusInternalServerError || !strings.Contains(string(body), "<Error><Code>InternalError</Code>") {
				t.Errorf("got %v %v %q, want 500 InternalError", resp, err, body)
			}
		}},
		{faultproxy.AccessDenied, http.MethodPut, "/b/k", nil, 0, func(t *testing.T, resp *http.Response, body []byte, err error) {
			if err != nil || resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "<Error><Code>AccessDenied</Code>") {
				t.Errorf("got %v %v %q, want 403 AccessDenied", resp, err, body)
			}
		}},
		{faultproxy.BucketAlreadyExists, http.MethodPut, "/b", nil, 0, func(t *testing.T, resp *http.Response, body []byte, err error) {
			if err != nil || resp.StatusCode != http.StatusConflict || !strings.Contains(string(body), "<Error><Code>BucketAlreadyExists</Code>") {
				t.Errorf("got %v %v %q, want 409 BucketAlreadyExists", resp, err, body)
			}
		}},
		{faultproxy.BucketAlreadyOwnedByYou, http.MethodPut, "/b", nil, 0, func(t *testing.T, resp *http.Response, body []byte, err error) {
			if err != nil || resp.StatusCode != http.StatusConflict || !strings.Contains(string(body), "<Error><Code>BucketAlreadyOwnedByYou</Code>") {
				t.Errorf("got %v %v %q, want 409 BucketAlreadyOwnedByYou", resp, err, body)
			}
		}},
		{faultproxy.Reset, http.MethodGet, "/b/k", nil, 1, func(t *testing.T, resp *http.Response, body []byte, err error) {
			if resp == nil || resp.StatusCode != http.StatusOK {
				t.Fatalf("got %v %v: the status and headers must arrive before the reset", resp, err)
			}
			if err == nil || len(body) >= len(objectBody) {
				t.Errorf("read %d of %d bytes with error %v, want a truncated body and an error", len(body), len(objectBody), err)
			}
			if string(body) != string(objectBody[:len(body)]) {
				t.Error("the bytes before the reset are not the backend's")
			}
		}},
		{faultproxy.Reset, http.MethodPut, "/b/k", nil, 1, func(t *testing.T, resp *http.Response, body []byte, err error) {
			// An empty backend body: the reset comes inside the headers.
			if err == nil {
				t.Errorf("got %v %q, want an error", resp.Status, body)
			}
		}},
		{faultproxy.Slow, http.MethodGet, "/b/k", nil, 0, func(t *testing.T, resp *http.Response, body []byte, err error) {
			var ne net.Error
			if !errors.As(err, &ne) || !ne.Timeout() {
				t.Errorf("got %v %v, want a client timeout", resp, err)
			}
		}},
		{faultproxy.OKWithError, http.MethodPut, "/b/k", copyHeader, 1, func(t *testing.T, resp *http.Response, body []byte, err error) {
			if err != nil || resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "<Error><Code>InternalError</Code>") {
				t.Errorf("got %v %v %q, want 200 with an InternalError body", resp, err, body)
			}
		}},
		{faultproxy.OKWithError, http.MethodPost, "/b/k?uploadId=u1", nil, 1, func(t *testing.T, resp *http.Response, body []byte, err error) {
			if err != nil || resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "<Error><Code>InternalError</Code>") {
				t.Errorf("got %v %v %q, want 200 with an InternalError body", resp, err, body)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind)+" "+tt.method, func(t *testing.T) {
			backend, url := newFakeS3(t)
			rule := faultproxy.Rule{Kind: tt.kind, Every: 1, Max: 1}
			if tt.kind == faultproxy.Slow {
				rule.Delay = time.Hour // released by Close
			}
			p := startProxy(t, url, faultproxy.Config{Rules: []faultproxy.Rule{rule}})
			// The client's timeout only matters for Slow, whose delay is
			// an hour: no test waits for it.
			c := &http.Client{Timeout: 500 * time.Millisecond}
			resp, body, err := do(t, c, tt.method, p.URL+tt.path, tt.header)
			tt.check(t, resp, body, err)
			if got := backend.requests.Load(); got != tt.forwarded {
				t.Errorf("backend saw %d requests, want %d", got, tt.forwarded)
			}
			if got := p.Counts().Faults[tt.kind]; got != 1 {
				t.Errorf("counts %v, want one %s", p.Counts(), tt.kind)
			}
			// Max 1: the next request goes through untouched.
			resp, _, err = do(t, c, tt.method, p.URL+tt.path, tt.header)
			if err != nil || resp.StatusCode != http.StatusOK {
				t.Errorf("second request: %v %v, want 200", resp, err)
			}
		})
	}
}

func TestOKWithErrorOnlyForCopyAndComplete(t *testing.T) {
	backend, url := newFakeS3(t)
	p := startProxy(t, url, faultproxy.Config{Rules: []faultproxy.Rule{{Kind: faultproxy.OKWithError, Every: 1}}})
	c := &http.Client{}
	for _, r := range []struct{ method, path string }{
		{http.MethodGet, "/b/k"}, {http.MethodPut, "/b/k"}, {http.MethodPut, "/b/k?partNumber=1&uploadId=u"}, {http.MethodPost, "/b/k?uploads"},
	} {
		resp, body, err := do(t, c, r.method, p.URL+r.path, nil)
		if err != nil || resp.StatusCode != http.StatusOK || strings.Contains(string(body), "<Error>") {
			t.Errorf("%s %s: %v %v %q, want the backend's answer", r.method, r.path, resp, err, body)
		}
	}
	if n := p.Counts().Total(); n != 0 {
		t.Errorf("%d faults injected into requests S3 never answers 200-with-error", n)
	}
	if got := backend.requests.Load(); got != 4 {
		t.Errorf("backend saw %d requests, want 4", got)
	}
}

// faulted sends n GETs one after the other and returns which were faulted
// (1-based).
func faulted(t *testing.T, p *faultproxy.Proxy, n int, path string, header map[string]string) []int {
	t.Helper()
	var out []int
	for i := 1; i <= n; i++ {
		resp, _, err := do(t, http.DefaultClient, http.MethodGet, p.URL+path, header)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK {
			out = append(out, i)
		}
	}
	return out
}

func TestEveryNthWithBurstAndMax(t *testing.T) {
	_, url := newFakeS3(t)
	p := startProxy(t, url, faultproxy.Config{Rules: []faultproxy.Rule{{Kind: faultproxy.SlowDown, Every: 3, Burst: 2, Max: 5}}})
	got := faulted(t, p, 15, "/b/k", nil)
	want := []int{3, 4, 6, 7, 9} // bursts of two from every third request, five in all
	if !slices.Equal(got, want) {
		t.Errorf("faulted requests %v, want %v", got, want)
	}
	if c := p.Counts(); c.Faults[faultproxy.SlowDown] != 5 || c.Requests != 15 {
		t.Errorf("counts %v", c)
	}
}

func TestSeededRandomIsDeterministic(t *testing.T) {
	_, url := newFakeS3(t)
	pattern := func(seed uint64) []int {
		p := startProxy(t, url, faultproxy.Config{Seed: seed, Rules: []faultproxy.Rule{{Kind: faultproxy.InternalError, Probability: 0.3}}})
		return faulted(t, p, 40, "/b/k", nil)
	}
	a, b, c := pattern(7), pattern(7), pattern(8)
	if !slices.Equal(a, b) {
		t.Errorf("same seed, different faults: %v and %v", a, b)
	}
	if slices.Equal(a, c) {
		t.Errorf("seeds 7 and 8 fault the same requests %v", a)
	}
	if len(a) == 0 || len(a) == 40 {
		t.Errorf("probability 0.3 faulted %d of 40", len(a))
	}
}

func TestMatchAndSetRules(t *testing.T) {
	_, url := newFakeS3(t)
	p := startProxy(t, url, faultproxy.Config{Rules: []faultproxy.Rule{{
		Kind:  faultproxy.SlowDown,
		Every: 1,
		Match: faultproxy.Match{Methods: []string{"GET"}, Query: []string{"list-type"}, Headers: []string{"x-test"}, PathPrefix: "/b/"},
	}}})
	h := map[string]string{"x-test": "1"}
	cases := []struct {
		path   string
		header map[string]string
		fault  bool
	}{
		{"/b/?list-type=2", h, true},
		{"/b/?list-type=2", nil, false}, // header missing
		{"/b/k", h, false},              // query missing
		{"/c/?list-type=2", h, false},   // other bucket
	}
	for _, c := range cases {
		got := len(faulted(t, p, 1, c.path, c.header)) == 1
		if got != c.fault {
			t.Errorf("%s %v: faulted %v, want %v", c.path, c.header, got, c.fault)
		}
	}
	if err := p.SetRules(); err != nil {
		t.Fatal(err)
	}
	if got := faulted(t, p, 1, "/b/?list-type=2", h); len(got) != 0 {
		t.Error("faulted after SetRules()")
	}
	if got := p.Counts().Faults[faultproxy.SlowDown]; got != 1 {
		t.Errorf("SetRules lost the counts: %d", got)
	}
}

func TestRejectsBadRules(t *testing.T) {
	for _, r := range []faultproxy.Rule{
		{Kind: "teapot", Every: 1},
		{Kind: faultproxy.SlowDown},
		{Kind: faultproxy.Slow, Every: 1},
		{Kind: faultproxy.SlowDown, Probability: 2},
	} {
		if p, err := faultproxy.New("http://127.0.0.1:1", faultproxy.Config{Rules: []faultproxy.Rule{r}}); err == nil {
			p.Close()
			t.Errorf("rule %+v accepted", r)
		}
	}
}
