package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakesync/lakesync/internal/exec/awserr"
	"github.com/lakesync/lakesync/internal/policy"
	"github.com/lakesync/lakesync/internal/testenv/moto"
)

// The names of the migration tests' world.
const (
	moveBucket    = "konfir-moving-data"
	moveTemporary = "konfir-tmp-holding"
)

// migrationWorld is two accounts on the package's moto, the bucket to
// move in the first (with its objects) and a key in the second.
type migrationWorld struct {
	Prod, Lake *moto.Account
	cfg        string            // the configuration file
	objects    map[string][]byte // what the bucket holds
}

// hardKeys are keys a migration must move unchanged: spaces, unicode,
// '+', '%', deep paths, empty objects and a folder marker.
var hardKeys = []string{
	"dir/", "dir/empty", "with space/file name.txt", "unicodé/日本語/ключ.csv", "plus+sign+key",
	"percent%20not%2Fescaped", "a/b/c/d/e/f/g/h/i/j/deep.parquet", " leading-space", "trailing-space ",
	"quote'and\"double", "tilde~star*", "#hash?query&amp",
}

// worldOptions shape a migration world: objects besides the hard keys,
// the endpoint of the configuration (default moto's), lines added to the
// migration block, and an Object Lock source.
type worldOptions struct {
	objects    int
	endpoint   string
	extra      string
	objectLock bool
}

// newMigrationWorld builds the world and a configuration with migration
// "move".
func newMigrationWorld(t *testing.T, o worldOptions) *migrationWorld {
	t.Helper()
	s := moto.Require(t, motoSrv)
	ctx := t.Context()
	if err := s.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	w := &migrationWorld{objects: map[string][]byte{}}
	var err error
	if w.Prod, err = s.NewAccount(ctx, moto.DemoProdID); err != nil {
		t.Fatal(err)
	}
	if w.Lake, err = s.NewAccount(ctx, moto.DemoLakeID); err != nil {
		t.Fatal(err)
	}
	w.Prod.Profile, w.Lake.Profile = "prod", "lake"
	if o.objectLock {
		_, err = w.Prod.S3().CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(moveBucket), ObjectLockEnabledForBucket: aws.Bool(true),
			CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(w.Prod.Region)}})
	} else {
		err = w.Prod.CreateBucket(ctx, moveBucket)
	}
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Lake.CreateKey(ctx, moto.DemoKeyAlias); err != nil {
		t.Fatal(err)
	}
	for _, k := range hardKeys {
		w.objects[k] = nil
		if !strings.HasSuffix(k, "/") && k != "dir/empty" {
			w.objects[k] = []byte("content of " + k)
		}
	}
	for i := range o.objects {
		w.objects[fmt.Sprintf("data/day=%02d/part-%04d.parquet", i%7, i)] = fmt.Appendf(nil, "object %d of the migration\n", i)
	}
	for k, body := range w.objects {
		if err := w.Prod.PutObject(ctx, moveBucket, k, body); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	env, err := s.WriteSharedConfig(dir, w.Prod, w.Lake)
	if err != nil {
		t.Fatal(err)
	}
	env.Setenv(t)
	endpoint := o.endpoint
	if endpoint == "" {
		endpoint = s.URL
	}
	w.cfg = filepath.Join(dir, "lakesync.hcl")
	if err := os.WriteFile(w.cfg, []byte(migrationConfig(endpoint, filepath.Join(dir, "state"), o.extra)), 0o644); err != nil {
		t.Fatal(err)
	}
	return w
}

func migrationConfig(endpoint, statePath, extra string) string {
	return fmt.Sprintf(`account "prod" {
  id                  = "111111111111"
  region              = "eu-west-1"
  profile             = "prod"
  endpoint_url        = %[1]q
  s3_force_path_style = true
}

account "lake" {
  id                  = "222222222222"
  region              = "eu-west-1"
  profile             = "lake"
  endpoint_url        = %[1]q
  s3_force_path_style = true
}

key "lake" {
  account = account.lake
  alias   = "alias/datalake"
}

bucket "data" {
  account = account.prod
  name    = %[2]q
}

migration "move" {
  bucket           = bucket.data
  to               = account.lake
  key              = key.lake
  temporary_bucket = %[3]q
%[5]s}

state {
  path = %[4]q
}
`, endpoint, moveBucket, moveTemporary, statePath, extra)
}

// bucketObjects reads every object of bucket with c: key -> body; nil
// when the bucket does not exist.
func bucketObjects(t *testing.T, c *s3.Client, bucket string) map[string][]byte {
	t.Helper()
	ctx := t.Context()
	out := map[string][]byte{}
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if awserr.HasCode(err, "NoSuchBucket") {
			return nil
		}
		if err != nil {
			t.Fatalf("list %s: %v", bucket, err)
		}
		for _, o := range page.Contents {
			out[aws.ToString(o.Key)] = getBody(ctx, t, c, bucket, aws.ToString(o.Key))
		}
	}
	return out
}

