package world

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/awserr"
	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/testenv/moto"
)

// Copy is a moto world for the copier: a source bucket in prod, a
// destination bucket in lake with a CMK, and a copier role in prod.
type Copy struct {
	*World
	Src, Dst   *config.Bucket
	KeyARN     string
	CopierRole *config.Role
	RoleARN    string
	State      string // state file path
}

// NewCopy builds the copier's world on srv (see New).
func NewCopy(t *testing.T, srv *moto.Server) *Copy {
	t.Helper()
	w := &Copy{World: New(t, srv), State: filepath.Join(t.TempDir(), "state")}
	ctx := t.Context()
	Must(t, w.Prod.CreateBucket(ctx, "prod-data"))
	Must(t, w.Lake.CreateBucket(ctx, "lake-raw"))
	var err error
	w.KeyARN, err = w.Lake.CreateKey(ctx, "")
	Must(t, err)
	w.RoleARN, err = w.Prod.CreateRole(ctx, "lakesync-copier", moto.TrustAccount(ProdID))
	Must(t, err)
	w.Src = w.Bucket(t, "prod", w.ProdAcct)
	w.Src.BucketName = "prod-data"
	w.Dst = w.Bucket(t, "lake", w.LakeAcct)
	w.Dst.BucketName = "lake-raw"
	w.Dst.Key = w.Key(t, "lake", w.KeyARN, w.LakeAcct)
	w.CopierRole = w.Role(t, "copier", w.ProdAcct)
	w.CopierRole.RoleName = "lakesync-copier"
	return w
}

// Job is the job prod_to_lake of mode and transfer between the buckets.
func (w *Copy) Job(mode config.Mode, transfer config.Transfer) *config.Job {
	return &config.Job{Name: "prod_to_lake", Source: w.Src, Destination: w.Dst, Role: w.CopierRole, Mode: mode,
		SourcePrefix: "exports/", DestinationPrefix: "prod/", Transfer: transfer, Concurrency: 8,
		MultipartThreshold: config.DefaultMultipartThreshold, PartSize: config.DefaultPartSize}
}

// RoleS3 is an S3 client acting as the copier role, its credentials
// assumed for duration and renewed window before they expire; calls counts
// the AssumeRole calls.
func (w *Copy) RoleS3(duration, window time.Duration, calls *atomic.Int64) *s3.Client {
	base := w.Prod.Config()
	provider := stscreds.NewAssumeRoleProvider(sts.NewFromConfig(base), w.RoleARN, func(o *stscreds.AssumeRoleOptions) {
		o.RoleSessionName = awserr.SessionName
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

// CopyClients are the source and destination clients of a copy of job's
// transfer: the two accounts' for a stream, the copier role's for both
// sides of a server-side copy.
func (w *Copy) CopyClients(job *config.Job) (src, dst *s3.Client) {
	if job.Transfer == config.TransferStream {
		return w.Prod.S3(), w.Lake.S3()
	}
	cl := w.RoleS3(time.Hour, 10*time.Minute, nil)
	return cl, cl
}

// OpenState opens the state file, fresh or as a previous copier left it;
// it is closed when the test ends, or earlier by the caller.
func (w *Copy) OpenState(t *testing.T) *state.Store {
	t.Helper()
	store, err := state.Open(w.State, state.Options{})
	Must(t, err)
	t.Cleanup(func() { store.Close() })
	return store
}

// Put writes a source object.
func (w *Copy) Put(t *testing.T, key string, body []byte) {
	t.Helper()
	Must(t, w.Prod.PutObject(t.Context(), "prod-data", key, body))
}

// Get reads a destination object.
func (w *Copy) Get(t *testing.T, key string) ([]byte, *s3.GetObjectOutput) {
	t.Helper()
	out, err := w.Lake.S3().GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("lake-raw"), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("get s3://lake-raw/%s: %v", key, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	Must(t, err)
	return b, out
}

// DestinationKeys lists every key of the destination bucket.
func (w *Copy) DestinationKeys(t *testing.T) []string {
	t.Helper()
	var keys []string
	p := s3.NewListObjectsV2Paginator(w.Lake.S3(), &s3.ListObjectsV2Input{Bucket: aws.String("lake-raw")})
	for p.HasMorePages() {
		out, err := p.NextPage(t.Context())
		Must(t, err)
		for _, o := range out.Contents {
			keys = append(keys, aws.ToString(o.Key))
		}
	}
	return keys
}

// Body is the content of test object i, size bytes long.
func Body(i, size int) []byte {
	unit := []byte(fmt.Sprintf("object %d;", i))
	return bytes.Repeat(unit, size/len(unit)+1)[:size]
}
