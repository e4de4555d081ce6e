package exec

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/awserr"
	"github.com/lakesync/lakesync/internal/exec/copier"
	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/testenv/faultproxy"
)

// A refused request names the principal that made it (the copier role and
// its session, or an account's credentials), the permission, the resource
// and the documents to look at for that principal. The refusal is a 403
// AccessDenied injected on the wire in front of moto; the clients are the
// ones Accounts builds, as the CLI uses them.
func TestRefusalNamesPrincipalActionResourceDocuments(t *testing.T) {
	const copierARN = "arn:aws:iam::111111111111:role/lakesync-copier"
	tests := []struct {
		name     string
		transfer config.Transfer
		refuse   faultproxy.Match
		op       string
		arn      string // awserr.Error.PrincipalARN
		want     []string
		notWant  []string
	}{
		{
			name:     "the copier's CopyObject",
			transfer: config.TransferServerSide,
			refuse:   faultproxy.CopyObjects,
			op:       "s3:CopyObject",
			arn:      copierARN,
			want: []string{
				`role ` + copierARN + ` (session "lakesync") lacks permission`,
				"s3:PutObject (destination)",
				"on s3://lake-raw/prod/day=01/a.parquet (copying s3://prod-data/exports/day=01/a.parquet)",
				`the inline policy "lakesync" of role lakesync-copier (role.copier)`,
				"the bucket policy of bucket.lake (lake-raw, account 222222222222)",
				"the key policy of key.lake (KEY, account 222222222222)",
				"the bucket policy of bucket.prod (prod-data, account 111111111111, the copy source)",
			},
			notWant: []string{"the credentials used for account"},
		},
		{
			name:     "the copier's listing of the source",
			transfer: config.TransferServerSide,
			refuse:   faultproxy.Match{Methods: []string{"GET"}, Query: []string{"list-type"}, PathPrefix: "/prod-data"},
			op:       "s3:ListObjectsV2",
			arn:      copierARN,
			want: []string{
				`in account "prod" (111111111111)`,
				`role ` + copierARN + ` (session "lakesync") lacks permission s3:ListBucket on arn:aws:s3:::prod-data`,
				`the inline policy "lakesync" of role lakesync-copier (role.copier)`,
				"the bucket policy of bucket.prod (prod-data, account 111111111111)",
			},
			notWant: []string{"key policy"},
		},
		{
			name:     "the source account's listing",
			transfer: config.TransferStream,
			refuse:   faultproxy.Match{Methods: []string{"GET"}, Query: []string{"list-type"}, PathPrefix: "/prod-data"},
			op:       "s3:ListObjectsV2",
			want: []string{
				`credentials of account "prod" (111111111111) from profile "prod" (arn:aws:iam::111111111111:user/lakesync-test) lack permission s3:ListBucket on arn:aws:s3:::prod-data`,
				`the IAM policies of arn:aws:iam::111111111111:user/lakesync-test (profile "prod")`,
				"the bucket policy of bucket.prod (prod-data, account 111111111111)",
			},
			notWant: []string{"role.copier", "key policy"},
		},
		{
			name:     "the destination account's write",
			transfer: config.TransferStream,
			refuse:   faultproxy.Match{Methods: []string{"PUT"}, PathPrefix: "/lake-raw/"},
			op:       "s3:PutObject",
			want: []string{
				`in account "lake" (222222222222)`,
				`credentials of account "lake" (222222222222) from profile "lake" (arn:aws:iam::222222222222:user/lakesync-test) lack permission s3:PutObject on s3://lake-raw/prod/day=01/a.parquet`,
				`the IAM policies of arn:aws:iam::222222222222:user/lakesync-test (profile "lake")`,
				"the bucket policy of bucket.lake (lake-raw, account 222222222222)",
				"the key policy of key.lake (KEY, account 222222222222)",
			},
			notWant: []string{"role.copier", "prod-data"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newCopyWorld(t)
			must(t, w.Prod.PutObject(t.Context(), "prod-data", "exports/day=01/a.parquet", []byte("a")))
			proxy, err := faultproxy.New(w.Srv.URL, faultproxy.Config{Rules: []faultproxy.Rule{
				{Kind: faultproxy.AccessDenied, Match: tt.refuse, Every: 1}}})
			must(t, err)
			t.Cleanup(func() { _ = proxy.Close() })
			w.ProdAcct.EndpointURL, w.LakeAcct.EndpointURL = proxy.URL, proxy.URL

			job := w.Job(config.ModeCp, tt.transfer)
			acc := NewAccounts(w.Cfg)
			c := copierFor(t, acc, job)
			store, err := state.Open(w.State, state.Options{})
			must(t, err)
			t.Cleanup(func() { _ = store.Close() })
			c.State = store
			_, err = c.Run(t.Context(), job)
			if proxy.Counts().Faults[faultproxy.AccessDenied] == 0 {
				t.Fatalf("no request was refused: the test proves nothing (%v)", err)
			}
			var failed *copier.ObjectsFailedError
			if errors.As(err, &failed) && len(failed.Failures) > 0 {
				err = failed.Failures[0].Err
			}
			var ae *awserr.Error
			if !errors.As(err, &ae) {
				t.Fatalf("run error %v holds no awserr.Error", err)
			}
			msg := ae.Error()
			t.Log(msg)
			if ae.Op != tt.op || !awserr.IsAccessDenied(ae) || ae.PrincipalARN != tt.arn {
				t.Errorf("Op %q, Code %q, PrincipalARN %q; want %q, AccessDenied, %q", ae.Op, ae.Code, ae.PrincipalARN, tt.op, tt.arn)
			}
			for _, want := range tt.want {
				want = strings.ReplaceAll(want, "KEY", w.KeyARN)
				if !strings.Contains(msg, want) {
					t.Errorf("message does not say %q", want)
				}
			}
			for _, bad := range tt.notWant {
				if strings.Contains(msg, bad) {
					t.Errorf("message says %q", bad)
				}
			}
			if strings.Contains(msg, w.Prod.SecretAccessKey) || strings.Contains(msg, w.Lake.SecretAccessKey) {
				t.Error("message leaks a secret key")
			}
		})
	}
}

