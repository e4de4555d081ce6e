package copier

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
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
	// PartSize, when set, makes every object above it a multipart copy
	// in parts of that size.
	PartSize int64
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
			switch e := e.(type) {
			case *ObjectDone:
				if e.Err == nil {
					fmt.Println("done", e.Key)
				}
			case *PartDone:
				fmt.Println("part", e.Key, e.Part)
			}
		})}
	job := &config.Job{Name: "crash", Mode: config.ModeSync, Transfer: config.TransferStream, Concurrency: 2,
		Source: &config.Bucket{BucketName: s.Source}, Destination: &config.Bucket{BucketName: s.Destination},
		SourcePrefix: "exports/", DestinationPrefix: "prod/", MultipartThreshold: s.PartSize, PartSize: s.PartSize}
	if s.PartSize == 0 {
		job.MultipartThreshold, job.PartSize = config.DefaultMultipartThreshold, config.DefaultPartSize
	}
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
		w.Put(t, fmt.Sprintf("exports/o%03d", i), body(i, 200))
	}
	done := w.killChildAfter(t, 0, "done ", 20)
	if done < 20 {
		t.Fatalf("the child finished only %d objects before exiting", done)
	}

	job := w.Job(config.ModeSync, config.TransferStream)
	job.Name = "crash"
	sum, _, err := w.run(t, job)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Copied >= n || sum.Copied+sum.Skipped != n {
		t.Errorf("after kill -9: copied %d, skipped %d of %d; want a resume, not a restart", sum.Copied, sum.Skipped, n)
	}
	t.Logf("killed after %d objects reported; the resumed run copied %d and skipped %d", done, sum.Copied, sum.Skipped)
	if got := len(w.DestinationKeys(t)); got != n {
		t.Errorf("%d destination objects, want %d", got, n)
	}
}

// TestCopyKilledMidMultipart kills (SIGKILL) a stream copy after the first
// part of a 5-part object: the next run aborts the upload the killed run
// left, says so with a LeftoverUpload event, copies the object whole and
// leaves no upload open.
func TestCopyKilledMidMultipart(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a child process")
	}
	w := newCopyWorld(t)
	big := body(9, 21<<20)
	w.Put(t, "exports/big", big)
	parts := w.killChildAfter(t, 5<<20, "part ", 1)
	if parts == 0 {
		t.Fatal("the child wrote no part before exiting")
	}
	up, err := w.Lake.S3().ListMultipartUploads(t.Context(), &s3.ListMultipartUploadsInput{Bucket: aws.String("lake-raw")})
	must(t, err)
	if len(up.Uploads) != 1 {
		t.Fatalf("the killed run left %d uploads, want its one", len(up.Uploads))
	}
	leftID := aws.ToString(up.Uploads[0].UploadId)

	job := w.Job(config.ModeSync, config.TransferStream)
	job.Name = "crash"
	job.MultipartThreshold, job.PartSize = 5<<20, 5<<20
	sum, events, err := w.run(t, job)
	if err != nil || sum.Copied != 1 {
		t.Fatalf("run after the kill: copied %d, err %v", sum.Copied, err)
	}
	var said []string
	for _, e := range events.events {
		if l, ok := e.(*LeftoverUpload); ok {
			said = append(said, fmt.Sprintf("%s %s %s %v", l.Action, l.DestKey, l.UploadID, l.Err))
		}
	}
	if want := fmt.Sprintf("aborted prod/big %s <nil>", leftID); len(said) != 1 || said[0] != want {
		t.Errorf("LeftoverUpload events %q, want [%q]", said, want)
	}
	w.noUploads(t)
	if got, _ := w.Get(t, "prod/big"); !bytes.Equal(got, big) {
		t.Errorf("prod/big differs from the source after the resumed run")
	}
}

// killChildAfter runs the copy child on w (parts of partSize when set),
// kills it with SIGKILL once it has printed count lines starting with
// prefix, and returns how many it printed: fewer when it exited first. A
// child that hangs is killed at the deadline, which ends the scan.
func (w *copyWorld) killChildAfter(t *testing.T, partSize int64, prefix string, count int) int {
	t.Helper()
	spec, _ := json.Marshal(copyChildSpec{URL: w.Srv.URL, State: w.State, KeyARN: w.KeyARN,
		ProdKey: w.Prod.AccessKeyID, ProdSecret: w.Prod.SecretAccessKey, LakeKey: w.Lake.AccessKeyID, LakeSecret: w.Lake.SecretAccessKey,
		Source: "prod-data", Destination: "lake-raw", PartSize: partSize})
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), copyChildEnv+"="+string(spec))
	out, err := cmd.StdoutPipe()
	must(t, err)
	must(t, cmd.Start())
	lines := bufio.NewScanner(out)
	n := 0
	for n < count && lines.Scan() {
		if strings.HasPrefix(lines.Text(), prefix) {
			n++
		} else {
			t.Logf("child: %s", lines.Text())
		}
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	return n
}
