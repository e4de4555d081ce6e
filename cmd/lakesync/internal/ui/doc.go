// Package ui is lakesync ui: a local web UI over the configuration's
// commands. Its pages show the plan (the human plan with its access
// picture as text and its statement diffs, as lakesync plan --graph prints
// them), start plan, apply and migrate, follow a run live over
// server-sent events (per job: the bar, objects/s and MB/s, requests in
// flight, recent failures; a migration's steps), list past runs with their
// HTML reports (cmd/lakesync/internal/report), and browse the state.
//
// It relies on a Command the caller gives it, which runs one lakesync
// command line in-process through the same cobra command tree as the CLI
// (with --json where a page reads events), and on the event types of
// cmd/lakesync/internal/view: every action is a command line the CLI takes
// too, and the UI has no second implementation of any of them. It keeps
// each run's output in its runs directory (ID.jsonl, ID.txt, ID.log,
// ID.json) and the plan files it applies (ID.plan).
//
// Security: every request carries the token (a query parameter on the
// first visit, then an HttpOnly SameSite=Strict cookie, or the
// X-Lakesync-Token header), else 401; actions are POSTs that carry the
// token in their form or header (a cookie alone is refused: CSRF); the
// Host header must name the listen address (DNS rebinding) and an Origin,
// when sent, this UI; CheckListen refuses a non-loopback address unless
// remote access is allowed. Known secret values are removed from every
// text a page shows.
//
// It must never import lakesync's internal packages (config, plan, exec
// and its sub-packages) nor the AWS SDK: what it knows of the world it
// reads from the commands' output.
package ui
