package faultproxy

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Config is the configuration of a Proxy.
type Config struct {
	// Seed seeds the generator of probabilistic rules.
	Seed uint64
	// Rules are tried in order for every request; the first that fires
	// decides the fault. Every matching rule counts the request, up to the
	// one that fires.
	Rules []Rule
}

// Proxy is a running fault-injecting reverse proxy. Its methods are safe
// for concurrent use.
type Proxy struct {
	// URL is the proxy's base URL, http://127.0.0.1:PORT; use it as the
	// endpoint of the clients under test.
	URL string

	backend   *url.URL
	transport *http.Transport
	forward   *httputil.ReverseProxy
	server    *http.Server
	done      chan struct{}
	closeOnce sync.Once
	serveErr  chan error

	mu       sync.Mutex
	rng      *rand.Rand
	rules    []*ruleState
	counts   map[Kind]int
	requests atomic.Int64
	seq      atomic.Int64
}

// New starts a proxy on 127.0.0.1:0 in front of backend (a base URL such
// as moto's http://127.0.0.1:PORT). Close it when done.
func New(backend string, cfg Config) (*Proxy, error) {
	u, err := url.Parse(backend)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("faultproxy: backend %q is not a base URL", backend)
	}
	if err := validateRules(cfg.Rules); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("faultproxy: listen: %w", err)
	}
	p := &Proxy{
		URL:       "http://" + ln.Addr().String(),
		backend:   u,
		transport: &http.Transport{Proxy: nil, MaxIdleConnsPerHost: 64, DisableCompression: true},
		done:      make(chan struct{}),
		serveErr:  make(chan error, 1),
		rng:       rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
		counts:    map[Kind]int{},
	}
	p.setRules(cfg.Rules)
	p.forward = &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(u)
			pr.Out.Host = pr.In.Host // the client signed its own Host
		},
		Transport: p.transport,
		ErrorLog:  nil,
	}
	p.server = &http.Server{Handler: http.HandlerFunc(p.serveHTTP), ReadHeaderTimeout: time.Minute}
	go func() { p.serveErr <- p.server.Serve(ln) }()
	return p, nil
}

func validateRules(rules []Rule) error {
	for i, r := range rules {
		if err := r.validate(); err != nil {
			return fmt.Errorf("faultproxy: rule %d: %w", i, err)
		}
	}
	return nil
}

func (r Rule) validate() error {
	switch r.Kind {
	case SlowDown, InternalError, Reset, OKWithError, AccessDenied, BucketAlreadyExists, BucketAlreadyOwnedByYou:
	case Slow:
		if r.Delay <= 0 {
			return errors.New("a slow rule needs a Delay")
		}
	default:
		return fmt.Errorf("unknown fault kind %q", r.Kind)
	}
	if r.Every < 0 || r.Burst < 0 || r.Max < 0 || r.Probability < 0 || r.Probability > 1 {
		return errors.New("rule fields Every, Burst and Max must be >= 0 and Probability within [0, 1]")
	}
	if r.Every == 0 && r.Probability == 0 {
		return errors.New("set Every or Probability")
	}
	return nil
}

// SetRules replaces the rules (and their counters, not the fault counts):
// for example none, to verify the result of a faulty run through the same
// endpoint.
func (p *Proxy) SetRules(rules ...Rule) error {
	if err := validateRules(rules); err != nil {
		return err
	}
	p.setRules(rules)
	return nil
}

func (p *Proxy) setRules(rules []Rule) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rules = p.rules[:0]
	for _, r := range rules {
		p.rules = append(p.rules, &ruleState{Rule: r})
	}
}

// Counts returns the faults injected so far, by kind.
func (p *Proxy) Counts() Counts {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := Counts{Requests: int(p.requests.Load()), Faults: map[Kind]int{}}
	for k, n := range p.counts {
		c.Faults[k] = n
	}
	return c
}

// Counts are the requests a proxy saw and the faults it injected.
type Counts struct {
	Requests int
	Faults   map[Kind]int
}

// Total is the number of faults of every kind.
func (c Counts) Total() int {
	n := 0
	for _, v := range c.Faults {
		n += v
	}
	return n
}

// String is "requests=N slowdown=N internal_error=N ...", every kind
// listed.
func (c Counts) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "requests=%d", c.Requests)
	for _, k := range Kinds {
		fmt.Fprintf(&b, " %s=%d", k, c.Faults[k])
	}
	return b.String()
}

// Close stops the proxy: it closes the listener and every connection and
// releases requests held by Slow faults.
func (p *Proxy) Close() error {
	var err error
	p.closeOnce.Do(func() {
		close(p.done)
		err = p.server.Close()
		if serr := <-p.serveErr; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
			err = errors.Join(err, serr)
		}
		p.transport.CloseIdleConnections()
	})
	return err
}

// choose returns the rule that faults r, or nil.
func (p *Proxy) choose(r *http.Request) *ruleState {
	if strings.HasPrefix(r.URL.Path, "/moto-api/") {
		return nil // the harness's own control requests
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, s := range p.rules {
		if !s.Match.Matches(r) || (s.Kind == OKWithError && !IsCopyOrComplete(r)) {
			continue
		}
		if s.decide(p.rng.Float64) {
			p.counts[s.Kind]++
			return s
		}
	}
	return nil
}

func (p *Proxy) serveHTTP(w http.ResponseWriter, r *http.Request) {
	p.requests.Add(1)
	rule := p.choose(r)
	if rule == nil {
		p.forward.ServeHTTP(w, r)
		return
	}
	switch rule.Kind {
	case SlowDown:
		p.writeError(w, r, http.StatusServiceUnavailable, "SlowDown", "Please reduce your request rate.")
	case InternalError:
		p.writeError(w, r, http.StatusInternalServerError, "InternalError", "We encountered an internal error. Please try again.")
	case AccessDenied:
		p.writeError(w, r, http.StatusForbidden, "AccessDenied", "Access Denied")
	case BucketAlreadyExists:
		p.writeError(w, r, http.StatusConflict, "BucketAlreadyExists", "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.")
	case BucketAlreadyOwnedByYou:
		p.writeError(w, r, http.StatusConflict, "BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.")
	case Slow:
		t := time.NewTimer(rule.Delay)
		defer t.Stop()
		select {
		case <-t.C:
			p.writeError(w, r, http.StatusServiceUnavailable, "SlowDown", "Please reduce your request rate.")
		case <-r.Context().Done(): // the client gave up, as intended
		case <-p.done:
		}
	case Reset:
		p.resetMidBody(w, r)
	case OKWithError:
		resp, err := p.roundTrip(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		resp.Body.Close()
		p.writeError(w, r, http.StatusOK, "InternalError", "We encountered an internal error. Please try again.")
	}
}

// roundTrip sends r to the backend and reads the whole answer.
func (p *Proxy) roundTrip(r *http.Request) (*http.Response, error) {
	out := r.Clone(r.Context())
	out.RequestURI = ""
	out.URL.Scheme, out.URL.Host = p.backend.Scheme, p.backend.Host
	out.Host = r.Host
	return p.transport.RoundTrip(out)
}

// writeError answers with an S3 error document (no body for HEAD).
func (p *Proxy) writeError(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	id := fmt.Sprintf("FAULTPROXY%08d", p.seq.Add(1))
	body := fmt.Sprintf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code><Message>%s</Message><RequestId>%s</RequestId><HostId>faultproxy</HostId></Error>", code, msg, id)
	h := w.Header()
	h.Set("Content-Type", "application/xml")
	h.Set("x-amz-request-id", id)
	h.Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write([]byte(body))
	}
}
