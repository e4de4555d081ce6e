// Package report renders the HTML run report of an apply: one
// self-contained file (CSS and SVG inline, no script, nothing fetched)
// built from the JSON lines events of apply --json. Parse reads a saved
// event stream (lakesync report EVENTS.jsonl) and names the line it
// cannot read; Render writes the report of the events: the plan (its
// access picture and its text, from the stream's "plan" line) and the
// policy changes made, the summary, throughput and requests in flight over time as SVG charts,
// failures by kind, the slowest objects and the failed ones; of a
// lakesync migrate --json stream, first its steps, what step 3 deletes,
// and how it ended.
//
// It relies on the event types of cmd/lakesync/internal/view, and escapes
// every text with html/template.
//
// It must never import exec, the AWS SDK, os or net/http: it reads and
// writes only the io.Reader and io.Writer it is given.
package report
