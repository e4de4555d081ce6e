// Package bucketops is what a migration does to a whole bucket: count
// it (Count), read the settings and configurations that will not move
// with its objects (Leftovers), refuse a bucket that cannot be moved
// (CheckSource, CheckNameFree), empty and delete it (Empty), and create
// a bucket whose name is still being released (Waiter.CreateWaiting).
//
// It relies on the AWS SDK's S3 types, received as the consumer-side
// Client interface (the SDK's exact signatures, so a test can inject a
// fault), on awserr for errors in the user's terms and on config for the
// account blocks it names. It never prints, and must never import the
// exec root: exec builds the clients and hands them in.
package bucketops
