// Package view renders what lakesync's commands produce: for people (text,
// coloured on a terminal), for programs (JSON, one document or JSON lines)
// and for pull requests (markdown). Each command has one interface here
// (Plan, Apply, Copy, Check, Verify, CIPolicy, StateList, State, Batch,
// Export), whose implementation the command chooses once from its flags
// (NewPlan(format, ...)) and then calls with typed values; the human and
// JSON forms of one output live side by side. It also draws the copy's
// progress (a bar on a terminal, plain lines elsewhere) and prints HCL
// diagnostics with their source lines, and the access picture of a plan
// (BuildGraph: a typed graph of accounts, buckets, keys, roles and each
// job's grants) as a mermaid flowchart or as text. TeeApply copies apply's
// JSON events to a second writer, for the run report.
//
// It relies on the typed values of config, policy and plan, and reads the
// event and result types of exec/copier and exec/state; it calls none of
// their functions that do I/O.
//
// It must never import the exec root, exec/awserr or any AWS SDK package,
// and does no I/O beyond the io.Writers it is given: it opens no file,
// reads no stream and asks no terminal (the command says whether a stream
// is a terminal and whether it may colour it).
package view
