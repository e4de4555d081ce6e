package exec

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"

	"github.com/lakesync/lakesync/internal/config"
)

// assumeCounter counts the sts:AssumeRole requests sent through it.
type assumeCounter struct {
	next aws.HTTPClient
	n    atomic.Int64
}

func (c *assumeCounter) Do(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		if bytes.Contains(b, []byte("Action=AssumeRole")) {
			c.n.Add(1)
		}
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	return c.next.Do(req)
}

// TestAccountsRenewRoleSessions copies through the copier clients that
// Accounts itself builds (RoleS3), counting the AssumeRole calls. With a
// refresh window as long as the session, every request starts a new
// session and the copy goes through across all of them; with the default
// window one session serves the whole run. No sleeps: the window decides.
func TestAccountsRenewRoleSessions(t *testing.T) {
	const n = 20
	for _, tt := range []struct {
		name    string
		session RoleSession
		check   func(assumes int64) bool
		want    string
	}{
		{"renewed before every request", RoleSession{Duration: 15 * time.Minute, RefreshWindow: 15 * time.Minute},
			// Two requests in flight may share one renewal.
			func(a int64) bool { return a >= n/2 }, fmt.Sprintf("at least %d (one per two objects in flight)", n/2)},
		{"the default window keeps one session", RoleSession{Duration: 15 * time.Minute},
			func(a int64) bool { return a == 1 }, "exactly 1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := newCopyWorld(t)
			for i := range n {
				w.Put(t, fmt.Sprintf("exports/o%03d", i), body(i, 100))
			}
			job := w.Job(config.ModeSync, config.TransferServerSide)
			job.Concurrency = 2
			counter := &assumeCounter{}
			acc := NewAccounts(w.Cfg)
			acc.RoleSession = tt.session
			acc.load = func(ctx context.Context, opts ...func(*awsconfig.LoadOptions) error) (aws.Config, error) {
				cfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
				counter.next, cfg.HTTPClient = cfg.HTTPClient, counter
				return cfg, err
			}
			ctx := t.Context()
			src, err := acc.RoleS3(ctx, w.CopierRole, w.Src, job.Concurrency)
			must(t, err)
			dst, err := acc.RoleS3(ctx, w.CopierRole, w.Dst, job.Concurrency)
			must(t, err)
			c := w.copier(t, job)
			c.Source, c.Destination = src, dst
			sum, err := c.Run(ctx, job)
			if err != nil || sum.Copied != n {
				t.Fatalf("copy: copied %d, %v", sum.Copied, err)
			}
			if a := counter.n.Load(); !tt.check(a) {
				t.Errorf("%d AssumeRole calls for %d objects, want %s", a, n, tt.want)
			}
		})
	}
}
