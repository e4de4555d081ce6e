// Package s3state keeps the state store in S3 (state { backend = "s3" }):
// RemoteState takes the lock object <key>.lock with a conditional write
// and renews its lease, downloads the state to a private local file that
// package state opens as a bbolt store, checkpoints it back conditional
// on the ETags it last read, and pulls and pushes it for `lakesync state`.
//
// In S3 a state is a base, <key> (the whole bbolt file, as it was the
// only object before), and deltas on top of it named by an index,
// <key>.deltas (deltas.go). A checkpoint uploads a delta of the entries
// that changed since the last one (state.Store.TakeChanges), so it costs
// what changed, not the size of the state; it uploads the base whole when
// there is none, when the file was migrated to a new format, and when the
// deltas would reach half the base (then it deletes them). A state of one
// object (lakesync before deltas) is a base without deltas: nothing to
// migrate. Deltas and index are checked (size, SHA-256, the state and
// base they belong to) and refused, named, when they are not right.
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
