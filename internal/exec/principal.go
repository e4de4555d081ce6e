package exec

import (
	"context"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go/middleware"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/policy"
)

// principal is the identity that signs a request: the copier role, or the
// credentials of an account block. Accounts knows it where it builds a
// client and attaches it to the client's failed requests (see
// withPrincipal), so an AWSError names who was refused without every call
// site saying it.
type principal struct {
	Role    *config.Role    // the copier role, assumed with SessionName; nil: account credentials
	Account *config.Account // whose credentials sign (or assume Role), and whose endpoint they reach
	ARN     string          // the caller's ARN from sts:GetCallerIdentity, when known
}

// String names the principal in the user's terms:
// `role arn:aws:iam::111111111111:role/lakesync-copier (session "lakesync")`
// or `credentials of account "prod" (111111111111) from profile "prod"`.
func (p principal) String() string {
	if p.Role != nil {
		return fmt.Sprintf("role %s (session %q)", p.Role.ARN(), SessionName)
	}
	a := p.Account
	if a == nil {
		return "the credentials in use"
	}
	s := "credentials of account " + accountLabel(a)
	if a.Name == "" {
		return s // known by id only, as in a Batch request
	}
	s += " from " + credentialSource(a)
	if p.ARN != "" && a.RoleARN == "" {
		s += " (" + p.ARN + ")"
	}
	return s
}

// roleARN is the ARN of the role that signs, "" for a user or when unknown.
func (p principal) roleARN() string {
	switch {
	case p.Role != nil:
		return p.Role.ARN()
	case p.Account != nil && p.Account.RoleARN != "":
		return p.Account.RoleARN
	case strings.Contains(p.ARN, ":assumed-role/") || strings.Contains(p.ARN, ":role/"):
		return p.ARN
	}
	return ""
}

// identityDocument names the policies of the principal itself.
func (p principal) identityDocument() string {
	a := p.Account
	switch {
	case p.Role != nil:
		return fmt.Sprintf("the inline policy %q of role %s (role.%s), which lakesync writes", policy.RolePolicyName, p.Role.RoleName, p.Role.Name)
	case a == nil:
		return "the IAM policies of the credentials in use"
	case a.RoleARN != "":
		return fmt.Sprintf("the IAM policies of role %s (role_arn of account %q)", a.RoleARN, a.Name)
	case p.ARN != "":
		return fmt.Sprintf("the IAM policies of %s (%s)", p.ARN, credentialSource(a))
	case a.Name == "":
		return "the IAM policies of the credentials of account " + a.ID
	}
	return fmt.Sprintf("the IAM policies of the user or role behind %s", credentialSource(a))
}

// accountLabel is `"prod" (111111111111)`, or the id alone when the block
// is not known by name.
func accountLabel(a *config.Account) string {
	if a.Name == "" {
		return a.ID
	}
	return fmt.Sprintf("%q (%s)", a.Name, a.ID)
}

// credentialSource says where an account block's credentials come from,
// naming the session of an assumed role_arn.
func credentialSource(a *config.Account) string {
	s := "the ambient credential chain (environment, default profile, instance role)"
	if a.Profile != "" {
		s = fmt.Sprintf("profile %q", a.Profile)
	}
	if a.RoleARN != "" {
		s = fmt.Sprintf("role %s (session %q) assumed with %s", a.RoleARN, SessionName, s)
	}
	return s
}

// requestError is a failed request of a client that Accounts built: the
// SDK's error, unchanged in its text, with who made the request and what
// it addressed. awsError reads it; errors.As sees through it.
type requestError struct {
	principal principal
	target    requestTarget
	err       error
}

func (e *requestError) Error() string { return e.err.Error() }
func (e *requestError) Unwrap() error { return e.err }

// requestTarget is what a request addressed, as far as the documents
// that decide it go: read from the request's input.
type requestTarget struct {
	Bucket       string         // the S3 bucket of the request
	BucketBlock  *config.Bucket // its block in the configuration, nil when none
	Source       string         // the source bucket of CopyObject / UploadPartCopy
	SourceBlock  *config.Bucket
	SourceObject string      // the copy source, "s3://bucket/key"
	KeyID        string      // the KMS key of a kms: request
	KeyBlock     *config.Key // its block, nil when none
}

// innermostRequest is the request error deepest in err's chain: the
// request that was refused, when one request was made for another (an
// AssumeRole made to sign a copier's request).
func innermostRequest(err error) *requestError {
	var found *requestError
	for e := err; e != nil; e = unwrapOne(e) {
		if re, ok := e.(*requestError); ok {
			found = re
		}
	}
	return found
}

