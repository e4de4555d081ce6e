package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakesync/lakesync/cmd/lakesync/internal/view"
	"github.com/lakesync/lakesync/internal/plan"
	"github.com/lakesync/lakesync/internal/testenv/moto"
)

// runShards starts n lakesync processes at once, one per shard, and
// returns the "object" events of their apply --json output.
func runShards(t *testing.T, bin, cfg string, n int, args ...string) []view.ObjectEventLine {
	t.Helper()
	cmds := make([]*osexec.Cmd, n)
	outs := make([]*bytes.Buffer, n)
	errs := make([]*bytes.Buffer, n)
	for i := range n {
		a := append([]string{"apply", "-c", cfg, "--auto-approve", "--json", "--shard", fmt.Sprintf("%d/%d", i, n)}, args...)
		cmds[i] = osexec.CommandContext(within(t, 2*time.Minute), bin, a...)
		outs[i], errs[i] = &bytes.Buffer{}, &bytes.Buffer{}
		cmds[i].Stdout, cmds[i].Stderr = outs[i], errs[i]
		if err := cmds[i].Start(); err != nil {
			t.Fatal(err)
		}
	}
	var events []view.ObjectEventLine
	for i, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Errorf("shard %d/%d: %v\n%s%s", i, n, err, outs[i], errs[i])
		}
		sc := bufio.NewScanner(outs[i])
		for sc.Scan() {
			var ev view.ObjectEventLine
			if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
				t.Fatalf("shard %d/%d output line %q: %v", i, n, sc.Text(), err)
			}
			if ev.Type == "object" {
				events = append(events, ev)
			}
		}
	}
	return events
}

// TestShardsCopyEverythingOnce runs three shards of one sync as three
// processes at once: together they copy every object exactly once, each
// with its own state, and later delete a destination object whose source
// is gone exactly once.
func TestShardsCopyEverythingOnce(t *testing.T) {
	const objects, shards = 40, 3
	d, cfg := demoWorld(t, objects)
	src, _ := os.ReadFile(cfg)
	withDelete := strings.Replace(string(src), `concurrency        = 16`, "concurrency        = 16\n  delete             = true", 1)
	if withDelete == string(src) {
		t.Fatal("test setup: no concurrency line in the demo config")
	}
	if err := os.WriteFile(cfg, []byte(withDelete), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := buildLakesync(t)

	code, _, errs := runCLI(t, "", "apply", "-c", cfg, "--auto-approve", "--shard", "0/3")
	if code != 1 || !strings.Contains(errs, "policies are not in place") || !strings.Contains(errs, "--skip-copy") {
		t.Fatalf("a shard before the policies are in place: exit %d, want 1 and a hint\n%s", code, errs)
	}
	if code, out, errs := runCLI(t, "", "apply", "-c", cfg, "--auto-approve", "--skip-copy", "--json"); code != 0 || strings.Contains(out, `"type":"object"`) {
		t.Fatalf("apply --skip-copy: exit %d\n%s%s", code, out, errs)
	}

	// plan --shard counts only the shard's keys.
	want := 0
	for i := range objects {
		if plan.ShardOf(fmt.Sprintf("day=%02d/part-%04d.parquet", i%7, i), shards) == 1 {
			want++
		}
	}
	code, out, errs := runCLI(t, "", "plan", "-c", cfg, "--json", "--shard", "1/3")
	var p plan.Plan
	if code != 0 || json.Unmarshal([]byte(out), &p) != nil || len(p.Jobs) != 1 || p.Jobs[0].Data == nil {
		t.Fatalf("plan --shard 1/3: exit %d\n%s%s", code, out, errs)
	}
	if got := p.Jobs[0].Data.Copy.Objects; got != int64(want) || want == 0 || want == objects {
		t.Errorf("plan --shard 1/3 copies %d objects, want %d of %d", got, want, objects)
	}

	events := runShards(t, bin, cfg, shards)
	copied := map[string]int{}
	for _, ev := range events {
		if ev.Error != "" {
			t.Errorf("%s: %s", ev.Key, ev.Error)
		}
		copied[ev.DestKey]++
	}
	if len(events) != objects || len(copied) != objects {
		t.Errorf("the shards finished %d objects (%d distinct), want %d once each", len(events), len(copied), objects)
	}
	for k, n := range copied {
		if n != 1 {
			t.Errorf("%s was copied %d times", k, n)
		}
	}
	list, err := d.Lake.S3().ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: aws.String(moto.DemoDest), Prefix: aws.String("prod/")})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Contents) != objects {
		t.Errorf("the destination holds %d objects, want %d", len(list.Contents), objects)
	}
	for i := range objects {
		k := fmt.Sprintf("prod/day=%02d/part-%04d.parquet", i%7, i)
		if copied[k] != 1 {
			t.Errorf("%s was copied %d times, want once", k, copied[k])
		}
	}
	statePath := filepath.Join(filepath.Dir(cfg), "state")
	for i := range shards {
		if _, err := os.Stat(fmt.Sprintf("%s.shard-%d-of-%d", statePath, i, shards)); err != nil {
			t.Errorf("shard %d has no state of its own: %v", i, err)
		}
	}

	// A source object goes: exactly one shard deletes its copy; the
	// others have nothing to do.
	if _, err := d.Prod.S3().DeleteObject(t.Context(), &s3.DeleteObjectInput{Bucket: aws.String(moto.DemoSource), Key: aws.String("exports/day=05/part-0012.parquet")}); err != nil {
		t.Fatal(err)
	}
	events = runShards(t, bin, cfg, shards)
	if len(events) != 1 || events[0].Action != "delete" || events[0].DestKey != "prod/day=05/part-0012.parquet" {
		t.Errorf("second run of the shards: events %+v, want one delete of prod/day=05/part-0012.parquet", events)
	}

	// plan --shard shows that shard's data only, from its own state: no
	// changes left.
	t.Setenv("JOB_COMPLETION_INDEX", "2")
	code, out, errs = runCLI(t, "", "plan", "-c", cfg, "--shard", "auto/3", "--detailed-exitcode")
	if code != 0 || !strings.Contains(out, "No changes.") {
		t.Errorf("plan --shard auto/3 after the shards: exit %d\n%s%s", code, out, errs)
	}
}
