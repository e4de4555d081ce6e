package copier

import (
	"bufio"
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
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

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
	// Transfer is the job's (stream when empty); a server-side copy
	// assumes RoleARN with the prod keys for both sides.
	Transfer config.Transfer
	RoleARN  string
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
	if s.Transfer == "" {
		s.Transfer = config.TransferStream
	}
	if s.Transfer == config.TransferServerSide {
		prod := client(s.ProdKey, s.ProdSecret)
		role := s3.NewFromConfig(aws.Config{Region: "eu-west-1", BaseEndpoint: aws.String(s.URL),
			Credentials: aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(sts.NewFromConfig(aws.Config{Region: "eu-west-1",
				BaseEndpoint: aws.String(s.URL), Credentials: prod.Options().Credentials}), s.RoleARN))},
			func(o *s3.Options) { o.UsePathStyle = true })
		c.Source, c.Destination = role, role
	}
	job := &config.Job{Name: "crash", Mode: config.ModeSync, Transfer: s.Transfer, Concurrency: 2,
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

// killChildAfter runs the copy child on w (parts of partSize when set),
// kills it with SIGKILL once it has printed count lines starting with
// prefix, and returns how many it printed: fewer when it exited first. A
// child that hangs is killed at the deadline, which ends the scan.
func (w *copyWorld) killChildAfter(t *testing.T, partSize int64, prefix string, count int) int {
	t.Helper()
	return w.killChild(t, copyChildSpec{PartSize: partSize}, prefix, count)
}

// killChild is killChildAfter with the child's transfer and part size
// in s; the world's fields are filled in.
func (w *copyWorld) killChild(t *testing.T, s copyChildSpec, prefix string, count int) int {
	t.Helper()
	s.URL, s.State, s.KeyARN, s.RoleARN = w.Srv.URL, w.State, w.KeyARN, w.RoleARN
	s.ProdKey, s.ProdSecret, s.LakeKey, s.LakeSecret = w.Prod.AccessKeyID, w.Prod.SecretAccessKey, w.Lake.AccessKeyID, w.Lake.SecretAccessKey
	s.Source, s.Destination = "prod-data", "lake-raw"
	spec, _ := json.Marshal(s)
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
