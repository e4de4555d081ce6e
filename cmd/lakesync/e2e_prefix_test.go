package main

import (
	"os"
	"strings"
	"testing"

	"github.com/lakesync/lakesync/internal/plan"
)

// A source_prefix that matches no object is a plan warning that
// suggests the nearest prefix at the top level of the bucket; an empty
// bucket is a warning of its own. Neither stops the plan.
func TestPlanWarnsOfEmptySourcePrefix(t *testing.T) {
	_, cfg := demoWorld(t, 3)
	src, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	misspelled := strings.Replace(string(src), `source_prefix      = "exports/"`, `source_prefix      = "exprots/"`, 1)
	if misspelled == string(src) {
		t.Fatal("the demo config has no source_prefix \"exports/\" to misspell")
	}
	if err := os.WriteFile(cfg, []byte(misspelled), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "", "plan", "-c", cfg)
	want := `Warning: sync "prod_to_lake": source_prefix "exprots/" matches no object in bucket konfir-prod-data (account prod 111111111111); did you mean "exports/"?` + "\n"
	if code != 0 || !strings.Contains(out, want) {
		t.Errorf("plan of a misspelled prefix: exit %d, want 0 and %q\n%s%s", code, want, out, errs)
	}
	found := false
	for _, f := range planJSON(t, cfg).Findings {
		found = found || (f.Check == plan.CheckEmptySource && !f.Blocking && strings.Contains(f.Message, `did you mean "exports/"?`))
	}
	if !found {
		t.Errorf("plan --json has no %s warning", plan.CheckEmptySource)
	}

	_, cfg = demoWorld(t, 0)
	code, out, errs = runCLI(t, "", "plan", "-c", cfg)
	want = `Warning: sync "prod_to_lake": the source bucket konfir-prod-data (account prod 111111111111) is empty, so source_prefix "exports/" matches no object: check that source = bucket.prod is the bucket you mean, or fill it first` + "\n"
	if code != 0 || !strings.Contains(out, want) {
		t.Errorf("plan of an empty bucket: exit %d, want 0 and %q\n%s%s", code, want, out, errs)
	}
}
