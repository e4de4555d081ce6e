// Package awserr classifies failed AWS requests and names them in the
// user's terms: the operation as the IAM action that authorises it, the
// resource and its account block, the principal that made the request
// and, when it was refused, the documents that decide it (Error, New).
// WithPrincipal attaches who signs to every failed request of a client;
// Code, HasCode, IsAccessDenied and IsUnreachable sort errors for the
// callers' retry and fatal/per-object decisions.
//
// It relies on config for the blocks it names, on policy for the name of
// the role policy lakesync writes, and on smithy-go and aws-sdk-go-v2 for
// the errors and the middleware. It makes no request itself and must
// never import the exec root or any other exec sub-package: they all
// import it.
package awserr
