package copier

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakesync/lakesync/internal/exec/awserr"
)

// requestOpts are the per-request options of every copier call, passed
// as fns...: the client's retryer, counted, and retrying KMS throttling
// too. The wrapper is made per request because the copier only sees its
// clients as interfaces: the client's own retryer is known only here.
type requestOpts struct {
	retries atomic.Int64 // retries of every request made with fns
	// fns is set as the variadic argument, built once: a method value and
	// a one-element slice at each call cost two allocations per request.
	fns []func(*s3.Options)
}

func newRequestOpts() *requestOpts {
	o := &requestOpts{}
	o.fns = []func(*s3.Options){o.set}
	return o
}

func (o *requestOpts) set(so *s3.Options) {
	so.Retryer = &countingRetryer{RetryerV2: asV2(so.Retryer), n: &o.retries}
}

// countingRetryer counts retries and treats KMS throttling seen through
// S3 as retryable; backoff (exponential with jitter) stays the client's.
type countingRetryer struct {
	aws.RetryerV2
	n *atomic.Int64
}

func (r *countingRetryer) IsErrorRetryable(err error) bool {
	return r.RetryerV2.IsErrorRetryable(err) ||
		awserr.HasCode(err, "KMS.ThrottlingException", "ThrottlingException", "SlowDown", "RequestTimeout")
}

func (r *countingRetryer) RetryDelay(attempt int, err error) (time.Duration, error) {
	r.n.Add(1)
	return r.RetryerV2.RetryDelay(attempt, err)
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
