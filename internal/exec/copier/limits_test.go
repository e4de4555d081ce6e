package copier

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/awserr"
)

const slowDownXML = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>`

// slowDown is S3's answer to a request above its rate.
func slowDown(req *http.Request) *http.Response {
	return &http.Response{StatusCode: http.StatusServiceUnavailable, Status: "503 Slow Down", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"application/xml"}}, Body: io.NopCloser(strings.NewReader(slowDownXML)), Request: req}
}

// quickRetries is the production retry policy with short back-offs.
func quickRetries(backoff time.Duration) aws.Retryer {
	return retry.NewStandard(func(so *retry.StandardOptions) {
		so.MaxAttempts = awserr.MaxAttempts
		so.MaxBackoff = backoff
		so.RateLimiter = ratelimit.None
	})
}

// onceThrottled is an S3 endpoint answering GetObjectTagging, each key's
// first request with SlowDown, the next with an empty tag set.
func onceThrottled(t *testing.T) *s3.Client {
	var mu sync.Mutex
	seen := map[string]bool{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		again := seen[r.URL.Path]
		seen[r.URL.Path] = true
		mu.Unlock()
		if !again {
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, slowDownXML)
			return
		}
		io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Tagging><TagSet></TagSet></Tagging>`)
	}))
	t.Cleanup(srv.Close)
	return s3.New(s3.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""), Retryer: quickRetries(time.Millisecond)})
}

// countingWaiter counts the waits before request attempts.
type countingWaiter struct{ n atomic.Int64 }

func (c *countingWaiter) Wait(ctx context.Context) error { c.n.Add(1); return ctx.Err() }

// TestThrottledAttemptsAreDrops: 16 requests, one after the other, each
// throttled once then answered, all succeed; the SDK retried each, every
// attempt (32) waited on the request-rate cap, and the adaptive limit
// backed off from where it starts, although the requests never filled it
// (so nothing but the drops can have lowered it). A fixed concurrency
// stays where it is.
func TestThrottledAttemptsAreDrops(t *testing.T) {
	const requests = 16
	for _, tt := range []struct {
		name        string
		concurrency int
		backsOff    bool
	}{
		{"auto", config.ConcurrencyAuto, true},
		{"fixed", 8, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cl := onceThrottled(t)
			job := &config.Job{Concurrency: tt.concurrency}
			pool, opts := newJobPool(job), newJobOpts(job, 0)
			rate := &countingWaiter{}
			opts.rate = rate
			start := pool.lim.Limit()
			for i := range requests {
				err := pool.do(t.Context(), func(ctx context.Context) error {
					_, err := cl.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("b"), Key: aws.String(fmt.Sprint(i))}, opts.fns...)
					return err
				})
				if err != nil {
					t.Fatalf("request %d failed: %v; a throttled request must be retried, never failed", i, err)
				}
			}
			if got := opts.retries.Load(); got != requests {
				t.Errorf("%d retries, want %d", got, requests)
			}
			if got := rate.n.Load(); got != 2*requests {
				t.Errorf("the rate cap was waited on %d times, want %d: once per attempt, retries included", got, 2*requests)
			}
			end := pool.lim.Limit()
			if tt.backsOff && end >= start {
				t.Errorf("adaptive limit %d -> %d after %d throttled attempts; want it to back off", start, end, requests)
			}
			if !tt.backsOff && end != start {
				t.Errorf("fixed limit %d -> %d, want it fixed", start, end)
			}
			if u := pool.usage(); u.Max != 1 {
				t.Errorf("usage max %d, want 1 (one request at a time)", u.Max)
			}
		})
	}
}

// throttleAbove answers SlowDown to requests beyond n in flight, as S3
// does above its rate while it repartitions; each request (method and
// path) at most perRequest times, fewer than the retryer's attempts, so
// that whether an object fails does not hang on how fast a loaded test
// machine lets the limiter back off.
type throttleAbove struct {
	n, perRequest int
	next          aws.HTTPClient
	inFlight      atomic.Int64
	throttled     atomic.Int64
	mu            sync.Mutex
	times         map[string]int
}

func (h *throttleAbove) Do(req *http.Request) (*http.Response, error) {
	defer h.inFlight.Add(-1)
	if h.inFlight.Add(1) > int64(h.n) {
		id := req.Method + " " + req.URL.Path
		h.mu.Lock()
		again := h.times[id] < h.perRequest
		if again {
			h.times[id]++
		}
		h.mu.Unlock()
		if again {
			h.throttled.Add(1)
			return slowDown(req), nil
		}
	}
	return h.next.Do(req)
}

