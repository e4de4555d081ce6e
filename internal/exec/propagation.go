package exec

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/lakesync/lakesync/internal/exec/awserr"
)

// PropagationRetry retries a write that IAM's eventual consistency can
// refuse for a few seconds after a grant or a role was created: AccessDenied,
// and a policy naming a principal that does not exist yet. Clock and sleep
// are fields so tests run without waiting.
type PropagationRetry struct {
	// Timeout bounds the whole retry; 0 means DefaultPropagationTimeout.
	Timeout time.Duration
	// Interval is the first wait between attempts, doubled up to 8x;
	// 0 means 2 s.
	Interval time.Duration
	// Now and Sleep default to time.Now and a context-aware sleep.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
	// Notify, when set, receives a line for the user before each wait.
	Notify func(msg string)
}

// DefaultPropagationTimeout is how long a refused write is retried: IAM
// usually propagates in seconds, rarely in more than a minute.
const DefaultPropagationTimeout = 90 * time.Second

// Do runs op until it succeeds, fails with an error that is not a
// propagation delay, or the timeout passes; then it returns op's last
// error, saying how long it retried.
func (p PropagationRetry) Do(ctx context.Context, what string, op func(ctx context.Context) error) error {
	now, sleep := p.Now, p.Sleep
	if now == nil {
		now = time.Now
	}
	if sleep == nil {
		sleep = sleepContext
	}
	timeout, wait := p.Timeout, p.Interval
	if timeout <= 0 {
		timeout = DefaultPropagationTimeout
	}
	if wait <= 0 {
		wait = 2 * time.Second
	}
	maxWait := 8 * wait
	start := now()
	for attempt := 1; ; attempt++ {
		err := op(ctx)
		if err == nil || !IsPropagationDelay(err) {
			return err
		}
		elapsed := now().Sub(start)
		if elapsed+wait > timeout {
			return fmt.Errorf("%s: still refused after retrying for %s (IAM changes take a few seconds to propagate, this is longer): %w", what, elapsed.Round(time.Second), err)
		}
		if p.Notify != nil {
			p.Notify(fmt.Sprintf("%s: %s; IAM changes take a few seconds to propagate; retrying in %s (attempt %d)", what, awserr.Code(err), wait, attempt+1))
		}
		if err := sleep(ctx, wait); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if wait < maxWait {
			wait *= 2
		}
	}
}

// IsPropagationDelay reports whether err may be IAM's eventual consistency
// rather than a real refusal: access denied, or a policy whose principal
// the service does not know yet (S3 MalformedPolicy "Invalid principal",
// KMS MalformedPolicyDocumentException "invalid principals", IAM
// MalformedPolicyDocument "Invalid principal").
func IsPropagationDelay(err error) bool {
	if awserr.IsAccessDenied(err) {
		return true
	}
	if !awserr.HasCode(err, "MalformedPolicy", "MalformedPolicyDocumentException", "MalformedPolicyDocument") {
		return false
	}
	return strings.Contains(strings.ToLower(err.Error()), "principal")
}

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
