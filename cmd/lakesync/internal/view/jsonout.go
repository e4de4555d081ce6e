package view

import (
	"encoding/json"
	"io"
)

// WriteJSON writes v as indented JSON: the --json output of plan, show,
// check, verify, ci-policy and state show.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeJSONLine writes one JSON lines event.
func writeJSONLine(w io.Writer, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		return
	}
	_, _ = w.Write(append(data, '\n'))
}
