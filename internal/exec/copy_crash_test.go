package exec

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/state"
)

const copyChildEnv = "LAKESYNC_COPY_CHILD"

// copyChildSpec is what the killed child process needs to run a stream
// copy against the parent's moto.
type copyChildSpec struct {
	URL, State, KeyARN  string
	ProdKey, ProdSecret string
	LakeKey, LakeSecret string
	Source, Destination string
}

// init runs the child before TestMain starts a moto server of its own.
func init() {
	spec := os.Getenv(copyChildEnv)
	if spec == "" {
		return
	}
	var s copyChildSpec
	if err := json.Unmarshal([]byte(spec), &s); err != nil {
		fmt.Println("spec:", err)
		os.Exit(2)
	}
	client := func(id, secret string) *s3.Client {
		return s3.NewFromConfig(aws.Config{Region: "eu-west-1", BaseEndpoint: aws.String(s.URL),
			Credentials: credentials.NewStaticCredentialsProvider(id, secret, "")}, func(o *s3.Options) { o.UsePathStyle = true })
	}
	store, err := state.Open(s.State, state.Options{})
	if err != nil {
		fmt.Println("state:", err)
		os.Exit(2)
	}
	c := &Copier{Source: client(s.ProdKey, s.ProdSecret), Destination: client(s.LakeKey, s.LakeSecret), State: store,
		KMSKeyID: s.KeyARN, CommitEvery: 5, CommitInterval: 5 * time.Millisecond,
		Listener: CopyListenerFunc(func(e CopyEvent) {
			if d, ok := e.(*ObjectDone); ok && d.Err == nil {
				fmt.Println("done", d.Key)
			}
		})}
	job := &config.Job{Name: "crash", Mode: config.ModeSync, Transfer: config.TransferStream, Concurrency: 2,
		Source: &config.Bucket{BucketName: s.Source}, Destination: &config.Bucket{BucketName: s.Destination},
		SourcePrefix: "exports/", DestinationPrefix: "prod/"}
	_, err = c.Run(context.Background(), job)
	fmt.Println("finished:", err)
	os.Exit(0)
}

func TestCopyKilledRunResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a child process")
	}
	w := newCopyWorld(t)
	const n = 80
	for i := range n {
		w.put(t, fmt.Sprintf("exports/o%03d", i), body(i, 200))
	}
	spec, _ := json.Marshal(copyChildSpec{URL: w.srv.URL, State: w.state, KeyARN: w.keyARN,
		ProdKey: w.prod.AccessKeyID, ProdSecret: w.prod.SecretAccessKey, LakeKey: w.lake.AccessKeyID, LakeSecret: w.lake.SecretAccessKey,
		Source: "prod-data", Destination: "lake-raw"})
	// A child that hangs is killed at the deadline, which ends the scan.
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), copyChildEnv+"="+string(spec))
	out, err := cmd.StdoutPipe()
	must(t, err)
	must(t, cmd.Start())
	lines := bufio.NewScanner(out)
	done := 0
	for done < 20 && lines.Scan() {
		if strings.HasPrefix(lines.Text(), "done ") {
			done++
		} else {
			t.Logf("child: %s", lines.Text())
		}
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if done < 20 {
		t.Fatalf("the child finished only %d objects before exiting", done)
	}

	job := w.job(config.ModeSync, config.TransferStream)
	job.Name = "crash"
	sum, _, err := w.run(t, job)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Copied >= n || sum.Copied+sum.Skipped != n {
		t.Errorf("after kill -9: copied %d, skipped %d of %d; want a resume, not a restart", sum.Copied, sum.Skipped, n)
	}
	t.Logf("killed after %d objects reported; the resumed run copied %d and skipped %d", done, sum.Copied, sum.Skipped)
	if got := len(w.destinationKeys(t)); got != n {
		t.Errorf("%d destination objects, want %d", got, n)
	}
}

// TestCopyRoleCredentialsRefresh runs a copy as the copier role whose
// assumed credentials are renewed every ~300ms (a 15-minute session
// renewed 14m59.7s early): the run goes through across many sessions.
func TestCopyRoleCredentialsRefresh(t *testing.T) {
	w := newCopyWorld(t)
	const n = 60
	for i := range n {
		w.put(t, fmt.Sprintf("exports/o%03d", i), body(i, 100))
	}
	job := w.job(config.ModeSync, config.TransferServerSide)
	job.Concurrency = 2
	var calls atomic.Int64
	// Each object takes at least 10ms to report, so the run outlasts the
	// 300ms sessions however fast moto answers (at 245ms it saw only one).
	events := &eventLog{hook: func(e CopyEvent) {
		if _, ok := e.(*ObjectDone); ok {
			time.Sleep(10 * time.Millisecond)
		}
	}}
	c := w.copier(t, job, events)
	cl := w.roleS3(15*time.Minute, 15*time.Minute-300*time.Millisecond, &calls)
	c.Source, c.Destination = cl, cl
	slow := time.Now()
	sum, err := c.Run(t.Context(), job)
	if err != nil || sum.Copied != n {
		t.Fatalf("%+v, %v", sum, err)
	}
	elapsed := time.Since(slow)
	if want := int64(elapsed / (300 * time.Millisecond)); calls.Load() < 2 || calls.Load() < want/2 {
		t.Errorf("AssumeRole called %d times in %v, want about %d", calls.Load(), elapsed, want)
	}
	t.Logf("%d objects in %v over %d role sessions", n, elapsed, calls.Load())
}
