package copier

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/awserr"
	"github.com/lakesync/lakesync/internal/exec/copier/limit"
)

// requestOpts are the per-request options of every copier call, passed
// as fns...: the client's retryer, counted, and retrying KMS throttling
// too, with the run's request-rate cap on every attempt. The wrapper is
// made per request because the copier only sees its clients as
// interfaces: the client's own retryer is known only here.
type requestOpts struct {
	retries atomic.Int64 // retries of every request made with fns
	// rate caps the attempts of every request (max_requests_per_second):
	// a *limit.Rate, nil for no cap.
	rate attemptWaiter
	// bandwidth caps the bytes read from stream bodies (bandwidth, or
	// apply --bandwidth): a *limit.Bandwidth, nil for no cap.
	bandwidth bodyCap
	// fns is set as the variadic argument, built once: a method value and
	// a one-element slice at each call cost two allocations per request.
	fns []func(*s3.Options)
}

// attemptWaiter is what the retryer waits on before each attempt
// (*limit.Rate); bodyCap wraps what a stream reads (*limit.Bandwidth).
// Interfaces so a test can count what goes through them.
type (
	attemptWaiter interface {
		Wait(ctx context.Context) error
	}
	bodyCap interface {
		Reader(ctx context.Context, r io.Reader) io.Reader
	}
)

// capped is body read through the run's bandwidth cap, if any.
func (o *requestOpts) capped(ctx context.Context, body io.Reader) io.Reader {
	if o.bandwidth == nil {
		return body
	}
	return o.bandwidth.Reader(ctx, body)
}

func newRequestOpts() *requestOpts {
	o := &requestOpts{}
	o.fns = []func(*s3.Options){o.set}
	return o
}

// newJobOpts are the request options of job's run; bandwidth (bytes per
// second, 0: the job's own) overrides the job's bandwidth.
func newJobOpts(job *config.Job, bandwidth int64) *requestOpts {
	o := newRequestOpts()
	o.rate = limit.NewRate(job.MaxRequestsPerSecond)
	o.bandwidth = limit.NewBandwidth(bandwidthOf(job, bandwidth))
	return o
}

// bandwidthOf is the bandwidth cap of a run of job: override (apply
// --bandwidth) when set, else the job's own; 0 is none.
func bandwidthOf(job *config.Job, override int64) int64 {
	if override > 0 {
		return override
	}
	return job.Bandwidth
}

func (o *requestOpts) set(so *s3.Options) {
	so.Retryer = &countingRetryer{RetryerV2: asV2(so.Retryer), n: &o.retries, rate: o.rate}
}

// countingRetryer counts retries and treats KMS throttling seen through
// S3 as retryable; backoff (exponential with jitter) stays the client's.
// It is made per request (set), so it holds that request's slot token.
//
// The rate cap waits in GetAttemptToken: the SDK's retry loop calls it
// once before every attempt, the first and each retry after its back-off,
// so max_requests_per_second counts what S3 receives. (A middleware
// before the retry step would count each request once, not its retries.)
type countingRetryer struct {
	aws.RetryerV2
	n    *atomic.Int64
	rate attemptWaiter
	tok  *limit.Token // the slot's, known from the first attempt's ctx
}

func (r *countingRetryer) IsErrorRetryable(err error) bool {
	return r.RetryerV2.IsErrorRetryable(err) || throttled(err)
}

func (r *countingRetryer) GetAttemptToken(ctx context.Context) (func(error) error, error) {
	if r.rate != nil {
		if err := r.rate.Wait(ctx); err != nil {
			return nil, err
		}
	}
	if r.tok == nil {
		r.tok = slotToken(ctx)
	}
	return r.RetryerV2.GetAttemptToken(ctx)
}

// RetryDelay is called before each retry, with the attempt's error: a
// throttled attempt is a drop for the limiter now, not once the retries'
// back-offs are over. The request keeps its slot for the retry and never
// counts as failed for being throttled.
func (r *countingRetryer) RetryDelay(attempt int, err error) (time.Duration, error) {
	r.n.Add(1)
	if throttled(err) {
		r.tok.Throttled()
	}
	return r.RetryerV2.RetryDelay(attempt, err)
}

// throttleCodes are the codes of an S3 (or KMS through S3) answer that
// sheds load, beside the SDK's own (retry.DefaultThrottleErrorCodes).
var throttleCodes = []string{"SlowDown", "KMS.ThrottlingException", "ThrottlingException", "RequestTimeout"}

// throttled reports whether err is S3 shedding load: a 503 (SlowDown),
// a throttling code, KMS throttling seen through S3, a RequestTimeout.
func throttled(err error) bool {
	if err == nil {
		return false
	}
	var status interface{ HTTPStatusCode() int }
	if errors.As(err, &status) && status.HTTPStatusCode() == http.StatusServiceUnavailable {
		return true
	}
	_, sdk := retry.DefaultThrottleErrorCodes[awserr.Code(err)]
	return sdk || awserr.HasCode(err, throttleCodes...)
}

type v2Adapter struct{ aws.Retryer }

func (a v2Adapter) GetAttemptToken(context.Context) (func(error) error, error) {
	return a.GetInitialToken(), nil
}

func asV2(r aws.Retryer) aws.RetryerV2 {
	if r == nil {
		return v2Adapter{awserr.NewRetryer()}
	}
	if v2, ok := r.(aws.RetryerV2); ok {
		return v2
	}
	return v2Adapter{r}
}
