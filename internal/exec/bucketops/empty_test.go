package bucketops

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/google/go-cmp/cmp"

	"github.com/lakesync/lakesync/internal/exec/awserr"
)

// Count sees current objects, noncurrent versions, delete markers and the
// bytes of every version; on an unversioned bucket, each object once.
func TestCount(t *testing.T) {
	old, _ := accounts(t)
	ctx := t.Context()
	versionedBucket(t, old, "versioned")
	putMany(t, old, "versioned", 10, 3)
	putMany(t, old, "versioned", 4, 5) // keys 0-3 get a second version
	deleteMany(t, old, "versioned", 2) // keys 0-1: a delete marker on top
	got, err := Count(ctx, target(old, "versioned", nil))
	if err != nil {
		t.Fatal(err)
	}
	want := Census{Objects: 8, Versions: 6, DeleteMarkers: 2, Bytes: 10*3 + 4*5}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("versioned census (-want +got):\n%s", d)
	}

	if err := old.CreateBucket(ctx, "plain"); err != nil {
		t.Fatal(err)
	}
	putMany(t, old, "plain", 3, 7)
	got, err = Count(ctx, target(old, "plain", nil))
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(Census{Objects: 3, Bytes: 21}, got); d != "" {
		t.Errorf("unversioned census (-want +got):\n%s", d)
	}
}

// Empty deletes 1,100 objects, 50 older versions and 300 delete markers
// (1,450 entries) in two DeleteObjects requests, counted on the wire,
// then the bucket.
func TestEmptyBatchesOf1000(t *testing.T) {
	old, _ := accounts(t)
	ctx := t.Context()
	versionedBucket(t, old, "big")
	putMany(t, old, "big", 1100, 1)
	putMany(t, old, "big", 50, 1)
	deleteMany(t, old, "big", 300)
	rec := &recorder{match: isDeleteObjects}
	var progress []int64
	if err := Empty(ctx, target(old, "big", rec), true, func(n int64) { progress = append(progress, n) }); err != nil {
		t.Fatal(err)
	}
	if n := rec.n.Load(); n != 2 {
		t.Errorf("%d DeleteObjects requests for 1450 versions, want 2", n)
	}
	if d := cmp.Diff([]int64{1000, 1450}, progress); d != "" {
		t.Errorf("progress (-want +got):\n%s", d)
	}
	if err := headBucket(ctx, old, "big"); !awserr.HasCode(err, "NotFound") {
		t.Errorf("HeadBucket after Empty: %v, want NotFound", err)
	}
}

// refusing answers DeleteObjects (from moto) with an AccessDenied for
// the keys it names, as S3 does for a Deny on some prefix.
type refusing struct {
	Client
	keys []string
}

func (r refusing) DeleteObjects(ctx context.Context, in *s3.DeleteObjectsInput, fns ...func(*s3.Options)) (*s3.DeleteObjectsOutput, error) {
	var keep []s3types.ObjectIdentifier
	var errs []s3types.Error
	for _, o := range in.Delete.Objects {
		if slices.Contains(r.keys, aws.ToString(o.Key)) {
			errs = append(errs, s3types.Error{Key: o.Key, VersionId: o.VersionId, Code: aws.String("AccessDenied"), Message: aws.String("Access Denied")})
		} else {
			keep = append(keep, o)
		}
	}
	in.Delete.Objects = keep
	out, err := r.Client.DeleteObjects(ctx, in, fns...)
	if err == nil {
		out.Errors = append(out.Errors, errs...)
	}
	return out, err
}

// A version S3 refuses to delete is named (principal, action, resource)
// and keeps the bucket; the others are deleted.
func TestEmptyNamesRefusedVersions(t *testing.T) {
	old, _ := accounts(t)
	ctx := t.Context()
	versionedBucket(t, old, "some")
	putMany(t, old, "some", 5, 1)
	tg := target(old, "some", nil)
	tg.Client = refusing{Client: tg.Client, keys: []string{key(3)}}
	err := Empty(ctx, tg, true, nil)
	var ae *awserr.Error
	if !errors.As(err, &ae) || ae.Op != "s3:DeleteObject" || !strings.HasPrefix(ae.Resource, "arn:aws:s3:::some/key-0003 (version ") {
		t.Fatalf("Empty: %v, want the refused version named", err)
	}
	for _, want := range []string{"bucket some is not empty: 1 versions could not be deleted (4 were)",
		`in account "acct1" (111111111111)`, "lack permission s3:DeleteObject"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	c, err := Count(ctx, target(old, "some", nil))
	if err != nil || c != (Census{Objects: 1, Bytes: 1}) {
		t.Errorf("left %+v (%v), want key-0003 alone", c, err)
	}
}
