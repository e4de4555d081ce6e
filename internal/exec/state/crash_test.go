package state

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lakesync/lakesync/internal/plan"
)

const crashChildEnv = "LAKESYNC_STATE_CRASH_CHILD"

// crashRecord is record i; every field is derived from i, so a reader can
// tell a whole record from a torn one.
func crashRecord(i int) plan.StateRecord {
	k := fmt.Sprintf("k/%08d", i)
	return plan.StateRecord{SourceKey: k, SourceETag: fmt.Sprintf(`"s%d"`, i), Size: int64(i) * 7,
		DestKey: "d/" + k, DestETag: fmt.Sprintf(`"d%d"`, i), CopiedAt: time.Unix(int64(i)+1, 0).UTC()}
}

// TestMain lets the crash test re-execute this binary as a child that
// commits records until it is killed.
func TestMain(m *testing.M) {
	if path := os.Getenv(crashChildEnv); path != "" {
		crashChild(path)
		return
	}
	os.Exit(m.Run())
}

func crashChild(path string) {
	s, err := Open(path, Options{})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	c := s.NewCommitter("j", 37, 2*time.Millisecond)
	for i := 0; ; i++ {
		if err := c.Put(crashRecord(i)); err != nil {
			fmt.Println("put:", err)
			os.Exit(2)
		}
		if i == 100 {
			c.Flush()
			fmt.Println("ready")
		}
		if i > 100 && i%250 == 0 {
			fmt.Println("put", i)
		}
	}
}

func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes")
	}
	path := filepath.Join(t.TempDir(), "state")
	total := 0
	for round := range 5 {
		// A child that hangs is killed at the deadline.
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := bufio.NewReader(out)
		line, _ := lines.ReadString('\n')
		if line != "ready\n" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("round %d: child said %q", round, line)
		}
		// The kill point is an event: the child's (round+1)-th progress
		// line, each round later in the stream of commits, never a sleep.
		for range round + 1 {
			if line, err = lines.ReadString('\n'); err != nil || !strings.HasPrefix(line, "put ") {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("round %d: child said %q (%v)", round, line, err)
			}
		}
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()

		s, err := Open(path, Options{})
		if err != nil {
			t.Fatalf("round %d: reopening after kill -9: %v", round, err)
		}
		n := 0
		for rec, err := range s.Records(context.Background(), "j", "") {
			if err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
			if want := crashRecord(n); rec != want {
				t.Fatalf("round %d: record %d = %+v, want %+v (torn or out of order)", round, n, rec, want)
			}
			n++
		}
		if n < 101 {
			t.Errorf("round %d: %d records, want at least the 101 flushed", round, n)
		}
		total += n
		s.Close()
	}
	t.Logf("records found after each kill: %d in total over 5 rounds", total)
}
