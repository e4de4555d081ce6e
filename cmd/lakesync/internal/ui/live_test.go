package ui

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func readLive(t *testing.T, path string) *Live {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	l := NewLive(nil)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if err := l.Add(sc.Bytes()); err != nil {
			t.Fatalf("%s: %v", sc.Text(), err)
		}
	}
	return l
}

// The migration_step events of lakesync migrate --json (the contract of
// issue 17 and 18), as the run page holds them.
func TestLiveMigrationSteps(t *testing.T) {
	l := readLive(t, "testdata/migrate.jsonl")
	var got []string
	for _, s := range l.Steps {
		got = append(got, fmt.Sprintf("%s: %s %s", StepLine(s), s.Status, s.Message))
	}
	want := []string{
		"step 1 of 6 (copying to the temporary bucket), 40%: done ",
		"step 2 of 6 (waiting for the deletion to be confirmed), 40%: done ",
		"step 3 of 6 (deleting the source), 45%: done ",
		"step 4 of 6 (recreating the bucket), 50%: done ",
		"step 5 of 6 (copying back), 56%: progress ",
		"step 6 of 6: pending ",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("steps (-want +got):\n%s", d)
	}
	if l.Percent != 56 {
		t.Errorf("percent %v, want the migration's 56", l.Percent)
	}
	j := l.Jobs[0]
	wantJob := JobLive{Name: "move_raw.to_temporary", Done: 2, Bytes: 1000000, Failed: 1, InFlight: 2, Elapsed: 1, ObjectsPerSec: 2, MBPerSec: 1,
		Recent: []Failure{{Key: "b.parquet", Error: "api error AccessDenied: denied"}}}
	if d := cmp.Diff(wantJob, *j); d != "" {
		t.Errorf("the copy step's job (-want +got):\n%s", d)
	}
}

// A summary ends the bars at 100%; before it, a job is at most 99%.
func TestLiveBarEndsWithSummary(t *testing.T) {
	l := NewLive(map[string]int64{"a": 2})
	for _, line := range []string{
		`{"type":"object","job":"a","key":"1","bytes":5,"elapsed":1}`,
		`{"type":"object","job":"a","key":"2","bytes":5,"elapsed":2}`,
	} {
		if err := l.Add([]byte(line)); err != nil {
			t.Fatal(err)
		}
	}
	if l.Percent != 99 || l.Jobs[0].Percent != 99 {
		t.Errorf("before the summary: %v%% (job %v%%), want 99", l.Percent, l.Jobs[0].Percent)
	}
	if err := l.Add([]byte(`{"type":"summary","copied":2}`)); err != nil {
		t.Fatal(err)
	}
	if l.Percent != 100 || l.Jobs[0].Percent != 100 || l.Summary.Copied != 2 {
		t.Errorf("after the summary: %v%% (job %v%%), summary %+v", l.Percent, l.Jobs[0].Percent, l.Summary)
	}
	if err := l.Add([]byte(`not json`)); err == nil {
		t.Error("a line that is not JSON was read")
	}
}

// The migrate form runs lakesync migrate NAME --json with the typed
// bucket name as --confirm-delete-source, and the run page shows the
// steps of its events.
func TestMigrateForm(t *testing.T) {
	canned, err := os.ReadFile("testdata/migrate.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeCommands{out: func(args []string, w io.Writer) int {
		_, _ = w.Write(canned)
		return 0
	}}
	s := newTestServer(t, f)
	for _, typed := range []string{"", "no"} {
		w := request(s, http.MethodPost, "/migrate", url.Values{"token": {token}, "migration": {"move_raw"}, "confirm_delete_source": {"konfir-raw"}, "confirm": {typed}}, nil)
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "migration cancelled") || len(f.lines()) != 0 {
			t.Errorf("migrate confirmed with %q: %d, ran %q", typed, w.Code, f.lines())
		}
	}
	w := request(s, http.MethodPost, "/migrate", url.Values{"token": {token}, "migration": {"move_raw"}, "confirm_delete_source": {"konfir-raw"}, "confirm": {"yes"}}, nil)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("POST /migrate: %d\n%s", w.Code, w.Body)
	}
	s.runs.wait()
	args := f.lines()[0]
	i := slices.Index(args, "--confirm-delete-source")
	if args[0] != "migrate" || !slices.Contains(args, "--json") || !slices.Contains(args, "--auto-approve") || i < 0 || args[i+1] != "konfir-raw" || args[len(args)-1] != "move_raw" || args[len(args)-2] != "--" {
		t.Errorf("ran %q, want migrate --json --auto-approve --confirm-delete-source konfir-raw ... -- move_raw", args)
	}
	page := request(s, http.MethodGet, w.Header().Get("Location"), nil, nil).Body.String()
	for _, want := range []string{"step 5 of 6 (copying back), 56%", "step 4 of 6 (recreating the bucket), 50%", `value="56"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the run page lacks %q:\n%s", want, page)
		}
	}
	// Without a name nothing runs.
	if w := request(s, http.MethodPost, "/migrate", url.Values{"token": {token}, "confirm": {"yes"}}, nil); w.Code != http.StatusBadRequest || len(f.lines()) != 1 {
		t.Errorf("POST /migrate without a name: %d, ran %q", w.Code, f.lines())
	}
}

// A resumed migration's first event is at a later step: the steps before
// it are done, by an earlier run; those after it are pending.
func TestLiveResumedMigration(t *testing.T) {
	l := NewLive(nil)
	if err := l.Add([]byte(`{"type":"migration_step","migration":"move","step":3,"of":6,"title":"deleting the source","status":"started","percent":45}`)); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range l.Steps {
		got = append(got, StepLine(s)+": "+s.Status+" "+s.Message)
	}
	want := []string{"step 1 of 6: done in an earlier run", "step 2 of 6: done in an earlier run", "step 3 of 6 (deleting the source), 45%: started ",
		"step 4 of 6: pending ", "step 5 of 6: pending ", "step 6 of 6: pending "}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("steps (-want +got):\n%s", d)
	}
}

// A migration run's first line lays out its steps with their titles:
// those before the one it starts at done by an earlier run, the others
// pending until their own events come.
func TestLiveMigrationStart(t *testing.T) {
	l := NewLive(nil)
	for _, line := range []string{
		`{"type":"migration_start","migration":"move","steps":["copying to the temporary bucket","waiting for the deletion to be confirmed","deleting the source","recreating the bucket","copying back","deleting the temporary bucket"],"from":3}`,
		`{"type":"migration_step","migration":"move","step":3,"of":6,"title":"deleting the source","status":"started","percent":40}`,
	} {
		if err := l.Add([]byte(line)); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for _, s := range l.Steps {
		got = append(got, StepLine(s)+": "+s.Status+" "+s.Message)
	}
	want := []string{
		"step 1 of 6 (copying to the temporary bucket): done in an earlier run",
		"step 2 of 6 (waiting for the deletion to be confirmed): done in an earlier run",
		"step 3 of 6 (deleting the source), 40%: started ",
		"step 4 of 6 (recreating the bucket): pending ",
		"step 5 of 6 (copying back): pending ",
		"step 6 of 6 (deleting the temporary bucket): pending ",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("steps (-want +got):\n%s", d)
	}
}
