package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"golang.org/x/sync/errgroup"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/testenv/faultproxy"
	"github.com/lakesync/lakesync/internal/testenv/moto"
)

// Client settings of the copier under faults. lakesync's own clients
// wait up to 2 minutes for headers and back off up to 20s; the soak keeps
// lakesync's 10 attempts but waits 5s for headers (a Slow fault holds a
// request 6s) and backs off at most 500ms, so it spends its time on
// faults rather than on waiting.
const (
	headerTimeout = 5 * time.Second
	slowDelay     = 6 * time.Second
	maxAttempts   = 10
	maxBackoff    = 500 * time.Millisecond
	partSize      = 5 << 20
)

// faultRules are random rules of every kind, each firing with its
// probability times rate on the requests it matches. OKWithError matches
// only CopyObject, UploadPartCopy and CompleteMultipartUpload.
func faultRules(rate float64) []faultproxy.Rule {
	p := func(x float64) float64 { return min(x*rate, 1) }
	return []faultproxy.Rule{
		{Kind: faultproxy.SlowDown, Probability: p(0.01), Burst: 3},
		{Kind: faultproxy.InternalError, Probability: p(0.01)},
		{Kind: faultproxy.Reset, Probability: p(0.01)},
		{Kind: faultproxy.Slow, Probability: p(0.001), Delay: slowDelay},
		{Kind: faultproxy.OKWithError, Probability: p(0.03)},
	}
}

// world is the demo's two accounts on moto and the one job synced.
type world struct {
	demo      *moto.Demo
	job       *config.Job
	keyARN    string
	roleARN   string
	statePath string
	prod      *s3.Client // direct to moto, for setup and verification
	lake      *s3.Client
}

func newWorld(ctx context.Context, srv *moto.Server, dir string, transfer config.Transfer, concurrency int) (*world, error) {
	d, err := srv.BuildDemo(ctx, dir, 0)
	if err != nil {
		return nil, err
	}
	prod := &config.Account{Name: "prod", ID: moto.DemoProdID, Region: moto.DefaultRegion, S3ForcePathStyle: true}
	lake := &config.Account{Name: "lake", ID: moto.DemoLakeID, Region: moto.DefaultRegion, S3ForcePathStyle: true}
	key := &config.Key{Name: "lake", Account: lake, ARN: d.KeyARN}
	job := &config.Job{
		Name:              "prod_to_lake",
		Source:            &config.Bucket{Name: "prod", Account: prod, BucketName: moto.DemoSource},
		Destination:       &config.Bucket{Name: "lake", Account: lake, BucketName: moto.DemoDest, Key: key},
		Role:              &config.Role{Name: "copier", Account: prod, RoleName: moto.DemoRole},
		Mode:              config.ModeSync,
		Transfer:          transfer,
		SourcePrefix:      moto.DemoObjectsDir,
		DestinationPrefix: "prod/",
		Concurrency:       concurrency,
		// Small parts so multipart copies happen with objects of a few MiB.
		MultipartThreshold: partSize,
		PartSize:           partSize,
	}
	return &world{
		demo: d, job: job, keyARN: d.KeyARN,
		roleARN:   fmt.Sprintf("arn:aws:iam::%s:role/%s", moto.DemoProdID, moto.DemoRole),
		statePath: filepath.Join(dir, "state"),
		prod:      d.Prod.S3(), lake: d.Lake.S3(),
	}, nil
}

// smallKey and bigKey name the source objects; bodies are a function of
// the index, so a wrong byte anywhere shows.
func smallKey(i int) string {
	return fmt.Sprintf("%sp=%02d/obj-%06d.bin", moto.DemoObjectsDir, i%50, i)
}
func bigKey(i int) string { return fmt.Sprintf("%sbig/obj-%d.bin", moto.DemoObjectsDir, i) }

func smallBody(i int) []byte {
	n := 64 + (i*7919)%4033
	return bytes.Repeat(fmt.Appendf(nil, "object %d;", i), n/8+1)[:n]
}

func bigBody(i int) []byte {
	b := make([]byte, 6<<20+i*(5<<20)+i*7919)
	r := rand.NewChaCha8([32]byte{byte(i), 's', 'o', 'a', 'k'})
	_, _ = r.Read(b)
	return b
}

// putObjects writes the source objects directly to moto, in parallel,
// and returns how many and how many bytes.
func (w *world) putObjects(ctx context.Context, small, big int) (int, int64, error) {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(32)
	var total int64
	put := func(key string, body []byte) {
		total += int64(len(body))
		g.Go(func() error {
			_, err := w.prod.PutObject(gctx, &s3.PutObjectInput{Bucket: aws.String(moto.DemoSource), Key: aws.String(key), Body: bytes.NewReader(body)})
			if err != nil {
				return fmt.Errorf("put s3://%s/%s: %w", moto.DemoSource, key, err)
			}
			return nil
		})
	}
	for i := range big {
		put(bigKey(i), bigBody(i))
	}
	for i := range small {
		if gctx.Err() != nil {
			break
		}
		put(smallKey(i), smallBody(i))
	}
	return small + big, total, g.Wait()
}

// copierClients are the copier's source and destination clients, sent
// through the proxy at url: the copier role's for a server-side job, each
// account's own for a stream job. Credentials are fetched from moto
// directly: the faults are for the copy.
func (w *world) copierClients(url string) (source, destination *s3.Client) {
	viaProxy := func(cfg aws.Config) *s3.Client {
		hc := awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) {
			t.ResponseHeaderTimeout = headerTimeout
			t.MaxIdleConnsPerHost = w.job.Concurrency
		})
		return s3.NewFromConfig(cfg, func(o *s3.Options) {
			o.BaseEndpoint = aws.String(url)
			o.UsePathStyle = true
			o.HTTPClient = hc
			o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
				so.MaxAttempts = maxAttempts
				so.MaxBackoff = maxBackoff
				so.RateLimiter = ratelimit.None
			})
		})
	}
	if w.job.Transfer == config.TransferStream {
		return viaProxy(w.demo.Prod.Config()), viaProxy(w.demo.Lake.Config())
	}
	base := w.demo.Prod.Config()
	cfg := base.Copy()
	cfg.Credentials = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(sts.NewFromConfig(base), w.roleARN))
	cl := viaProxy(cfg)
	return cl, cl
}
