// Package config decodes a lakesync HCL file into a typed, validated Config.
//
// It parses with hashicorp/hcl/v2, resolves the references between blocks
// (account.prod, bucket.lake, role.copier) by name, evaluates input
// variables (var.NAME) and checks every rule that can be checked without
// AWS: account ids, bucket names, key ARNs and aliases, sizes, modes,
// overlapping destination prefixes. Every problem is an hcl.Diagnostic
// whose Subject is the offending attribute or block, and all problems are
// reported at once.
//
// config makes no AWS calls and imports no other lakesync package.
package config
