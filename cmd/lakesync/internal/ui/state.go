package ui

import (
	"bufio"
	"encoding/json"
	"net/http"
	"strings"
)

// maxRecords is how many records the state page lists.
const maxRecords = 500

// stateRecord is a line of lakesync state list --json.
type stateRecord struct {
	Job    string
	Record struct {
		SourceKey  string `json:"source_key"`
		SourceETag string `json:"source_etag"`
		Size       int64  `json:"size"`
		VersionID  string `json:"version_id"`
		DestKey    string `json:"destination_key"`
		DestETag   string `json:"destination_etag"`
		CopiedAt   string `json:"copied_at"`
	}
}

type stateData struct {
	Prefix, Job string
	Records     []stateRecord
	More        bool
	Stderr      string
}

// statePage lists the records below a source key prefix (lakesync state
// list --json [--job J] PREFIX).
func (s *Server) statePage(w http.ResponseWriter, r *http.Request) {
	d := stateData{Prefix: r.URL.Query().Get("prefix"), Job: r.URL.Query().Get("job")}
	words := []string{"state", "list", "--json"}
	if d.Job != "" {
		words = append(words, "--job", d.Job)
	}
	var positional []string
	if d.Prefix != "" {
		positional = []string{d.Prefix}
	}
	out, errs, code := s.output(r.Context(), s.command(words, positional...))
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for sc.Scan() {
		var rec stateRecord
		if json.Unmarshal(sc.Bytes(), &rec) != nil {
			continue
		}
		if len(d.Records) == maxRecords {
			d.More = true
			break
		}
		d.Records = append(d.Records, rec)
	}
	if code != 0 {
		d.Stderr = errs
	}
	s.render(w, http.StatusOK, "state.html", page{Title: "State", Nav: "state", Data: d})
}

type stateKeyData struct {
	Key, JSON, Stderr string
}

// stateKeyPage shows every record of one source key (lakesync state
// show KEY).
func (s *Server) stateKeyPage(w http.ResponseWriter, r *http.Request) {
	d := stateKeyData{Key: r.URL.Query().Get("key")}
	out, errs, code := s.output(r.Context(), s.command([]string{"state", "show"}, d.Key))
	d.JSON = out
	if code != 0 {
		d.Stderr = errs
	}
	s.render(w, http.StatusOK, "statekey.html", page{Title: "State: " + d.Key, Nav: "state", Data: d})
}
