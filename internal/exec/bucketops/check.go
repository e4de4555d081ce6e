package bucketops

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/lakesync/lakesync/internal/exec/awserr"
)

// Refusal is why a bucket cannot be migrated: it names the bucket, what
// is wrong and what to do.
type Refusal struct{ Bucket, Reason, Fix string }

func (r Refusal) Error() string { return "bucket " + r.Bucket + ": " + r.Reason + "; " + r.Fix }

// heldSample is how many versions CheckSource asks for a legal hold
// before it says that others may be held.
const heldSample = 100

// CheckSource refuses Object Lock (naming the objects under legal hold
// among the first heldSample versions), and replication rules unless
// ignoreReplication.
func CheckSource(ctx context.Context, t Target, ignoreReplication bool) ([]Refusal, error) {
	var refusals []Refusal
	lock, err := t.Client.GetObjectLockConfiguration(ctx, &s3.GetObjectLockConfigurationInput{Bucket: aws.String(t.Bucket)})
	switch {
	case awserr.HasCode(err, "ObjectLockConfigurationNotFoundError"):
	case err != nil:
		return nil, awserr.New("s3:GetObjectLockConfiguration", t.Bucket, t.Account, err)
	case lock.ObjectLockConfiguration != nil && lock.ObjectLockConfiguration.ObjectLockEnabled == s3types.ObjectLockEnabledEnabled:
		held, err := legalHolds(ctx, t)
		if err != nil {
			return nil, err
		}
		refusals = append(refusals, Refusal{Bucket: t.Bucket,
			Reason: "Object Lock is enabled, so its versions cannot all be deleted (" + held + ")",
			Fix: "a migration must empty the source: leave this bucket where it is and copy it instead " +
				"(a job into a bucket with create = true in the other account)"})
	}
	repl, err := t.Client.GetBucketReplication(ctx, &s3.GetBucketReplicationInput{Bucket: aws.String(t.Bucket)})
	switch {
	case awserr.HasCode(err, "ReplicationConfigurationNotFoundError"):
	case err != nil:
		return nil, awserr.New("s3:GetBucketReplication", t.Bucket, t.Account, err)
	case !ignoreReplication && repl.ReplicationConfiguration != nil && len(repl.ReplicationConfiguration.Rules) > 0:
		var ids []string
		for _, r := range repl.ReplicationConfiguration.Rules {
			ids = append(ids, fmt.Sprintf("%q", aws.ToString(r.ID)))
		}
		refusals = append(refusals, Refusal{Bucket: t.Bucket,
			Reason: fmt.Sprintf("it has replication rules (%s): their replicas would be left behind and the recreated bucket would not replicate",
				strings.Join(ids, ", ")),
			Fix: "remove the replication first (aws s3api delete-bucket-replication --bucket " + t.Bucket +
				") and set it up again after the migration, or run migrate with --ignore-replication to leave the replicas as they are"})
	}
	return refusals, nil
}

// legalHolds says which of the first heldSample versions are under legal
// hold, and that the others may be.
func legalHolds(ctx context.Context, t Target) (string, error) {
	page, err := t.Client.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String(t.Bucket), MaxKeys: aws.Int32(heldSample)})
	if err != nil {
		return "", awserr.New("s3:ListObjectVersions", t.Bucket, t.Account, err)
	}
	var held []string
	for _, v := range page.Versions {
		out, err := t.Client.GetObjectLegalHold(ctx, &s3.GetObjectLegalHoldInput{Bucket: aws.String(t.Bucket), Key: v.Key, VersionId: v.VersionId})
		if awserr.HasCode(err, "NoSuchObjectLockConfiguration") {
			continue // no hold was ever set on this version
		}
		if err != nil {
			return "", awserr.New("s3:GetObjectLegalHold", awserr.ObjectARN(t.Bucket, aws.ToString(v.Key)), t.Account, err)
		}
		if out.LegalHold != nil && out.LegalHold.Status == s3types.ObjectLockLegalHoldStatusOn {
			held = append(held, aws.ToString(v.Key))
		}
	}
	switch {
	case len(held) > 0:
		return fmt.Sprintf("objects under legal hold: %s", strings.Join(held, ", ")), nil
	case aws.ToBool(page.IsTruncated):
		return fmt.Sprintf("none of its first %d versions is under legal hold; later ones and retention may hold others", heldSample), nil
	}
	return "no version is under legal hold now, but retention or a new hold can keep any of them", nil
}

// CheckNameFree refuses a name another account holds (t's account may
// own it: a resumed migration). HeadBucket says whether the name is
// taken; who holds it is read from t's own ListBuckets, as HeadBucket
// answers 200 for another account's bucket its policy opens (and moto
// answers 200 for any account's bucket).
func CheckNameFree(ctx context.Context, t Target) (*Refusal, error) {
	_, err := t.Client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(t.Bucket)})
	switch status := httpStatus(err); {
	case status == http.StatusNotFound:
		return nil, nil
	case err != nil && status != http.StatusForbidden && status != http.StatusMovedPermanently:
		return nil, awserr.New("s3:HeadBucket", t.Bucket, t.Account, err)
	}
	mine, err := ownsBucket(ctx, t)
	if err != nil || mine {
		return nil, err
	}
	return &Refusal{Bucket: t.Bucket,
		Reason: "the name is held by another account",
		Fix:    "choose a name no one holds (temporary_bucket in the migration block)"}, nil
}

// ownsBucket reports whether t's account lists t's bucket among its own.
func ownsBucket(ctx context.Context, t Target) (bool, error) {
	in := &s3.ListBucketsInput{Prefix: aws.String(t.Bucket)}
	for {
		out, err := t.Client.ListBuckets(ctx, in)
		if err != nil {
			return false, awserr.New("s3:ListBuckets", "the buckets of the account", t.Account, err)
		}
		for _, b := range out.Buckets {
			if aws.ToString(b.Name) == t.Bucket {
				return true, nil
			}
		}
		if aws.ToString(out.ContinuationToken) == "" {
			return false, nil
		}
		in.ContinuationToken = out.ContinuationToken
	}
}

// httpStatus is the HTTP status of a failed request, 0 without one.
func httpStatus(err error) int {
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}
