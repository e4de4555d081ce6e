package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/plan"
)

func TestStateCommands(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state")
	st, err := state.Open(path, state.Options{})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	if err := st.Put("prod_to_lake",
		plan.StateRecord{SourceKey: "exports/a.parquet", SourceETag: `"a1"`, Size: 10, DestKey: "prod/a.parquet", DestETag: `"d1"`, CopiedAt: at},
		plan.StateRecord{SourceKey: "exports/b.parquet", SourceETag: `"b1"`, Size: 20, DestKey: "prod/b.parquet", DestETag: `"d2"`, CopiedAt: at},
	); err != nil {
		t.Fatal(err)
	}
	if err := st.Put("logs", plan.StateRecord{SourceKey: "exports/a.parquet", SourceETag: `"l"`, Size: 1, DestKey: "logs/a.parquet", CopiedAt: at}); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	code, out, errs := runCLI(t, "", "state", "list", "--state", path, "--job", "prod_to_lake", "exports/b")
	if code != 0 || !strings.Contains(out, "exports/b.parquet") || strings.Contains(out, "exports/a.parquet") {
		t.Fatalf("state list --job prod_to_lake exports/b: exit %d\n%s%s", code, out, errs)
	}
	code, out, _ = runCLI(t, "", "state", "show", "--state", path, "exports/a.parquet")
	if code != 0 || !strings.Contains(out, `"prod/a.parquet"`) || !strings.Contains(out, `"logs/a.parquet"`) {
		t.Fatalf("state show: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, "", "state", "rm", "--state", path, "exports/a.parquet")
	if code != 0 || !strings.Contains(out, "Removed 2 record(s)") {
		t.Fatalf("state rm KEY: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, "", "state", "rm", "--state", path, "--job", "prod_to_lake")
	if code != 0 || !strings.Contains(out, "Removed 1 record(s) of job prod_to_lake") {
		t.Fatalf("state rm --job: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, "", "state", "list", "--state", path, "--json")
	if code != 0 || strings.TrimSpace(out) != "" {
		t.Fatalf("state list after removing everything: exit %d\n%q", code, out)
	}
	code, _, errs = runCLI(t, "", "state", "show", "--state", path, "nope")
	if code != 1 || !strings.Contains(errs, "no record") {
		t.Fatalf("state show of an unknown key: exit %d %s", code, errs)
	}
}
