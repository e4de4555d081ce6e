package moto

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ErrNotFound is returned by Start when moto_server is not on PATH.
var ErrNotFound = errors.New("moto_server not found: install with `pip install 'moto[server]'`")

// Binary is the executable Start looks for on PATH.
const Binary = "moto_server"

// Server is a running moto_server on a loopback port.
type Server struct {
	// URL is the server's base URL, http://127.0.0.1:PORT, to use as the
	// SDK endpoint (endpoint_url / BaseEndpoint).
	URL string
	// Port is the TCP port the server listens on.
	Port int

	cmd    *exec.Cmd
	log    *lockedBuffer
	exited chan struct{}
	http   *http.Client

	stopOnce sync.Once
	stopErr  error
}

// Start finds moto_server on PATH, runs it on a free loopback port and
// waits until it answers. It returns ErrNotFound (wrapped) when the binary
// is missing; the caller decides whether that skips or fails (see Main).
// The caller must call Stop.
func Start(ctx context.Context) (*Server, error) {
	bin, err := exec.LookPath(Binary)
	if err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrNotFound, err)
	}
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		port, err := freePort()
		if err != nil {
			return nil, fmt.Errorf("moto: pick a free port: %w", err)
		}
		s, err := startOn(ctx, bin, port)
		if err == nil {
			return s, nil
		}
		lastErr = err
		if ctx.Err() != nil {
			break
		}
	}
	return nil, lastErr
}

// freePort asks the kernel for a free loopback port. Another process may
// take it before moto binds it; Start retries on that collision.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	if err := l.Close(); err != nil {
		return 0, err
	}
	return port, nil
}

func startOn(ctx context.Context, bin string, port int) (*Server, error) {
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	cmd.Env = serverEnv()
	log := &lockedBuffer{}
	cmd.Stdout = log
	cmd.Stderr = log
	setProcessGroup(cmd)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("moto: start %s: %w", bin, err)
	}
	s := &Server{
		URL:    fmt.Sprintf("http://127.0.0.1:%d", port),
		Port:   port,
		cmd:    cmd,
		log:    log,
		exited: make(chan struct{}),
		http:   &http.Client{Timeout: 30 * time.Second},
	}
	go func() {
		_ = cmd.Wait()
		close(s.exited)
	}()
	if err := s.waitReady(ctx, 60*time.Second); err != nil {
		_ = s.Stop()
		return nil, err
	}
	return s, nil
}

// serverEnv is the test process environment without the variables that
// would change moto's behaviour (MOTO_ACCOUNT_ID forces a single account).
func serverEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if bytes.HasPrefix([]byte(kv), []byte("MOTO_ACCOUNT_ID=")) {
			continue
		}
		env = append(env, kv)
	}
	return env
}

func (s *Server) waitReady(ctx context.Context, timeout time.Duration) error {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/moto-api/", nil)
		if err != nil {
			return fmt.Errorf("moto: %w", err)
		}
		if resp, err := s.http.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("moto: waiting for %s: %w", s.URL, ctx.Err())
		case <-s.exited:
			return fmt.Errorf("moto: moto_server on port %d exited before it was ready; its output:\n%s", s.Port, s.log.String())
		case <-deadline.C:
			return fmt.Errorf("moto: moto_server on port %d not ready after %s; its output:\n%s", s.Port, timeout, s.log.String())
		case <-tick.C:
		}
	}
}

// Stop kills the server and every process it started (its process group)
// and waits for it to exit. It is safe to call more than once.
func (s *Server) Stop() error {
	s.stopOnce.Do(func() {
		if err := killProcessGroup(s.cmd); err != nil {
			s.stopErr = fmt.Errorf("moto: stop server on port %d: %w", s.Port, err)
		}
		select {
		case <-s.exited:
		case <-time.After(10 * time.Second):
			s.stopErr = fmt.Errorf("moto: server on port %d did not exit within 10s", s.Port)
		}
	})
	return s.stopErr
}

// Log returns what the server printed so far, for failure messages.
func (s *Server) Log() string { return s.log.String() }

// logTail is the last n lines the server printed.
func (s *Server) logTail(n int) string {
	lines := strings.Split(strings.TrimRight(s.log.String(), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// Reset wipes every account's resources (POST /moto-api/reset) and turns
// authentication off (moto's reset keeps it). IAM users and their keys are
// wiped too: create the accounts again afterwards.
func (s *Server) Reset(ctx context.Context) error {
	if err := s.SetAuth(ctx, false); err != nil {
		return err
	}
	return s.post(ctx, "/moto-api/reset", "")
}

// SetAuth turns moto's request authentication and IAM evaluation on
// (POST /moto-api/reset-auth with "0") or off ("inf"). It checks
// signatures, identity policies and trust policies, never cross-account
// resource policies.
func (s *Server) SetAuth(ctx context.Context, on bool) error {
	body := "inf"
	if on {
		body = "0"
	}
	return s.post(ctx, "/moto-api/reset-auth", body)
}

func (s *Server) post(ctx context.Context, path, body string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL+path, bytes.NewBufferString(body))
	if err != nil {
		return fmt.Errorf("moto: POST %s: %w", path, err)
	}
	resp, err := s.http.Do(req)
	if err != nil {
		return fmt.Errorf("moto: POST %s: %w", path, err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("moto: POST %s: %s: %s", path, resp.Status, msg)
	}
	return nil
}

// lockedBuffer collects the server's output; the process writes while
// tests may read it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	// Keep the last 64 KiB only: moto logs every request.
	if b.buf.Len() > 64<<10 {
		tail := append([]byte(nil), b.buf.Bytes()[b.buf.Len()-32<<10:]...)
		b.buf.Reset()
		b.buf.Write(tail)
	}
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
