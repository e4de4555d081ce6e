package bucketops

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"golang.org/x/sync/errgroup"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/testenv/moto"
)

// Account ids of the tests' two accounts.
const (
	oldID = "111111111111"
	newID = "222222222222"
)

// accounts resets moto and makes the two accounts.
func accounts(t *testing.T) (old, neu *moto.Account) {
	t.Helper()
	srv := moto.Require(t, motoSrv)
	ctx := t.Context()
	if err := srv.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	old, err := srv.NewAccount(ctx, oldID)
	if err != nil {
		t.Fatal(err)
	}
	neu, err = srv.NewAccount(ctx, newID)
	if err != nil {
		t.Fatal(err)
	}
	return old, neu
}

// recorder counts the requests its transport sends that match.
type recorder struct {
	match func(*http.Request) bool
	n     atomic.Int64
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if r.match(req) {
		r.n.Add(1)
	}
	return http.DefaultTransport.RoundTrip(req)
}

// isDeleteObjects matches DeleteObjects (POST /bucket?delete).
func isDeleteObjects(r *http.Request) bool {
	return r.Method == http.MethodPost && r.URL.Query().Has("delete")
}

// target is bucket in a's account, acted on with a's S3 client (through
// rec when not nil).
func target(a *moto.Account, bucket string, rec *recorder) Target {
	c := a.S3()
	if rec != nil {
		c = s3.NewFromConfig(a.Config(), func(o *s3.Options) {
			o.UsePathStyle = true
			o.HTTPClient = &http.Client{Transport: rec}
		})
	}
	return Target{Client: c, Bucket: bucket, Account: &config.Account{Name: "acct" + a.ID[:1], ID: a.ID}}
}

// versionedBucket creates bucket in a with versioning on.
func versionedBucket(t *testing.T, a *moto.Account, bucket string) {
	t.Helper()
	if err := a.CreateBucket(t.Context(), bucket); err != nil {
		t.Fatal(err)
	}
	_, err := a.S3().PutBucketVersioning(t.Context(), &s3.PutBucketVersioningInput{Bucket: aws.String(bucket),
		VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}})
	if err != nil {
		t.Fatal(err)
	}
}

// putMany writes keys key-0000 .. key-(n-1), each body size bytes, 8 at
// a time.
func putMany(t *testing.T, a *moto.Account, bucket string, n, size int) {
	t.Helper()
	body := make([]byte, size)
	g, ctx := errgroup.WithContext(t.Context())
	g.SetLimit(8)
	for i := range n {
		g.Go(func() error { return a.PutObject(ctx, bucket, key(i), body) })
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
}

func key(i int) string { return fmt.Sprintf("key-%04d", i) }

// deleteMany deletes keys 0..n-1 without a version: a delete marker each
// in a versioned bucket.
func deleteMany(t *testing.T, a *moto.Account, bucket string, n int) {
	t.Helper()
	g, ctx := errgroup.WithContext(t.Context())
	g.SetLimit(8)
	for i := range n {
		g.Go(func() error {
			_, err := a.S3().DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(key(i))})
			return err
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
}

func headBucket(ctx context.Context, a *moto.Account, bucket string) error {
	_, err := a.S3().HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)})
	return err
}
