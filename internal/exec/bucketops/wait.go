package bucketops

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/lakesync/lakesync/internal/exec/awserr"
)

// The back-off of CreateWaiting: the first wait, doubled after each
// attempt up to the cap.
const (
	firstWait = 2 * time.Second
	maxWait   = time.Minute
)

// heldCodes are the answers of CreateBucket while S3 still holds a name
// (a bucket being deleted, or one not yet released).
var heldCodes = []string{"OperationAborted", "BucketAlreadyExists"}

// ErrNameHeld is wrapped by a create func's error when it finds the name
// still held in a way S3 does not answer with an error: a bucket the
// account owns answers BucketAlreadyOwnedByYou, which is a success for a
// create that adopts, but the bucket may be the one being deleted, in
// another region. CreateWaiting waits on it as on heldCodes.
var ErrNameHeld = errors.New("the bucket name is still held")

// Waiter creates a bucket whose name may still be held. Sleep is
// injectable (nil: a timer honouring ctx) so tests do not wait.
type Waiter struct {
	// Wait is the most CreateWaiting waits in all, between attempts.
	Wait time.Duration
	// Notify, when not nil, is called before each wait with the attempt
	// that failed (1 for the first), its error and the wait to come.
	Notify func(attempt int, err error, next time.Duration)
	Sleep  func(ctx context.Context, d time.Duration) error
	// Name is the bucket name waited for, for the error; optional.
	Name string
}

// CreateWaiting calls create until it succeeds, retrying while the name
// is still held (OperationAborted, BucketAlreadyExists, ErrNameHeld) with exponential
// back-off capped at 1 minute, for up to w.Wait in total; Notify is
// called before each wait with what it waits for. Any other error of
// create is returned at once, as is ctx's end. The waits are counted,
// not the time create takes.
func (w Waiter) CreateWaiting(ctx context.Context, create func(context.Context) error) error {
	sleep := w.Sleep
	if sleep == nil {
		sleep = Sleep
	}
	var waited time.Duration
	next := firstWait
	for attempt := 1; ; attempt++ {
		err := create(ctx)
		if err == nil || !awserr.HasCode(err, heldCodes...) && !errors.Is(err, ErrNameHeld) {
			return err
		}
		d := min(next, w.Wait-waited)
		if d <= 0 {
			return fmt.Errorf("%s was still held after waiting %s (%d attempts; --name-wait sets how long): %w",
				w.what(), w.Wait, attempt, err)
		}
		if w.Notify != nil {
			w.Notify(attempt, err, d)
		}
		if err := sleep(ctx, d); err != nil {
			return fmt.Errorf("waiting for %s: %w", w.what(), err)
		}
		waited += d
		next = min(2*next, maxWait)
	}
}

func (w Waiter) what() string {
	if w.Name == "" {
		return "the bucket name"
	}
	return "the bucket name " + w.Name
}

// Sleep waits d or until ctx ends: Waiter's sleep when it has none.
func Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
