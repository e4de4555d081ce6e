package main

import (
	"encoding/json"
	"io"

	"github.com/lakesync/lakesync/internal/exec"
)

// writeJSONEvent writes one JSON lines event.
func writeJSONEvent(w io.Writer, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		return
	}
	_, _ = w.Write(append(data, '\n'))
}

type policyEventLine struct {
	Type    string `json:"type"` // "policy"
	Address string `json:"address"`
	What    string `json:"what"`
	Action  string `json:"action"`
	Error   string `json:"error,omitempty"`
}

func policyEventJSON(ev exec.PolicyEvent) policyEventLine {
	l := policyEventLine{Type: "policy", Address: ev.Address.String(), What: ev.What, Action: ev.Action}
	if ev.Err != nil {
		l.Error = ev.Err.Error()
	}
	return l
}
