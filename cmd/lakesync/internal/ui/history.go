package ui

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// validID is the shape of a run's ID, so that no request names a file
// outside the runs directory.
var validID = regexp.MustCompile(`^[0-9]{8}-[0-9]{6}-[0-9]{3,}-(plan|apply|migrate)$`)

// get is the run id: this UI's, else an earlier one read back from its
// record and output (once); nil when there is none.
func (rs *runs) get(id string) *Run {
	if !validID.MatchString(id) {
		return nil
	}
	rs.mu.Lock()
	r := rs.byID[id]
	rs.mu.Unlock()
	if r != nil {
		return r
	}
	b, err := os.ReadFile(filepath.Join(rs.dir, id+".json"))
	if err != nil {
		return nil
	}
	r = &Run{changed: make(chan struct{})}
	if json.Unmarshal(b, r) != nil || r.ID != id {
		return nil
	}
	r.live = NewLive(nil)
	// A run its UI did not see end was cut short (the UI stopped).
	interrupted := !r.Done
	if interrupted {
		r.Done, r.ExitCode = true, -1
	}
	if out, err := os.ReadFile(rs.outFile(r)); err == nil {
		if r.jsonEvents() {
			sc := bufio.NewScanner(bytes.NewReader(out))
			sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
			for sc.Scan() {
				_ = r.live.Add(sc.Bytes())
			}
		} else {
			r.text.Write(out)
		}
	}
	if log, err := os.ReadFile(filepath.Join(rs.dir, id+".log")); err == nil {
		r.stderr.Write(log)
	}
	if interrupted {
		r.stderr.WriteString("lakesync ui: the UI stopped before this run ended; its output is what it wrote until then\n")
	}
	// An earlier run no longer changes: it is read once (its events may
	// be many), and its page holds only their totals.
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if known := rs.byID[id]; known != nil {
		return known
	}
	rs.byID[id] = r
	return r
}

// list is every run in the runs directory, newest first.
func (rs *runs) list() ([]Snapshot, error) {
	entries, err := os.ReadDir(rs.dir)
	if err != nil {
		return nil, fmt.Errorf("read the runs directory: %w", err)
	}
	var out []Snapshot
	for _, e := range entries {
		id, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok {
			continue
		}
		if r := rs.get(id); r != nil {
			s, _ := r.snapshot()
			s.Text, s.Stderr = "", ""
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b Snapshot) int { return cmp.Compare(b.ID, a.ID) })
	return out, nil
}

// latestPlan is the newest plan run that saved its plan, if any.
func (rs *runs) latestPlan() *Run {
	all, err := rs.list()
	if err != nil {
		return nil
	}
	for _, s := range all {
		if s.Kind == "plan" && s.Done && s.ExitCode == 0 {
			if _, err := os.Stat(rs.planFile(s.ID)); err == nil {
				return rs.get(s.ID)
			}
		}
	}
	return nil
}

func sortedNames(m map[string]int64) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}
