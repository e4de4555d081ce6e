// Package s3state keeps the state store in S3 (state { backend = "s3" }):
// RemoteState takes the lock object <key>.lock with a conditional write
// and renews its lease, downloads the state to a private local file that
// package state opens as a bbolt store, uploads it back conditional on
// the ETag it last read, and pulls and pushes it for `lakesync state`.
// Backend is a state.Backend on a state.Location in S3: each Open is a
// new RemoteState, and a writing session's context is cancelled when its
// lock is lost or another writer changes the state.
//
// It relies on state for the store and the location, on awserr for the
// errors it returns and on config for the account it names. It receives
// its S3 client as StateS3API, a consumer-side interface with the SDK's
// exact method signatures; exec.StateBackend and exec.NewRemoteState
// build that client. It must never import the exec root or another exec
// sub-package than state and awserr.
package s3state
