package exec

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/copier"
	"github.com/lakesync/lakesync/internal/exec/state"
)

// Copier is the copier of one job, with the clients CopyClients decides
// it acts with and the destination key it encrypts with, keeping its
// records in store (nil: none, as check --live's probe keeps).
// skipPolicies sends the key by its configured id (S3-compatible stores:
// no KMS call).
func (a *Accounts) Copier(ctx context.Context, job *config.Job, store *state.Store, skipPolicies bool) (*copier.Copier, error) {
	keyARN, err := a.DestinationKeyARN(ctx, job, skipPolicies)
	if err != nil {
		return nil, err
	}
	cl, err := a.CopyClients(ctx, job)
	if err != nil {
		return nil, err
	}
	return &copier.Copier{State: store, KMSKeyID: keyARN, Source: cl.Source, Destination: cl.Destination, Restorer: cl.Restorer}, nil
}

// CopyClients are the clients one job's copy acts with.
type CopyClients struct {
	Source      copier.CopySource
	Destination copier.CopyDestination
	// Restorer sends restore requests of archived source objects as the
	// source account (nil: the copier restores through Source).
	Restorer copier.ObjectRestorer
}

// CopyClients decides who acts for each side of job, in one place:
// server-side copies run as the copier role (or, within one account
// without a role, as that account); stream copies read as the source
// account and write as the destination account; restores are the source
// bucket owner's (it is billed, and it holds s3:RestoreObject). Each
// side's client signs for its bucket's region: the source listing and
// reads in the source's, the copies (which address the destination) in
// the destination's.
func (a *Accounts) CopyClients(ctx context.Context, job *config.Job) (CopyClients, error) {
	var c CopyClients
	switch {
	case job.Transfer == config.TransferStream || job.Role == nil:
		src, dst, err := a.BucketClients(ctx, job)
		if err != nil {
			return c, err
		}
		c.Source, c.Destination = src, dst
	default:
		src, err := a.RoleS3(ctx, job.Role, job.Source, copier.MaxInFlight(job))
		if err != nil {
			return c, err
		}
		dst, err := a.RoleS3(ctx, job.Role, job.Destination, copier.MaxInFlight(job))
		if err != nil {
			return c, err
		}
		c.Source, c.Destination = src, dst
	}
	if job.Archived == config.ArchivedRestore && job.Transfer != config.TransferStream {
		// Stream copies read with the source account already.
		r, err := a.BucketS3(ctx, job.Source, copier.MaxInFlight(job))
		if err != nil {
			return c, err
		}
		c.Restorer = r
	}
	return c, nil
}

// BucketClients are the S3 clients of a job's source and destination
// buckets, each with its own account's credentials, in its own region.
func (a *Accounts) BucketClients(ctx context.Context, job *config.Job) (src, dst *s3.Client, err error) {
	if src, err = a.BucketS3(ctx, job.Source, copier.MaxInFlight(job)); err != nil {
		return nil, nil, err
	}
	if dst, err = a.BucketS3(ctx, job.Destination, copier.MaxInFlight(job)); err != nil {
		return nil, nil, err
	}
	return src, dst, nil
}

// DestinationKeyARN is the ARN of the job's destination key, the one
// written on every object: as the file gives it, or resolved from its
// alias in the destination account. skipPolicies (S3-compatible stores,
// no KMS API) gives the key's id instead, which those stores know.
func (a *Accounts) DestinationKeyARN(ctx context.Context, job *config.Job, skipPolicies bool) (string, error) {
	k := job.Destination.Key
	switch {
	case k == nil:
		return "", nil
	case skipPolicies && k.ARN != "":
		return k.ARN[strings.LastIndex(k.ARN, "/")+1:], nil
	case skipPolicies:
		return "", fmt.Errorf("key.%s is named by alias, which --skip-policies cannot resolve (no KMS API is called): name it with arn", k.Name)
	}
	return ResolveKeyARN(ctx, a, k)
}
