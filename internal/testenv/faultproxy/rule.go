package faultproxy

import (
	"net/http"
	"strings"
	"time"
)

// Kind is a kind of fault.
type Kind string

// The kinds of fault a Proxy injects.
const (
	// SlowDown answers 503 with an S3 SlowDown error; the request is not
	// forwarded.
	SlowDown Kind = "slowdown"
	// InternalError answers 500 with an S3 InternalError error; the request
	// is not forwarded.
	InternalError Kind = "internal_error"
	// Reset forwards the request, then sends the status line, the headers
	// and half of the backend's body and resets the connection (TCP RST).
	// When the backend's body is empty it sends half of the header block
	// instead, so the client never sees a complete response.
	Reset Kind = "reset"
	// Slow waits Rule.Delay before sending any header, then answers 503
	// SlowDown if the client is still waiting; the request is not
	// forwarded. Use a Delay longer than the client's timeout.
	Slow Kind = "slow"
	// OKWithError forwards the request, then answers 200 OK with an S3
	// InternalError body instead of the backend's answer. It applies only
	// to the operations S3 does this for (see IsCopyOrComplete): a rule of
	// this kind ignores every other request.
	OKWithError Kind = "ok_with_error"
	// AccessDenied answers 403 with an S3 AccessDenied error, as S3 does
	// when no policy allows the request; the request is not forwarded.
	AccessDenied Kind = "access_denied"
	// BucketAlreadyExists answers 409 with an S3 BucketAlreadyExists
	// error, as S3 answers CreateBucket while another account holds the
	// name (or S3 is still releasing it); the request is not forwarded.
	BucketAlreadyExists Kind = "bucket_already_exists"
	// BucketAlreadyOwnedByYou answers 409 with an S3
	// BucketAlreadyOwnedByYou error, as S3 answers CreateBucket of a name
	// the caller's account holds (also while it is still deleting that
	// bucket); the request is not forwarded.
	BucketAlreadyOwnedByYou Kind = "bucket_already_owned_by_you"
)

// Kinds lists every kind, in the order summaries print them.
var Kinds = []Kind{SlowDown, InternalError, Reset, Slow, OKWithError, AccessDenied, BucketAlreadyExists, BucketAlreadyOwnedByYou}

// Match selects requests. Every non-empty field must hold; the zero Match
// selects every request.
type Match struct {
	// Methods: the request method is one of these.
	Methods []string
	// Query: each of these query parameters is present (any value,
	// empty included: "uploads" matches "?uploads").
	Query []string
	// Headers: each of these headers is present.
	Headers []string
	// PathPrefix: the URL path starts with this ("/bucket/" for one
	// bucket in path style).
	PathPrefix string
}

// Matches reports whether r is selected by m.
func (m Match) Matches(r *http.Request) bool {
	if len(m.Methods) > 0 {
		ok := false
		for _, meth := range m.Methods {
			if strings.EqualFold(meth, r.Method) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	q := r.URL.Query()
	for _, p := range m.Query {
		if !q.Has(p) {
			return false
		}
	}
	for _, h := range m.Headers {
		if r.Header.Get(h) == "" {
			return false
		}
	}
	return strings.HasPrefix(r.URL.Path, m.PathPrefix)
}

// Convenient matches of S3 operations (path-style requests).
var (
	// CopyObjects selects CopyObject and UploadPartCopy.
	CopyObjects = Match{Methods: []string{http.MethodPut}, Headers: []string{"x-amz-copy-source"}}
	// CompleteUploads selects CompleteMultipartUpload.
	CompleteUploads = Match{Methods: []string{http.MethodPost}, Query: []string{"uploadId"}}
	// Gets selects GetObject and ListObjects(V2) and every other GET.
	Gets = Match{Methods: []string{http.MethodGet}}
	// Puts selects PutObject, UploadPart, CopyObject and every other PUT.
	Puts = Match{Methods: []string{http.MethodPut}}
)

// IsCopyOrComplete reports whether r is one of the operations S3 may
// answer with 200 OK and an error body: CopyObject and UploadPartCopy
// (PUT with x-amz-copy-source) and CompleteMultipartUpload (POST
// ?uploadId=).
func IsCopyOrComplete(r *http.Request) bool {
	return CopyObjects.Matches(r) || CompleteUploads.Matches(r)
}

// Rule says which requests get a fault of one kind.
//
// A rule counts the requests it matches. With Every set it fires on the
// Nth, 2Nth, ... of them; otherwise it fires with Probability, drawn from
// the proxy's seeded generator. Once fired it faults Burst consecutive
// matching requests (1 when Burst is 0). Max, when set, bounds the faults
// the rule injects in all.
type Rule struct {
	Kind        Kind
	Match       Match
	Every       int
	Probability float64
	Burst       int
	Max         int
	// Delay is how long a Slow fault holds the request before answering.
	Delay time.Duration
}

// ruleState is a rule and its counters; guarded by Proxy.mu.
type ruleState struct {
	Rule
	seen     int // matching requests so far
	pending  int // faults left in the current burst
	injected int
}

// decide reports whether the rule faults the next matching request, given
// a uniform draw in [0, 1).
func (s *ruleState) decide(draw func() float64) bool {
	s.seen++
	if s.Max > 0 && s.injected >= s.Max {
		return false
	}
	if s.pending > 0 {
		s.pending--
		s.injected++
		return true
	}
	fire := false
	switch {
	case s.Every > 0:
		fire = s.seen%s.Every == 0
	case s.Probability > 0:
		fire = draw() < s.Probability
	}
	if !fire {
		return false
	}
	s.pending = max(s.Burst, 1) - 1
	s.injected++
	return true
}
