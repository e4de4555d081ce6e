// Package exec does lakesync's I/O: it reaches each configured account
// (Accounts), observes the current documents and bucket settings into
// plan.Observed (Observe), writes policy documents and bucket settings
// (apply_policy.go), runs the copy and owns the state store.
//
// It relies on config for what to touch, on plan for the data it fills and
// applies, and on aws-sdk-go-v2 for the wire. It never prints: progress and
// retry notices go to callbacks the command supplies.
package exec
