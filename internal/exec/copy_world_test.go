package exec

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/testenv/moto"
)

// copyWorld is a moto world for the copier: a source bucket in prod, a
// destination bucket in lake with a CMK, and a copier role in prod.
type copyWorld struct {
	*testWorld
	src, dst   *config.Bucket
	keyARN     string
	copierRole *config.Role
	roleARN    string
	state      string // state file path
}

func newCopyWorld(t *testing.T) *copyWorld {
	t.Helper()
	w := &copyWorld{testWorld: newWorld(t), state: filepath.Join(t.TempDir(), "state")}
	ctx := t.Context()
	must(t, w.prod.CreateBucket(ctx, "prod-data"))
	must(t, w.lake.CreateBucket(ctx, "lake-raw"))
	var err error
	w.keyARN, err = w.lake.CreateKey(ctx, "")
	must(t, err)
	w.roleARN, err = w.prod.CreateRole(ctx, "lakesync-copier", moto.TrustAccount(prodID))
	must(t, err)
	w.src = w.bucket(t, "prod", w.prodAcct)
	w.src.BucketName = "prod-data"
	w.dst = w.bucket(t, "lake", w.lakeAcct)
	w.dst.BucketName = "lake-raw"
	w.dst.Key = w.key(t, "lake", w.keyARN, w.lakeAcct)
	w.copierRole = w.role(t, "copier", w.prodAcct)
	w.copierRole.RoleName = "lakesync-copier"
	return w
}

func (w *copyWorld) job(mode config.Mode, transfer config.Transfer) *config.Job {
	return &config.Job{Name: "prod_to_lake", Source: w.src, Destination: w.dst, Role: w.copierRole, Mode: mode,
		SourcePrefix: "exports/", DestinationPrefix: "prod/", Transfer: transfer, Concurrency: 8,
		MultipartThreshold: config.DefaultMultipartThreshold, PartSize: config.DefaultPartSize}
}

// roleS3 is an S3 client acting as the copier role, its credentials
// assumed for duration and renewed window before they expire; calls counts
// the AssumeRole calls.
func (w *copyWorld) roleS3(duration, window time.Duration, calls *atomic.Int64) *s3.Client {
	base := w.prod.Config()
	provider := stscreds.NewAssumeRoleProvider(sts.NewFromConfig(base), w.roleARN, func(o *stscreds.AssumeRoleOptions) {
		o.RoleSessionName = SessionName
		o.Duration = duration
	})
	var p aws.CredentialsProvider = provider
	if calls != nil {
		p = aws.CredentialsProviderFunc(func(ctx context.Context) (aws.Credentials, error) {
			calls.Add(1)
			return provider.Retrieve(ctx)
		})
	}
	cfg := base.Copy()
	cfg.Credentials = aws.NewCredentialsCache(p, func(o *aws.CredentialsCacheOptions) { o.ExpiryWindow = window })
	return s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
}

// copier returns a copier of the job's transfer over a fresh or existing
// state file; close the store when done.
func (w *copyWorld) copier(t *testing.T, job *config.Job, events *eventLog) *Copier {
	t.Helper()
	store, err := state.Open(w.state, state.Options{})
	must(t, err)
	t.Cleanup(func() { store.Close() })
	c := &Copier{State: store, KMSKeyID: w.keyARN, CommitInterval: 10 * time.Millisecond}
	if job.Transfer == config.TransferStream {
		c.Source, c.Destination = w.prod.S3(), w.lake.S3()
	} else {
		cl := w.roleS3(time.Hour, 10*time.Minute, nil)
		c.Source, c.Destination = cl, cl
	}
	if events != nil {
		c.Listener = events
	}
	return c
}

// run runs the job with a new copier and closes its store.
func (w *copyWorld) run(t *testing.T, job *config.Job) (CopySummary, *eventLog, error) {
	t.Helper()
	events := &eventLog{}
	c := w.copier(t, job, events)
	sum, err := c.Run(t.Context(), job)
	c.State.Close()
	return sum, events, err
}

func (w *copyWorld) put(t *testing.T, key string, body []byte) {
	t.Helper()
	must(t, w.prod.PutObject(t.Context(), "prod-data", key, body))
}

func (w *copyWorld) get(t *testing.T, key string) ([]byte, *s3.GetObjectOutput) {
	t.Helper()
	out, err := w.lake.S3().GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("lake-raw"), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("get s3://lake-raw/%s: %v", key, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	must(t, err)
	return b, out
}

func (w *copyWorld) destinationKeys(t *testing.T) []string {
	t.Helper()
	var keys []string
	p := s3.NewListObjectsV2Paginator(w.lake.S3(), &s3.ListObjectsV2Input{Bucket: aws.String("lake-raw")})
	for p.HasMorePages() {
		out, err := p.NextPage(t.Context())
		must(t, err)
		for _, o := range out.Contents {
			keys = append(keys, aws.ToString(o.Key))
		}
	}
	return keys
}

func body(i, size int) []byte {
	unit := []byte(fmt.Sprintf("object %d;", i))
	return bytes.Repeat(unit, size/len(unit)+1)[:size]
}

// eventLog records events; safe for the copier's serialized calls and the
// test reading it afterwards.
type eventLog struct {
	mu     sync.Mutex
	events []CopyEvent
	hook   func(CopyEvent)
}

func (l *eventLog) OnCopyEvent(e CopyEvent) {
	l.mu.Lock()
	l.events = append(l.events, e)
	l.mu.Unlock()
	if l.hook != nil {
		l.hook(e)
	}
}

func (l *eventLog) count(pred func(CopyEvent) bool) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, e := range l.events {
		if pred(e) {
			n++
		}
	}
	return n
}
