package awserr

import (
	"context"
	"net/url"
	"reflect"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"

	"github.com/lakesync/lakesync/internal/config"
)

// requestError is a failed request of a client made from a config that
// WithPrincipal returned: the SDK's error, unchanged in its text, with who
// made the request and what it addressed. New reads it; errors.As sees
// through it.
type requestError struct {
	principal Principal
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

// principalMiddlewareID is the id of the middleware WithPrincipal adds.
const principalMiddlewareID = "lakesync.principal"

// principalMiddleware wraps every failed request of a client in a
// requestError. It sits first in the initialize step, outside the
// retryer: it sees the final error only.
type principalMiddleware struct {
	p   Principal
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

// RequestOf wraps err, an error reported inside the answer whose result
// metadata is md, with who made that request and what it addressed; it
// returns err alone when md is not from such a client.
func RequestOf(md middleware.Metadata, err error) error {
	o, ok := md.Get(requestOriginKey{}).(requestOrigin)
	if !ok {
		return err
	}
	return &requestError{principal: o.m.p, target: o.m.target(o.input), err: err}
}

// DeletedKeyError is one key's error in a DeleteObjects answer whose
// result metadata is md, as RequestOf wraps it: S3 answers 200 and lists
// the keys it refused in the body.
func DeletedKeyError(md middleware.Metadata, e s3types.Error) error {
	return RequestOf(md, &smithy.GenericAPIError{Code: aws.ToString(e.Code), Message: strings.TrimSpace(aws.ToString(e.Message))})
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

// WithPrincipal returns awsCfg whose clients attach p to their failed
// requests, replacing the principal awsCfg had; blocks is the
// configuration whose buckets and keys a request's input is matched
// against (nil: none). The options are copied, so clients already made
// from awsCfg keep theirs.
func WithPrincipal(awsCfg aws.Config, p Principal, blocks *config.Config) aws.Config {
	m := &principalMiddleware{p: p, cfg: blocks}
	opt := func(s *middleware.Stack) error {
		if _, ok := s.Initialize.Get(principalMiddlewareID); ok {
			_, err := s.Initialize.Swap(principalMiddlewareID, m)
			return err
		}
		return s.Initialize.Add(m, middleware.Before)
	}
	// Clipped: an SDK client appending its own options never writes into
	// the array another config shares.
	awsCfg.APIOptions = slices.Clip(append(slices.Clip(awsCfg.APIOptions), opt))
	return awsCfg
}
