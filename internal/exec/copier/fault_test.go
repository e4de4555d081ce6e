package copier

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/awserr"
	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/testenv/faultproxy"
)

// TestCopyUnderFaults syncs objects (small ones and multipart ones)
// through a proxy that injects one kind of fault, and proves the run
// completes with every destination object byte-identical, the retries
// counted in the summary and the state recording exactly the objects.
func TestCopyUnderFaults(t *testing.T) {
	tests := []struct {
		name     string
		transfer config.Transfer
		rules    []faultproxy.Rule
	}{
		{"503 SlowDown bursts", config.TransferServerSide, []faultproxy.Rule{{Kind: faultproxy.SlowDown, Every: 5, Burst: 2}}},
		{"500 InternalError", config.TransferServerSide, []faultproxy.Rule{{Kind: faultproxy.InternalError, Every: 4}}},
		{"200 OK with an error body", config.TransferServerSide, []faultproxy.Rule{{Kind: faultproxy.OKWithError, Every: 3}}},
		{"slow responses past the timeout", config.TransferServerSide, []faultproxy.Rule{{Kind: faultproxy.Slow, Every: 9, Delay: 3 * time.Second}}},
		{"resets mid-body (stream)", config.TransferStream, []faultproxy.Rule{{Kind: faultproxy.Reset, Match: faultproxy.Gets, Every: 4}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newCopyWorld(t)
			const small = 30
			want := map[string][]byte{}
			for i := range small {
				b := body(i, 2048+i)
				w.Put(t, fmt.Sprintf("exports/s/%03d", i), b)
				want[fmt.Sprintf("prod/s/%03d", i)] = b
			}
			for i := range 2 {
				b := body(100+i, 6<<20+i)
				w.Put(t, fmt.Sprintf("exports/m/%d", i), b)
				want[fmt.Sprintf("prod/m/%d", i)] = b
			}
			proxy, err := faultproxy.New(w.Srv.URL, faultproxy.Config{Seed: 1, Rules: tt.rules})
			must(t, err)
			defer proxy.Close()

			job := w.Job(config.ModeSync, tt.transfer)
			job.MultipartThreshold, job.PartSize = 5<<20, 5<<20
			store, err := state.Open(w.State, state.Options{})
			must(t, err)
			c := &Copier{State: store, KMSKeyID: w.KeyARN, CommitInterval: 10 * time.Millisecond}
			if tt.transfer == config.TransferStream {
				c.Source, c.Destination = w.viaProxy(w.Prod.Config(), proxy.URL), w.viaProxy(w.Lake.Config(), proxy.URL)
			} else {
				cl := w.viaProxy(w.roleConfig(), proxy.URL)
				c.Source, c.Destination = cl, cl
			}
			sum, err := c.Run(t.Context(), job)
			must(t, store.Close())
			if err != nil {
				t.Fatalf("run under faults: %v (proxy: %s)", err, proxy.Counts())
			}
			counts := proxy.Counts()
			t.Logf("%s: %d objects copied, %d retries; proxy: %s", tt.name, sum.Copied, sum.Retries, counts)
			if counts.Total() == 0 {
				t.Fatal("no fault was injected: the test proves nothing")
			}
			if sum.Copied != int64(len(want)) || sum.Failed != 0 {
				t.Errorf("copied %d failed %d, want %d and 0", sum.Copied, sum.Failed, len(want))
			}
			if sum.Retries == 0 {
				t.Errorf("the summary counts no retry although %d faults were injected", counts.Total())
			}
			for key, b := range want {
				got, _ := w.Get(t, key)
				if !bytes.Equal(got, b) {
					t.Errorf("%s: %d bytes differ from the source's %d", key, len(got), len(b))
				}
			}
			store, err = state.Open(w.State, state.Options{ReadOnly: true})
			must(t, err)
			defer store.Close()
			n := 0
			for rec, err := range store.Records(context.Background(), job.Name, "") {
				must(t, err)
				if _, ok := want["prod/"+rec.SourceKey[len("exports/"):]]; !ok {
					t.Errorf("state records %s, which was not copied", rec.SourceKey)
				}
				n++
			}
			if n != len(want) {
				t.Errorf("state holds %d records, want %d", n, len(want))
			}
		})
	}
}

// viaProxy is an S3 client of cfg sent through the proxy, with a short
// response-header timeout so slow responses are retried quickly.
func (w *copyWorld) viaProxy(cfg aws.Config, url string) *s3.Client {
	hc := awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) { t.ResponseHeaderTimeout = time.Second })
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.BaseEndpoint = aws.String(url)
		o.UsePathStyle = true
		o.HTTPClient = hc
		// The production retryer's policy, with short waits so the test
		// spends its time on faults, not on backoff.
		o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
			so.MaxAttempts = awserr.MaxAttempts
			so.MaxBackoff = 200 * time.Millisecond
			so.RateLimiter = ratelimit.None
		})
	})
}

// roleConfig is the copier role's config (assumed directly from moto, not
// through the proxy).
func (w *copyWorld) roleConfig() aws.Config {
	base := w.Prod.Config()
	cfg := base.Copy()
	cfg.Credentials = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(sts.NewFromConfig(base), w.RoleARN))
	return cfg
}
