package awserr

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/lakesync/lakesync/internal/config"
)

// Error is a failed AWS request, named in the user's terms: the
// operation as an IAM action ("s3:GetBucketPolicy"), the resource and its
// account block, who made the request and, when it was refused, the
// documents that decide it. Use New to make one; errors.As finds it,
// and the SDK error stays reachable with errors.Unwrap / errors.As
// (smithy.APIError).
type Error struct {
	Op          string // the API operation, "s3:GetBucketPolicy"
	Resource    string // ARN or name of what was touched
	AccountName string // block label of the resource's account
	AccountID   string
	Code        string // the AWS error code, "AccessDenied"; empty for transport errors
	Err         error

	// Principal names who made the request:
	// `role arn:aws:iam::111111111111:role/lakesync-copier (session "lakesync")`
	// or `credentials of account "prod" (111111111111) from profile "prod"`.
	Principal string
	// PrincipalARN is the ARN of the role that made the request; empty
	// for an IAM user or when unknown.
	PrincipalARN string
	// CopySource is the object a CopyObject or UploadPartCopy read,
	// "s3://bucket/key".
	CopySource string
	// Documents are the policies that decide whether Principal may make
	// the request, its own first; set when the request was refused.
	Documents []string
	// Endpoint is the URL that could not be reached, Unreachable why
	// ("connection refused", "no such host", "TLS: ..."), and Checks what
	// to check, the account block's settings first.
	Endpoint    string
	Unreachable string
	Checks      []string
}

func (e *Error) Error() string {
	acct := fmt.Sprintf("%q (%s)", e.AccountName, e.AccountID)
	if e.AccountName == "" {
		acct = e.AccountID // known by id only, as in a Batch request
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s on %s", e.Op, e.Resource)
	if acct != "" {
		fmt.Fprintf(&b, " in account %s", acct)
	}
	b.WriteString(" failed")
	if e.Code != "" {
		fmt.Fprintf(&b, " (%s)", e.Code)
	}
	switch {
	case isAccessDeniedCode(e.Code):
		verb := "lacks"
		if strings.Contains(e.principal(), "credentials") {
			verb = "lack"
		}
		fmt.Fprintf(&b, ": %s %s permission %s on %s", e.principal(), verb, Permission(e.Op), e.Resource)
		if e.CopySource != "" {
			fmt.Fprintf(&b, " (copying %s)", e.CopySource)
		}
		if len(e.Documents) > 0 {
			fmt.Fprintf(&b, "; look at %s", strings.Join(e.Documents, "; "))
		}
	case e.Endpoint != "":
		fmt.Fprintf(&b, ": cannot reach %s (%s)", e.Endpoint, e.Unreachable)
		if len(e.Checks) > 0 {
			fmt.Fprintf(&b, "; check %s", strings.Join(e.Checks, "; "))
		}
		fmt.Fprintf(&b, "; requested by %s", e.principal())
	default:
		fmt.Fprintf(&b, ", requested by %s", e.principal())
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	return b.String()
}

func (e *Error) principal() string {
	if e.Principal == "" {
		return "the credentials in use"
	}
	return e.Principal
}

func (e *Error) Unwrap() error { return e.Err }

// New wraps err from operation op ("s3:GetBucketPolicy") on resource
// (an ARN or name) in account acct (nil: the account of the bucket the
// request addressed). Context cancellation is returned as is, so callers
// can tell an interrupted run from a refusal. The SDK's error text names
// operation, status, request id and the service message, never
// credentials, so it is kept whole.
//
// Who made the request comes from the client (see WithPrincipal); an
// error of another client is taken to come from acct's own credentials.
func New(op, resource string, acct *config.Account, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s on %s: %w", op, resource, err)
	}
	e := &Error{Op: op, Resource: resource, Code: Code(err), Err: err}
	p, t := Principal{Account: acct}, requestTarget{}
	if re := innermostRequest(err); re != nil {
		p, t = re.principal, re.target
	} else {
		t.Bucket = bucketOfResource(resource)
	}
	if acct == nil && t.BucketBlock != nil {
		acct = t.BucketBlock.Account
	}
	if acct != nil {
		e.AccountName, e.AccountID = acct.Name, acct.ID
	}
	e.Principal, e.PrincipalARN, e.CopySource = p.String(), p.roleARN(), t.SourceObject
	switch {
	case isAccessDeniedCode(e.Code):
		e.Documents = documents(op, resource, p, t)
	default:
		if u, ok := unreachable(err); ok {
			if p.Account == nil {
				p.Account = acct
			}
			e.Endpoint, e.Unreachable, e.Checks = u.endpoint, u.reason, u.checks(p.Account)
		}
	}
	return e
}
