// Package faultproxy is a fault-injecting HTTP reverse proxy on loopback,
// for tests that must prove lakesync survives what S3 does under load: 503
// SlowDown bursts, 500 InternalError, connections reset in the middle of a
// response body, responses slower than the client's timeout, and the 200 OK
// whose body is an error that S3 sends for CopyObject, UploadPartCopy and
// CompleteMultipartUpload; and 403 AccessDenied, for tests of the refusal
// messages.
//
// A Proxy listens on 127.0.0.1:0 in front of one backend (usually
// moto_server, see package moto) and forwards every request unchanged,
// Host header included, so SigV4 signatures stay valid. Rules decide which
// requests are faulted, either every Nth matching request or at random from
// a seeded generator; the decisions depend only on the seed and the order in
// which requests arrive. A request faulted with SlowDown, InternalError,
// AccessDenied, BucketAlreadyExists, BucketAlreadyOwnedByYou or Slow never
// reaches the backend; a Reset or OKWithError request does, and its answer
// is then mangled (so a CopyObject answered with OKWithError may have
// copied the object: that is what S3 does too).
//
// Counts says how many faults of each kind were injected, for the summary a
// test reports. The package relies on net/http only; it keeps no global
// state, and every Proxy is closed by its owner.
package faultproxy
