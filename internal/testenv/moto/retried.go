package moto

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
)

// The SDK retries a request whose answer did not arrive (a 5xx, a reset
// connection), and moto may have carried it out before the answer was
// lost. A create retried that way finds what its first attempt made and
// answers AlreadyExists. The helpers here count a call's attempts and
// take that answer, from attempt 2 on, as success; at the first attempt
// it stays an error (the world was not wiped as the test assumed).

// attempts counts the attempts of one SDK call, retries included: pass
// it in the call's APIOptions.
func attempts(n *int) func(*middleware.Stack) error {
	return func(st *middleware.Stack) error {
		return st.Finalize.Add(middleware.FinalizeMiddlewareFunc("MotoCountAttempts",
			func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
				*n++
				return next.HandleFinalize(ctx, in)
			}), middleware.After)
	}
}

// madeByRetry reports whether err is an AlreadyExists answer (code) to
// a call that took n attempts: what the call itself made.
func madeByRetry(err error, n int, code string) bool {
	var ae smithy.APIError
	return n > 1 && errors.As(err, &ae) && ae.ErrorCode() == code
}

// CreateUser creates the IAM user name with client, and returns it; a
// user the SDK's retry finds is the one this call created.
func CreateUser(ctx context.Context, client *iam.Client, name string) (*iamtypes.User, error) {
	var n int
	out, err := client.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}, iam.WithAPIOptions(attempts(&n)))
	switch {
	case err == nil:
		return out.User, nil
	case !madeByRetry(err, n, "EntityAlreadyExists"):
		return nil, fmt.Errorf("moto: create IAM user %s (%d attempt(s)): %w", name, n, err)
	}
	got, err := client.GetUser(ctx, &iam.GetUserInput{UserName: aws.String(name)})
	if err != nil {
		return nil, fmt.Errorf("moto: create IAM user %s: attempt %d found it created, and reading it failed: %w", name, n, err)
	}
	return got.User, nil
}