// copierFor builds job's copier with the clients the CLI gives it
// (cmd/lakesync newCopier): the copier role's for a server-side job, each
// account's own for a stream job.
func copierFor(t *testing.T, acc *Accounts, job *config.Job) *copier.Copier {
	t.Helper()
	c := &copier.Copier{KMSKeyID: job.Destination.Key.Ref()}
	if job.Transfer == config.TransferStream {
		src, err := acc.BucketS3(t.Context(), job.Source, job.Concurrency)
		must(t, err)
		dst, err := acc.BucketS3(t.Context(), job.Destination, job.Concurrency)
		must(t, err)
		c.Source, c.Destination = src, dst
		return c
	}
	src, err := acc.RoleS3(t.Context(), job.Role, job.Source, job.Concurrency)
	must(t, err)
	dst, err := acc.RoleS3(t.Context(), job.Role, job.Destination, job.Concurrency)
	must(t, err)
	c.Source, c.Destination = src, dst
	return c
}

// deniedDeletes forwards DeleteObjects and then reports every key as
// refused inside the 200 answer, as S3 does for per-key failures.
type deniedDeletes struct{ copier.CopyDestination }

func (d deniedDeletes) DeleteObjects(ctx context.Context, in *s3.DeleteObjectsInput, optFns ...func(*s3.Options)) (*s3.DeleteObjectsOutput, error) {
	out, err := d.CopyDestination.DeleteObjects(ctx, in, optFns...)
	if err != nil {
		return out, err
	}
	out.Errors = nil
	for _, o := range in.Delete.Objects {
		out.Errors = append(out.Errors, s3types.Error{Key: o.Key, Code: aws.String("AccessDenied"), Message: aws.String("Access Denied")})
	}
	return out, nil
}

// A delete refused inside DeleteObjects' 200 answer names the principal
// and the documents like any refusal.
func TestRefusedDeleteNamesPrincipal(t *testing.T) {
	w := newCopyWorld(t)
	must(t, w.Lake.PutObject(t.Context(), "lake-raw", "prod/gone.parquet", []byte("x")))
	job := w.Job(config.ModeSync, config.TransferServerSide)
	job.Delete = true
	c := copierFor(t, NewAccounts(w.Cfg), job)
	c.Destination = deniedDeletes{c.Destination}
	store, err := state.Open(w.State, state.Options{})
	must(t, err)
	t.Cleanup(func() { _ = store.Close() })
	c.State = store
	_, err = c.Run(t.Context(), job)
	var failed *copier.ObjectsFailedError
	if !errors.As(err, &failed) || len(failed.Failures) != 1 {
		t.Fatalf("run: %v, want one failed delete", err)
	}
	msg := failed.Failures[0].Err.Error()
	t.Log(msg)
	for _, want := range []string{
		`s3:DeleteObject on s3://lake-raw/prod/gone.parquet in account "lake" (222222222222) failed (AccessDenied)`,
		`role arn:aws:iam::111111111111:role/lakesync-copier (session "lakesync") lacks permission s3:DeleteObject`,
		`the inline policy "lakesync" of role lakesync-copier`,
		"the bucket policy of bucket.lake (lake-raw, account 222222222222)",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("message does not say %q", want)
		}
	}
}
