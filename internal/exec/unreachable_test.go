package exec

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/awserr"
)

// staticProfiles writes a shared config and credentials file with one
// profile "prod" holding static keys, and points the SDK at them alone.
func staticProfiles(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	conf, creds := filepath.Join(dir, "config"), filepath.Join(dir, "credentials")
	must(t, os.WriteFile(conf, []byte("[profile prod]\nregion = eu-west-1\n"), 0o600))
	must(t, os.WriteFile(creds, []byte("[prod]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = secret\n"), 0o600))
	t.Setenv("AWS_CONFIG_FILE", conf)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", creds)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
		"AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"} {
		t.Setenv(k, "")
	}
}

// countingHTTP counts the attempts of the clients acc builds; past max it
// cancels, so a retrying client stops at once instead of backing off for
// minutes.
func countingHTTP(acc *Accounts, attempts *atomic.Int64, max int64, cancel context.CancelFunc) {
	acc.load = func(ctx context.Context, opts ...func(*awsconfig.LoadOptions) error) (aws.Config, error) {
		cfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
		inner := cfg.HTTPClient
		cfg.HTTPClient = doerFunc(func(r *http.Request) (*http.Response, error) {
			if attempts.Add(1) > max {
				cancel()
			}
			return inner.Do(r)
		})
		return cfg, err
	}
}

type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

// An endpoint that refuses connections, does not exist or fails TLS is
// tried once, not retried for minutes, and the error names the endpoint,
// the account block and what to check.
func TestUnreachableEndpointFailsAtOnceNamingWhatToCheck(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	refusing := "http://" + ln.Addr().String()
	must(t, ln.Close()) // nothing listens there now: connection refused

	var tlsConns atomic.Int64
	untrusted := httptest.NewUnstartedServer(http.NotFoundHandler())
	untrusted.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			tlsConns.Add(1)
		}
	}
	untrusted.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake errors are expected
	untrusted.StartTLS()                                   // its certificate is signed by no CA this machine trusts
	t.Cleanup(untrusted.Close)

	tests := []struct {
		name, endpoint, reason string
		extra                  string // a check only this failure gets
	}{
		{"connection refused", refusing, "connection refused", ""},
		{"no such host", "http://lakesync-test.invalid:9000", "no such host", "that the host name is spelt right"},
		{"TLS failure", untrusted.URL, "TLS: x509: certificate signed by unknown authority", "signed by a CA this machine trusts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.reason == "no such host" {
				requireNXDOMAIN(t, "lakesync-test.invalid")
			}
			staticProfiles(t)
			acct := &config.Account{Name: "prod", ID: prodID, Region: "eu-west-1", Profile: "prod", EndpointURL: tt.endpoint}
			acc := NewAccounts(&config.Config{Accounts: []*config.Account{acct}})
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			var attempts atomic.Int64
			countingHTTP(acc, &attempts, 1, cancel)
			before := tlsConns.Load()

			_, err := acc.Config(ctx, acct)
			if err == nil {
				t.Fatal("an unreachable endpoint was reached")
			}
			msg := err.Error()
			t.Log(msg)
			if n := attempts.Load(); n != 1 {
				t.Errorf("%d attempts, want 1: an unreachable endpoint is not retried", n)
			}
			if tt.name == "TLS failure" && tlsConns.Load()-before != 1 {
				t.Errorf("the TLS server saw %d connections, want 1", tlsConns.Load()-before)
			}
			var ae *awserr.Error
			if !errors.As(err, &ae) || ae.Endpoint != tt.endpoint {
				t.Fatalf("awserr.Error %+v does not name endpoint %s", ae, tt.endpoint)
			}
			want := []string{
				"cannot reach " + tt.endpoint + " (" + tt.reason,
				fmt.Sprintf("that endpoint_url = %q of account \"prod\" is right", tt.endpoint),
				"a proxy (HTTPS_PROXY, NO_PROXY) or a VPC endpoint",
				`that region "eu-west-1" of account "prod" is right`,
				`requested by credentials of account "prod" (111111111111) from profile "prod"`,
			}
			if tt.extra != "" {
				want = append(want, tt.extra)
			}
			for _, w := range want {
				if !strings.Contains(msg, w) {
					t.Errorf("error does not say %q", w)
				}
			}
		})
	}
}

func requireNXDOMAIN(t *testing.T, host string) {
	t.Helper()
	_, err := net.DefaultResolver.LookupHost(t.Context(), host)
	var dnsErr *net.DNSError
	if !errors.As(err, &dnsErr) || !dnsErr.IsNotFound {
		t.Skipf("this machine's resolver does not answer %s with NXDOMAIN (%v): the case needs one that does", host, err)
	}
}

// Throttling and 5xx keep their generous retries; an unreachable
// endpoint gets none.
func TestRetryerRetriesThrottlingNotUnreachable(t *testing.T) {
	sendErr := func(err error) error {
		return &smithyhttp.RequestSendError{Err: &url.Error{Op: "Post", URL: "https://s3.eu-west-1.amazonaws.com/", Err: err}}
	}
	status := func(code int, apiCode string) error {
		return &smithyhttp.ResponseError{Response: &smithyhttp.Response{Response: &http.Response{StatusCode: code}},
			Err: &smithy.GenericAPIError{Code: apiCode}}
	}
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"connection refused", sendErr(&net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}), false},
		{"no such host", sendErr(&net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Name: "x.invalid", Err: "no such host", IsNotFound: true}}), false},
		{"connection reset", sendErr(&net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}), true},
		{"503 SlowDown", status(503, "SlowDown"), true},
		{"500 InternalError", status(500, "InternalError"), true},
		{"400 Throttling", status(400, "Throttling"), true},
	}
	r := awserr.NewRetryer()
	for _, tt := range tests {
		if got := r.IsErrorRetryable(tt.err); got != tt.want {
			t.Errorf("%s: retryable %v, want %v", tt.name, got, tt.want)
		}
	}
	if r.MaxAttempts() != awserr.MaxAttempts {
		t.Errorf("max attempts %d, want %d", r.MaxAttempts(), awserr.MaxAttempts)
	}
}
