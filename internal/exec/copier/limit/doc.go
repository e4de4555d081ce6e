// Package limit holds the copier's pure limiters: Adaptive, a concurrency
// limit that grows the requests in flight while latency holds and shrinks
// on SlowDown and on rising latency (a gradient limiter in the manner of
// Netflix's concurrency-limits, with slow start and AIMD on drops); Rate,
// a request-rate cap (max_requests_per_second); and Bandwidth, a
// bytes-per-second cap on io.Readers (bandwidth). See docs/limits.md.
//
// It relies on the standard library and golang.org/x/time/rate only. Time
// comes through an injectable clock, so its tests run against a simulated
// server in virtual time. It holds no global state and does no I/O of its
// own. It must never import another lakesync package or the AWS SDK: the
// copier wires it in and says what each answer means (Success, Dropped,
// Ignored).
package limit