// TestCopyBacksOffUnderSlowDown: a server-side sync at concurrency
// "auto" (starting at 64 in flight) against an endpoint that throttles
// requests beyond 16 in flight: every object is copied, none fails,
// and the limit the objects report falls below where it started.
func TestCopyBacksOffUnderSlowDown(t *testing.T) {
	w := newCopyWorld(t)
	const objects = 150
	for i := range objects {
		w.Put(t, fmt.Sprintf("exports/%03d", i), body(i, 1024))
	}
	job := w.Job(config.ModeSync, config.TransferServerSide)
	job.Concurrency = config.ConcurrencyAuto
	throttle := &throttleAbove{n: 16, perRequest: awserr.MaxAttempts / 2, next: awshttp.NewBuildableClient(), times: map[string]int{}}
	cl := s3.NewFromConfig(w.roleConfig(), func(o *s3.Options) {
		o.UsePathStyle = true
		o.HTTPClient = throttle
		o.Retryer = quickRetries(500 * time.Millisecond)
	})
	events := &eventLog{}
	c := w.copier(t, job, events)
	c.Source, c.Destination = cl, cl
	sum, err := c.Run(t.Context(), job)
	must(t, c.State.Close())
	if err != nil || sum.Copied != objects || sum.Failed != 0 {
		t.Fatalf("copied %d, failed %d, err %v; want %d copied and none failed", sum.Copied, sum.Failed, err, objects)
	}
	if throttle.throttled.Load() == 0 {
		t.Fatal("no request was throttled: the test proves nothing")
	}
	lowest := config.DefaultConcurrency
	events.count(func(e CopyEvent) bool {
		if d, ok := e.(*ObjectDone); ok {
			lowest = min(lowest, d.Limit)
		}
		return false
	})
	t.Logf("%d throttled, %d retries, lowest limit %d, concurrency max %d avg %.1f", throttle.throttled.Load(), sum.Retries, lowest, sum.ConcurrencyMax, sum.ConcurrencyAvg)
	if lowest >= config.DefaultConcurrency {
		t.Errorf("the limit never fell below %d although %d requests were throttled", config.DefaultConcurrency, throttle.throttled.Load())
	}
	// "auto" starts at DefaultConcurrency and grows again once the
	// throttling ends (CI saw 67 in flight), up to MaxConcurrency.
	if sum.ConcurrencyMax < 1 || sum.ConcurrencyMax > config.MaxConcurrency || sum.ConcurrencyAvg <= 0 {
		t.Errorf("summary concurrency max %d avg %f; want 1..%d and a positive average", sum.ConcurrencyMax, sum.ConcurrencyAvg, config.MaxConcurrency)
	}
}

// TestAutoMaxInFlight: "auto" reaches 4096, except that a stream job
// holds at most the part buffers that fit in the memory budget beside the
// run's 64 MiB; a fixed concurrency is the cap.
func TestAutoMaxInFlight(t *testing.T) {
	for _, tt := range []struct {
		transfer config.Transfer
		conc     int
		part     int64
		memory   int64
		want     int
	}{
		{config.TransferServerSide, config.ConcurrencyAuto, 64 << 20, defaultStreamMemory, 4096},
		{config.TransferStream, config.ConcurrencyAuto, 64 << 20, defaultStreamMemory, 64},
		{config.TransferStream, config.ConcurrencyAuto, 8 << 20, defaultStreamMemory, 512},
		{config.TransferStream, config.ConcurrencyAuto, 5 << 20, 1 << 40, 4096},
		{config.TransferStream, config.ConcurrencyAuto, 5 << 30, 1 << 30, 1},
	} {
		job := &config.Job{Transfer: tt.transfer, Concurrency: tt.conc, PartSize: tt.part}
		if got := autoMaxInFlight(job, tt.memory); got != tt.want {
			t.Errorf("%s, part %d, memory %d: cap %d, want %d", tt.transfer, tt.part, tt.memory, got, tt.want)
		}
	}
	if got := MaxInFlight(&config.Job{Transfer: config.TransferStream, Concurrency: 300}); got != 300 {
		t.Errorf("fixed concurrency 300: cap %d, want 300", got)
	}
}

// countingCap counts the bytes read through it.
type countingCap struct{ n atomic.Int64 }

func (c *countingCap) Reader(_ context.Context, r io.Reader) io.Reader {
	return readFunc(func(p []byte) (int, error) {
		n, err := r.Read(p)
		c.n.Add(int64(n))
		return n, err
	})
}

type readFunc func([]byte) (int, error)

func (f readFunc) Read(p []byte) (int, error) { return f(p) }

// bodySource answers GetObject with size bytes.
type bodySource struct {
	CopySource
	size int
}

func (s bodySource) GetObject(context.Context, *s3.GetObjectInput, ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	return &s3.GetObjectOutput{Body: io.NopCloser(strings.NewReader(strings.Repeat("x", s.size)))}, nil
}

// TestStreamBodiesPassTheBandwidthCap: the bytes a stream copy reads (a
// whole object, a part's range: both go through getInto) are read
// through the run's bandwidth cap.
func TestStreamBodiesPassTheBandwidthCap(t *testing.T) {
	const size = 100 << 10
	bw := &countingCap{}
	opts := newJobOpts(&config.Job{}, 0)
	opts.bandwidth = bw
	r := &run{c: &Copier{Source: bodySource{size: size}}, job: &config.Job{}, opts: opts}
	for _, whole := range []bool{true, false} {
		if _, err := r.getInto(t.Context(), &s3.GetObjectInput{}, make([]byte, size), whole); err != nil {
			t.Fatal(err)
		}
	}
	if got := bw.n.Load(); got != 2*size {
		t.Errorf("%d bytes read through the cap, want %d", got, 2*size)
	}
}

func TestBandwidthOverride(t *testing.T) {
	job := &config.Job{Bandwidth: 200 << 20}
	for _, tt := range []struct{ override, want int64 }{{0, 200 << 20}, {1 << 20, 1 << 20}} {
		if got := bandwidthOf(job, tt.override); got != tt.want {
			t.Errorf("bandwidth %d with --bandwidth %d: %d, want %d", job.Bandwidth, tt.override, got, tt.want)
		}
	}
}
