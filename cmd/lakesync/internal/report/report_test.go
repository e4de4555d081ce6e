package report

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/golden"
)

func render(t *testing.T, events []byte) string {
	t.Helper()
	run, err := Parse(bytes.NewReader(events), "events.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := Render(&out, run); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// TestRenderGolden: the report of a small event stream, escaped.
func TestRenderGolden(t *testing.T) {
	events, err := os.ReadFile("testdata/small.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	golden.Compare(t, "small.html", []byte(render(t, events)))
}

var fieldRE = regexp.MustCompile(`data-field="([a-z_]+)">([^<]*)<`)

// summaryFigures are the summary's figures in a report, by JSON field.
func summaryFigures(html string) map[string]string {
	got := map[string]string{}
	for _, m := range fieldRE.FindAllStringSubmatch(html, -1) {
		got[m[1]] = m[2]
	}
	return got
}

// summaryJSON are the figures of the "summary" line of events, by field,
// as JSON writes them.
func summaryJSON(t testing.TB, events []byte) map[string]string {
	t.Helper()
	want := map[string]string{}
	for _, line := range bytes.Split(events, []byte("\n")) {
		var m map[string]json.RawMessage
		if json.Unmarshal(line, &m) != nil || string(m["type"]) != `"summary"` {
			continue
		}
		for k, v := range m {
			if k != "type" {
				want[k] = string(v)
			}
		}
	}
	if len(want) == 0 {
		t.Fatal("no summary event")
	}
	return want
}

// TestSummaryEqualsJSON: every figure of the JSON summary is in the
// report's summary table, unchanged.
func TestSummaryEqualsJSON(t *testing.T) {
	events, err := os.ReadFile("testdata/small.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	want := summaryJSON(t, events)
	want["gone"] = "0" // omitted from JSON when 0
	if diff := cmp.Diff(want, summaryFigures(render(t, events))); diff != "" {
		t.Errorf("summary figures (-json +report):\n%s", diff)
	}
}

// TestNoExternalURL: the report fetches nothing: no src, href, script or
// CSS url, and (this stream's errors name none) no URL at all.
func TestNoExternalURL(t *testing.T) {
	events, err := os.ReadFile("testdata/small.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	html := render(t, events)
	for _, bad := range []string{"http://", "https://", "src=", "href=", "<script", "@import", "url("} {
		if strings.Contains(html, bad) {
			t.Errorf("report contains %q", bad)
		}
	}
}

// TestParseBadLine: a line that is not an event is named, with its
// number counted from 1, blank lines included.
func TestParseBadLine(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"not json", "{\"type\":\"policy\"}\n\nnot json\n", "ev.jsonl:3: not an apply --json event: invalid character 'o' in literal null (expecting 'u')"},
		{"no type", "{\"type\":\"summary\"}\n{\"job\":\"a\"}\n", `ev.jsonl:2: not an apply --json event: no "type"`},
		{"wrong field type", "{\"type\":\"object\",\"bytes\":\"x\"}\n", "ev.jsonl:1: not an apply --json event: json: cannot unmarshal string into Go struct field ObjectEventLine.bytes of type int64"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tc.in), "ev.jsonl")
			if err == nil || err.Error() != tc.want {
				t.Errorf("Parse: %v, want %s", err, tc.want)
			}
		})
	}
}

// TestNoTimesNoSummary: an old stream without "elapsed", and a killed run
// without a summary, say so instead of drawing.
func TestNoTimesNoSummary(t *testing.T) {
	html := render(t, []byte(`{"type":"object","job":"j","key":"a","destination_key":"a","action":"new","bytes":1,"seconds":1}`+"\n"))
	for _, want := range []string{`carry no times ("elapsed"): no chart`, "has no summary: the run did not finish", "holds no plan"} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(html, "<svg") {
		t.Error("report draws a chart without times")
	}
}

// TestRenderMigration: the report of a resumed migrate run that stopped
// at step 2 has a row per step with its last status (the first done by
// an earlier run, the last ones pending), what step 3 deletes, and the
// stop.
func TestRenderMigration(t *testing.T) {
	events := `{"type":"migration_start","migration":"move","steps":["copying to the temporary bucket","waiting for the deletion to be confirmed","deleting the source","recreating the bucket","copying back","deleting the temporary bucket"],"from":2}
{"type":"migration_step","migration":"move","step":2,"of":6,"title":"waiting for the deletion to be confirmed","status":"started","percent":40,"message":""}
{"type":"migration_deletion","migration":"move","bucket":"konfir-moving-data","account_name":"prod","account_id":"111111111111","objects":212,"noncurrent_versions":3,"delete_markers":1,"bytes":5800,"settings":[{"name":"tags","reapply":"aws s3api put-bucket-tagging","document":{}}],"file":"migration-move-settings.json"}
{"type":"migration_step","migration":"move","step":2,"of":6,"title":"waiting for the deletion to be confirmed","status":"stopped","percent":40,"message":"nothing deleted: run lakesync migrate move --confirm-delete-source konfir-moving-data"}
{"type":"migration_summary","migration":"move","status":"stopped","step":2,"message":"nothing deleted"}
`
	html := render(t, []byte(events))
	rows := regexp.MustCompile(`<tr><td class="n">(\d) of 6</td><td>([^<]*)</td><td>([^<]*)</td><td class="n">([^<]*)</td>`).FindAllStringSubmatch(html, -1)
	var got []string
	for _, r := range rows {
		got = append(got, strings.Join(r[1:], " | "))
	}
	want := []string{
		"1 | copying to the temporary bucket | done earlier | ",
		"2 | waiting for the deletion to be confirmed | stopped | 40%",
		"3 | deleting the source | pending | ",
		"4 | recreating the bucket | pending | ",
		"5 | copying back | pending | ",
		"6 | deleting the temporary bucket | pending | ",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("migration steps (-want +got):\n%s", diff)
	}
	for _, s := range []string{"<h2>Migration move</h2>", "The migration stopped at step 2 of 6. nothing deleted",
		"212 object(s), 3 noncurrent version(s), 1 delete marker(s)", "1 setting(s) to reapply, listed in migration-move-settings.json"} {
		if !strings.Contains(html, s) {
			t.Errorf("the report lacks %q", s)
		}
	}
}
