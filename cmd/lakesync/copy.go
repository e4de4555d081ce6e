package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec"
	"github.com/lakesync/lakesync/internal/exec/copier"
	"github.com/lakesync/lakesync/internal/exec/state"
)

// runCopy runs every job's copy after the policies are in place. A
// failed object does not stop the run; an interrupt stops it with the
// state committed and a hint to run again.
func runCopy(ctx context.Context, opts *applyOptions, cfg *config.Config, acc *exec.Accounts, store *state.Store) error {
	view := &copyView{w: opts.streams.Out, json: opts.JSON, tty: opts.streams.OutTTY}
	if !opts.JSON && opts.streams.OutTTY {
		view.barW = opts.streams.Err // the bar; stdout keeps the summaries
	}
	total := summaryLine{Type: "summary"}
	start := time.Now()
	var failed []error
	for _, job := range cfg.Jobs {
		c, err := newCopier(ctx, acc, job, store, opts.SkipPolicies)
		if err != nil {
			return err
		}
		c.Listener = view
		c.Shard = opts.shard
		view.begin(job)
		sum, err := c.Run(ctx, job)
		total.add(sum)
		var objErr *copier.ObjectsFailedError
		switch {
		case errors.Is(err, copier.ErrInterrupted):
			return &exitCodeError{code: exitError, msg: fmt.Sprintf("%v\nThe state %s holds every object that completed: run the same command again to resume.", err, stateName(cfg))}
		case errors.As(err, &objErr):
			failed = append(failed, err)
		case err != nil:
			return err
		}
	}
	total.Seconds = time.Since(start).Seconds()
	if opts.JSON {
		writeJSONEvent(opts.streams.Out, total)
	}
	if len(failed) > 0 {
		return &exitCodeError{code: exitError, msg: errors.Join(failed...).Error()}
	}
	return nil
}

// newCopier builds the copier of one job with the right credentials:
// server-side copies run as the copier role (or, within one account
// without a role, as that account); stream copies read as the source
// account and write as the destination account. Each side's client signs
// for its bucket's region: the source listing and reads in the source's,
// the copies (which address the destination) in the destination's.
func newCopier(ctx context.Context, acc *exec.Accounts, job *config.Job, store *state.Store, skipPolicies bool) (*copier.Copier, error) {
	keyARN, err := destinationKeyARN(ctx, acc, job, skipPolicies)
	if err != nil {
		return nil, err
	}
	c := &copier.Copier{State: store, KMSKeyID: keyARN}
	switch {
	case job.Transfer == config.TransferStream || job.Role == nil:
		src, dst, err := bucketClients(ctx, acc, job)
		if err != nil {
			return nil, err
		}
		c.Source, c.Destination = src, dst
	default:
		src, err := acc.RoleS3(ctx, job.Role, job.Source, job.Concurrency)
		if err != nil {
			return nil, err
		}
		dst, err := acc.RoleS3(ctx, job.Role, job.Destination, job.Concurrency)
		if err != nil {
			return nil, err
		}
		c.Source, c.Destination = src, dst
	}
	if job.Archived == config.ArchivedRestore && job.Transfer != config.TransferStream {
		// Restores are the source bucket owner's requests (stream copies
		// read with the source account already).
		if c.Restorer, err = acc.BucketS3(ctx, job.Source, job.Concurrency); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// bucketClients are the S3 clients of a job's source and destination
// buckets, each with its own account's credentials, in its own region.
func bucketClients(ctx context.Context, acc *exec.Accounts, job *config.Job) (src, dst *s3.Client, err error) {
	if src, err = acc.BucketS3(ctx, job.Source, job.Concurrency); err != nil {
		return nil, nil, err
	}
	if dst, err = acc.BucketS3(ctx, job.Destination, job.Concurrency); err != nil {
		return nil, nil, err
	}
	return src, dst, nil
}

// destinationKeyARN is the ARN of the job's destination key: as written,
// or resolved from its alias in the destination account.
func destinationKeyARN(ctx context.Context, acc *exec.Accounts, job *config.Job, skipPolicies bool) (string, error) {
	k := job.Destination.Key
	switch {
	case k == nil:
		return "", nil
	case skipPolicies && k.ARN != "":
		// S3-compatible stores (MinIO) know their keys by id, not ARN.
		return k.ARN[strings.LastIndex(k.ARN, "/")+1:], nil
	case skipPolicies:
		return "", fmt.Errorf("key.%s is named by alias, which --skip-policies cannot resolve (no KMS API is called): name it with arn", k.Name)
	}
	return exec.ResolveKeyARN(ctx, acc, k)
}
