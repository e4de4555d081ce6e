package exec

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go"
)

// fakeClock is a clock whose Sleep advances it, so retries take no time.
type fakeClock struct {
	now    time.Time
	sleeps []time.Duration
}

func (c *fakeClock) Now() time.Time { return c.now }
func (c *fakeClock) Sleep(_ context.Context, d time.Duration) error {
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	return nil
}

func apiErr(code, msg string) error { return &smithy.GenericAPIError{Code: code, Message: msg} }

func TestPropagationRetry(t *testing.T) {
	invalidPrincipal := apiErr("MalformedPolicyDocumentException", "Policy contains a statement with one or more invalid principals.")
	tests := []struct {
		name      string
		errs      []error // returned by successive attempts; nil after the list
		wantCalls int
		wantErr   string
	}{
		{"succeeds at once", nil, 1, ""},
		{"access denied then ok", []error{apiErr("AccessDenied", "no"), apiErr("AccessDenied", "no")}, 3, ""},
		{"new principal then ok", []error{invalidPrincipal}, 2, ""},
		{"s3 invalid principal", []error{apiErr("MalformedPolicy", "Invalid principal in policy")}, 2, ""},
		{"other malformed is final", []error{apiErr("MalformedPolicy", "Policies must be valid JSON")}, 1, "valid JSON"},
		{"other error is final", []error{apiErr("NoSuchBucket", "gone")}, 1, "gone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := &fakeClock{now: time.Unix(0, 0)}
			var notes []string
			p := PropagationRetry{Timeout: time.Minute, Now: clock.Now, Sleep: clock.Sleep,
				Notify: func(m string) { notes = append(notes, m) }}
			calls := 0
			err := p.Do(t.Context(), "put key policy", func(context.Context) error {
				calls++
				if calls <= len(tt.errs) {
					return tt.errs[calls-1]
				}
				return nil
			})
			if calls != tt.wantCalls {
				t.Errorf("calls = %d, want %d", calls, tt.wantCalls)
			}
			if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("err = %v, want %q", err, tt.wantErr)
			}
			if len(notes) != tt.wantCalls-1 {
				t.Errorf("notes = %q", notes)
			}
			for _, n := range notes {
				if !strings.Contains(n, "IAM changes take a few seconds to propagate") {
					t.Errorf("note does not say why: %q", n)
				}
			}
		})
	}
}

func TestPropagationRetryGivesUp(t *testing.T) {
	clock := &fakeClock{now: time.Unix(0, 0)}
	p := PropagationRetry{Timeout: 30 * time.Second, Interval: time.Second, Now: clock.Now, Sleep: clock.Sleep}
	denied := apiErr("AccessDenied", "still no")
	err := p.Do(t.Context(), "put bucket policy", func(context.Context) error { return denied })
	if !errors.Is(err, denied) || !strings.Contains(err.Error(), "still refused after retrying") {
		t.Fatalf("err = %v", err)
	}
	var total time.Duration
	for _, d := range clock.sleeps {
		total += d
		if d > 8*time.Second {
			t.Errorf("wait %s exceeds 8x the interval", d)
		}
	}
	if total > 30*time.Second || total < 15*time.Second {
		t.Errorf("waited %s in total (%v), want close to the 30s timeout", total, clock.sleeps)
	}
}

func TestPropagationRetryStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	p := PropagationRetry{Timeout: time.Minute, Interval: time.Millisecond}
	err := p.Do(ctx, "put", func(context.Context) error { return apiErr("AccessDenied", "no") })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