func unwrapOne(err error) error {
	if u, ok := err.(interface{ Unwrap() error }); ok {
		return u.Unwrap()
	}
	return nil
}

// principalMiddlewareID is the id of the middleware withPrincipal adds.
const principalMiddlewareID = "lakesync.principal"

// principalMiddleware wraps every failed request of a client in a
// requestError. It sits first in the initialize step, outside the
// retryer: it sees the final error only.
type principalMiddleware struct {
	p   principal
	cfg *config.Config // to find the blocks of a request's bucket and key; may be nil
}

func (m *principalMiddleware) ID() string { return principalMiddlewareID }

func (m *principalMiddleware) HandleInitialize(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (
	middleware.InitializeOutput, middleware.Metadata, error) {
	out, md, err := next.HandleInitialize(ctx, in)
	if err != nil {
		return out, md, &requestError{principal: m.p, target: m.target(in.Parameters), err: err}
	}
	md.Set(requestOriginKey{}, requestOrigin{m: m, input: in.Parameters})
	return out, md, nil
}

// requestOriginKey keys the result metadata of a successful request with
// its requestOrigin, for the errors S3 reports inside a 200 answer
// (DeleteObjects' per-key errors).
type requestOriginKey struct{}

type requestOrigin struct {
	m     *principalMiddleware
	input any
}

// requestOf wraps err, an error reported inside the answer whose result
// metadata is md, with who made that request and what it addressed; it
// returns err alone when md is not from a client Accounts built.
func requestOf(md middleware.Metadata, err error) error {
	o, ok := md.Get(requestOriginKey{}).(requestOrigin)
	if !ok {
		return err
	}
	return &requestError{principal: o.m.p, target: o.m.target(o.input), err: err}
}

// target reads the bucket, copy source and key of a request's input. The
// SDK's inputs share no interface for these, so the fields are found by
// name; an input without them addresses no bucket.
func (m *principalMiddleware) target(in any) requestTarget {
	t := requestTarget{Bucket: inputString(in, "Bucket"), KeyID: inputString(in, "KeyId")}
	t.BucketBlock, t.KeyBlock = m.bucket(t.Bucket), m.key(t.KeyID)
	if src := inputString(in, "CopySource"); src != "" {
		src = strings.TrimPrefix(src, "/")
		if i := strings.IndexByte(src, '?'); i >= 0 {
			src = src[:i] // ?versionId=
		}
		if dec, err := url.PathUnescape(src); err == nil {
			src = dec
		}
		t.Source, _, _ = strings.Cut(src, "/")
		t.SourceBlock = m.bucket(t.Source)
		t.SourceObject = "s3://" + src
	}
	return t
}

func (m *principalMiddleware) bucket(name string) *config.Bucket {
	if name == "" || m.cfg == nil {
		return nil
	}
	for _, b := range m.cfg.Buckets {
		if b.BucketName == name {
			return b
		}
	}
	return nil
}

func (m *principalMiddleware) key(id string) *config.Key {
	if id == "" || m.cfg == nil {
		return nil
	}
	for _, k := range m.cfg.Keys {
		if id == k.ARN || id == k.Alias {
			return k
		}
	}
	return nil
}

// inputString is the *string field name of the struct in points to, or "".
func inputString(in any, name string) string {
	v := reflect.ValueOf(in)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return ""
	}
	f := v.Elem().FieldByName(name)
	if !f.IsValid() || f.Kind() != reflect.Pointer || f.IsNil() || f.Elem().Kind() != reflect.String {
		return ""
	}
	return f.Elem().String()
}

// withPrincipal returns cfg whose clients attach p to their failed
// requests, replacing the principal cfg had. The options are copied, so
// clients already made from cfg keep theirs.
func (a *Accounts) withPrincipal(cfg aws.Config, p principal) aws.Config {
	m := &principalMiddleware{p: p, cfg: a.cfg}
	opt := func(s *middleware.Stack) error {
		if _, ok := s.Initialize.Get(principalMiddlewareID); ok {
			_, err := s.Initialize.Swap(principalMiddlewareID, m)
			return err
		}
		return s.Initialize.Add(m, middleware.Before)
	}
	// Clipped: an SDK client appending its own options never writes into
	// the array another config shares.
	cfg.APIOptions = slices.Clip(append(slices.Clip(cfg.APIOptions), opt))
	return cfg
}
