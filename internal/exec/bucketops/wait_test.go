package bucketops

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/lakesync/lakesync/internal/exec/awserr"
	"github.com/lakesync/lakesync/internal/testenv/faultproxy"
	"github.com/lakesync/lakesync/internal/testenv/moto"
)

// heldName is a proxy in front of moto that answers the first n
// CreateBucket requests for bucket with BucketAlreadyExists, and a
// create func of a's through it that counts its attempts.
func heldName(t *testing.T, a *moto.Account, bucket string, n int) (create func(context.Context) error, attempts *int) {
	t.Helper()
	p, err := faultproxy.New(motoSrv.URL, faultproxy.Config{Rules: []faultproxy.Rule{{Kind: faultproxy.BucketAlreadyExists,
		Match: faultproxy.Match{Methods: []string{http.MethodPut}, PathPrefix: "/" + bucket}, Every: 1, Max: n}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	cfg := a.Config()
	cfg.BaseEndpoint = aws.String(p.URL)
	c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	attempts = new(int)
	return func(ctx context.Context) error {
		*attempts++
		_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket),
			CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(a.Region)}})
		return awserr.New("s3:CreateBucket", bucket, nil, err)
	}, attempts
}

// sleeps records the waits asked for, without waiting.
func sleeps(got *[]time.Duration) func(context.Context, time.Duration) error {
	return func(_ context.Context, d time.Duration) error {
		*got = append(*got, d)
		return nil
	}
}

// The name is held for 4 attempts (BucketAlreadyExists from the fault
// proxy), then moto creates the bucket: 5 attempts, 4 notices, back-off
// doubling from 2s.
func TestCreateWaitingRetriesWhileHeld(t *testing.T) {
	_, neu := accounts(t)
	ctx := t.Context()
	create, attempts := heldName(t, neu, "reborn", 4)
	var waits, notified []time.Duration
	w := Waiter{Wait: 2 * time.Hour, Sleep: sleeps(&waits), Notify: func(attempt int, err error, next time.Duration) {
		if attempt != len(notified)+1 || !awserr.HasCode(err, "BucketAlreadyExists") {
			t.Errorf("notice %d: attempt %d, %v", len(notified)+1, attempt, err)
		}
		notified = append(notified, next)
	}}
	if err := w.CreateWaiting(ctx, create); err != nil {
		t.Fatal(err)
	}
	if *attempts != 5 {
		t.Errorf("%d attempts, want 5", *attempts)
	}
	want := []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second}
	if d := cmp.Diff(want, notified); d != "" {
		t.Errorf("notices (-want +got):\n%s", d)
	}
	if d := cmp.Diff(want, waits); d != "" {
		t.Errorf("waits (-want +got):\n%s", d)
	}
	if err := headBucket(ctx, neu, "reborn"); err != nil {
		t.Errorf("bucket after CreateWaiting: %v", err)
	}
}

// The back-off stops doubling at a minute, and the wait gives up after
// Wait in all, saying what it waited for and how long.
func TestCreateWaitingGivesUp(t *testing.T) {
	_, neu := accounts(t)
	create, attempts := heldName(t, neu, "still-held", 1000)
	var waits []time.Duration
	w := Waiter{Wait: 3 * time.Minute, Sleep: sleeps(&waits), Name: "still-held"}
	err := w.CreateWaiting(t.Context(), create)
	want := []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 32 * time.Second,
		time.Minute, 58 * time.Second}
	if d := cmp.Diff(want, waits); d != "" {
		t.Errorf("waits (-want +got):\n%s", d)
	}
	if *attempts != len(want)+1 {
		t.Errorf("%d attempts, want %d", *attempts, len(want)+1)
	}
	if err == nil || !strings.HasPrefix(err.Error(), "the bucket name still-held was still held after waiting 3m0s (8 attempts; --name-wait sets how long): s3:CreateBucket on still-held") ||
		!awserr.HasCode(err, "BucketAlreadyExists") {
		t.Errorf("error %v, want what it waited for and how long", err)
	}
}

// Any other error returns at once; the end of ctx stops the wait.
func TestCreateWaitingStops(t *testing.T) {
	denied := errors.New("AccessDenied")
	calls := 0
	err := Waiter{Wait: time.Hour, Sleep: sleeps(new([]time.Duration))}.CreateWaiting(t.Context(), func(context.Context) error {
		calls++
		return denied
	})
	if !errors.Is(err, denied) || calls != 1 {
		t.Errorf("other error: %v after %d calls, want it at once", err, calls)
	}

	held := &smithy.GenericAPIError{Code: "OperationAborted"}
	ctx, cancel := context.WithCancel(t.Context())
	calls = 0
	err = Waiter{Wait: time.Hour, Sleep: func(ctx context.Context, d time.Duration) error {
		cancel()
		return Sleep(ctx, d)
	}}.CreateWaiting(ctx, func(context.Context) error { calls++; return held })
	if !errors.Is(err, context.Canceled) || calls != 1 {
		t.Errorf("cancelled: %v after %d calls, want context.Canceled after 1", err, calls)
	}
	// The default sleep honours a context that has ended.
	if err := (Waiter{Wait: time.Hour}).CreateWaiting(ctx, func(context.Context) error { return held }); !errors.Is(err, context.Canceled) {
		t.Errorf("default sleep with an ended context: %v", err)
	}
}

// A create func that finds the name still held without an S3 error says
// so with ErrNameHeld, and is waited on like BucketAlreadyExists.
func TestCreateWaitingOnErrNameHeld(t *testing.T) {
	calls := 0
	var waits []time.Duration
	err := Waiter{Wait: time.Hour, Sleep: sleeps(&waits)}.CreateWaiting(t.Context(), func(context.Context) error {
		if calls++; calls < 3 {
			return fmt.Errorf("the old bucket is still there: %w", ErrNameHeld)
		}
		return nil
	})
	if err != nil || calls != 3 || len(waits) != 2 {
		t.Errorf("%v after %d calls and %d waits, want success after 3 calls and 2 waits", err, calls, len(waits))
	}
}
