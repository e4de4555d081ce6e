// Package exec does lakesync's I/O: it reaches each configured account
// (Accounts) and builds its clients, observes the current documents and
// bucket settings into plan.Observed (Observe), writes policy documents and
// bucket settings (apply_policy.go, apply_bucket.go, ApplyPolicies),
// checks access live (CheckLive) and drives S3 Batch jobs (batch*.go).
//
// Its sub-packages hold the rest: awserr (error classification and
// messages), copier (the copy engine), state (the local store) and
// state/s3state (the remote state and its lock). They receive clients as
// consumer-side interfaces and never import this package.
//
// It relies on config for what to touch, on plan for the data it fills and
// applies, and on aws-sdk-go-v2 for the wire. It never prints: progress and
// retry notices go to callbacks the command supplies.
package exec