func getBody(ctx context.Context, t *testing.T, c *s3.Client, bucket, key string) []byte {
	t.Helper()
	o, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("get s3://%s/%s: %v", bucket, key, err)
	}
	defer o.Body.Close()
	b, err := io.ReadAll(o.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ownedBuckets are the bucket names account a lists.
func ownedBuckets(t *testing.T, a *moto.Account) []string {
	t.Helper()
	out, err := a.S3().ListBuckets(t.Context(), &s3.ListBucketsInput{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range out.Buckets {
		names = append(names, aws.ToString(b.Name))
	}
	return names
}

// assertMoved checks the end of a migration: every object byte-identical
// in the bucket, now in the lake account; the temporary bucket gone; no
// bucket of that name in the prod account.
func (w *migrationWorld) assertMoved(t *testing.T) {
	t.Helper()
	w.assertObjects(t, w.Lake.S3())
	if lake := ownedBuckets(t, w.Lake); !slices.Contains(lake, moveBucket) || slices.Contains(lake, moveTemporary) {
		t.Errorf("the lake account's buckets: %v, want %s and not %s", lake, moveBucket, moveTemporary)
	}
	if prod := ownedBuckets(t, w.Prod); slices.Contains(prod, moveBucket) {
		t.Errorf("the prod account still lists %s: %v", moveBucket, prod)
	}
	if left := w.migrationStatements(t); len(left) > 0 {
		t.Errorf("the migration's statements are left in the lake account's documents: %v", left)
	}
}

// assertObjects checks that the moved bucket, read with c, holds every
// object of the world byte-identical, and nothing else.
func (w *migrationWorld) assertObjects(t *testing.T, c *s3.Client) {
	t.Helper()
	got := bucketObjects(t, c, moveBucket)
	if len(got) != len(w.objects) {
		t.Errorf("the moved bucket holds %d objects, want %d", len(got), len(w.objects))
	}
	for k, want := range w.objects {
		if b, ok := got[k]; !ok || !bytes.Equal(b, want) {
			t.Errorf("object %q: present %v, body %q, want %q", k, ok, b, want)
		}
	}
}

// assertUntouched checks that the source still holds every object and
// that nothing was deleted.
func (w *migrationWorld) assertUntouched(t *testing.T) {
	t.Helper()
	got := bucketObjects(t, w.Prod.S3(), moveBucket)
	if len(got) != len(w.objects) {
		t.Errorf("the source holds %d objects, want %d: something was deleted", len(got), len(w.objects))
	}
}

// migrationStatements lists the statements of the migration's jobs that
// are left in the lake account's documents once it is done: the key's
// policy, the moved bucket's policy and every role's inline policies.
// Each is "document: Sid".
func (w *migrationWorld) migrationStatements(t *testing.T) []string {
	t.Helper()
	ctx := t.Context()
	var docs []struct{ name, json string }
	meta, err := w.Lake.KMS().DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(moto.DemoKeyAlias)})
	if err != nil {
		t.Fatal(err)
	}
	key, err := w.Lake.KMS().GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: meta.KeyMetadata.KeyId, PolicyName: aws.String("default")})
	if err != nil {
		t.Fatal(err)
	}
	docs = append(docs, struct{ name, json string }{"key policy", aws.ToString(key.Policy)})
	if bp, err := w.Lake.S3().GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String(moveBucket)}); err == nil {
		docs = append(docs, struct{ name, json string }{"bucket policy", aws.ToString(bp.Policy)})
	} else if !awserr.HasCode(err, "NoSuchBucketPolicy") {
		t.Fatal(err)
	}
	roles, err := w.Lake.IAM().ListRoles(ctx, &iam.ListRolesInput{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range roles.Roles {
		names, err := w.Lake.IAM().ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: r.RoleName})
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range names.PolicyNames {
			p, err := w.Lake.IAM().GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: r.RoleName, PolicyName: aws.String(n)})
			if err != nil {
				t.Fatal(err)
			}
			doc, err := url.QueryUnescape(aws.ToString(p.PolicyDocument))
			if err != nil {
				t.Fatal(err)
			}
			docs = append(docs, struct{ name, json string }{"role " + aws.ToString(r.RoleName) + " policy " + n, doc})
		}
	}
	var left []string
	for _, d := range docs {
		var doc struct{ Statement []struct{ Sid string } }
		if err := json.Unmarshal([]byte(d.json), &doc); err != nil {
			t.Fatalf("%s: %v\n%s", d.name, err, d.json)
		}
		for _, s := range doc.Statement {
			for _, job := range []string{"migration_move_out", "migration_move_back"} {
				if strings.HasPrefix(s.Sid, "Lakesync"+policy.JobID(job)) {
					left = append(left, d.name+": "+s.Sid)
				}
			}
		}
	}
	return left
}
