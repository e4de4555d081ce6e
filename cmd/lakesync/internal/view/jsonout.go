package main

import (
	"encoding/json"
	"io"
)

// writeJSON writes v as indented JSON: the --json output of plan, show,
// check, verify, ci-policy and state show.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
