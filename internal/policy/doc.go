// Package policy models AWS access-policy documents (S3 bucket policies, KMS
// key policies and IAM role inline policies) and everything lakesync decides
// about them, without any I/O:
//
//   - a typed document model that parses what AWS returns and keeps each
//     statement's raw JSON, so statements lakesync does not own are written
//     back byte for byte (Parse, Document.JSON);
//   - normalised structural comparison and a normalised JSON form for diffs
//     (Equal, Normalize, NormalJSON);
//   - generation of the statements one copy job needs, for the push and pull
//     topologies (Grant, Generate);
//   - merging those statements into a current document and a statement-level
//     diff of the result (Merge, Diff);
//   - checks a plan must pass before anything is written (size limits,
//     AWS-managed keys, foreign Deny statements, key-policy lockout);
//   - an evaluator of AWS's policy evaluation logic for the requests a job
//     makes (Required, Evaluate).
//
// Ownership: every statement lakesync writes has a Sid of the form
// "Lakesync" + JobID(job name) + Purpose. Statements without that prefix
// belong to someone else and are never changed, reordered or dropped.
//
// The package imports no other internal package; internal/plan calls it with
// documents that internal/exec observed.
package policy
