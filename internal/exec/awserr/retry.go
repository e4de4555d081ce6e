package awserr

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
)

// Retry settings of every client: throttling (503 SlowDown) and transient
// errors are retried with jittered backoff. The retry quota (token bucket)
// is off: under sustained throttling with many requests in flight it turns
// retryable errors into "retry quota exceeded" failures.
const (
	MaxAttempts = 10
	MaxBackoff  = 20 * time.Second
)

// NewRetryer is the retryer of every client (see MaxAttempts). A request
// that cannot reach its endpoint (connection refused, no such host, TLS
// failure) is not retried: waiting does not cure it, and the error says
// what to check.
func NewRetryer() aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = MaxAttempts
		o.MaxBackoff = MaxBackoff
		o.RateLimiter = ratelimit.None
		o.Retryables = append([]retry.IsErrorRetryable{retry.IsErrorRetryableFunc(NotRetriedIfUnreachable)}, o.Retryables...)
	})
}
