package s3batch

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	s3ctltypes "github.com/aws/aws-sdk-go-v2/service/s3control/types"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/awserr"
	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/plan"
)

// Objects is what folding a completion report reads: the report
// files, and the source and destination objects it names.
type Objects interface {
	GetObject(context.Context, *s3.GetObjectInput, ...func(*s3.Options)) (*s3.GetObjectOutput, error)
	HeadObject(context.Context, *s3.HeadObjectInput, ...func(*s3.Options)) (*s3.HeadObjectOutput, error)
}

// Fold is what folding a completion report into the state did.
type Fold struct {
	Recorded int64            // succeeded tasks recorded in the state
	Unknown  int64            // succeeded tasks not recorded: the copy could not be confirmed
	Failed   []plan.BatchTask // failed tasks, as reported
}

// Describe returns the job's description.
func Describe(ctx context.Context, jobs Jobs, accountID, jobID string) (*s3ctltypes.JobDescriptor, error) {
	out, err := jobs.DescribeJob(ctx, &s3control.DescribeJobInput{AccountId: aws.String(accountID), JobId: aws.String(jobID)})
	if err != nil {
		return nil, awserr.New("s3:DescribeJob", "S3 Batch Operations job "+jobID, &config.Account{ID: accountID}, err)
	}
	if out.Job == nil {
		return nil, fmt.Errorf("describe S3 Batch Operations job %s: no job in the answer", jobID)
	}
	return out.Job, nil
}

// reportManifest is the top-level manifest.json of a completion report.
type reportManifest struct {
	Format  string `json:"Format"`
	Results []struct {
		TaskExecutionStatus string `json:"TaskExecutionStatus"`
		Bucket              string `json:"Bucket"`
		Key                 string `json:"Key"`
	} `json:"Results"`
}

// FoldReport reads the completion report of a finished job (under
// Report.Prefix/job-ID/ in the report bucket) and records every succeeded
// task in the state, as a run would: the source's ETag and size and the
// destination's ETag, both read with HeadObject. A task whose destination
// is missing, of another size, or older than its source (the source
// changed after the copy) is left unrecorded and counted as unknown: the
// next run decides it again.
func FoldReport(ctx context.Context, job *config.Job, d *s3ctltypes.JobDescriptor, objs Objects, store *state.Store) (Fold, error) {
	var fold Fold
	if job.Role == nil {
		return fold, fmt.Errorf("job %q has no role: it cannot have run on S3 Batch Operations", job.Name)
	}
	if d.Report == nil || !d.Report.Enabled {
		return fold, errors.New("the job has no completion report to fold")
	}
	bucket := strings.TrimPrefix(aws.ToString(d.Report.Bucket), "arn:aws:s3:::")
	key := "job-" + aws.ToString(d.JobId) + "/manifest.json"
	if p := strings.TrimSuffix(aws.ToString(d.Report.Prefix), "/"); p != "" {
		key = p + "/" + key
	}
	var m reportManifest
	if err := getJSON(ctx, job, objs, bucket, key, &m); err != nil {
		return fold, err
	}
	sel, err := plan.NewSelector(job)
	if err != nil {
		return fold, err
	}
	commit := store.NewCommitter(job.Name, 0, 0)
	for _, res := range m.Results {
		if err := foldReportFile(ctx, job, sel, objs, commit, res.Bucket, res.Key, &fold); err != nil {
			commit.Close()
			return fold, err
		}
	}
	return fold, commit.Close()
}

// openReport opens a file of the completion report, read with the
// credentials of the copier role's account.
func openReport(ctx context.Context, job *config.Job, objs Objects, bucket, key string) (io.ReadCloser, error) {
	out, err := objs.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return nil, fmt.Errorf("read the completion report: %w", awserr.New("s3:GetObject", awserr.ObjectARN(bucket, key), job.Role.Account, err))
	}
	return out.Body, nil
}

func getJSON(ctx context.Context, job *config.Job, objs Objects, bucket, key string, v any) error {
	body, err := openReport(ctx, job, objs, bucket, key)
	if err != nil {
		return err
	}
	defer body.Close()
	if err := json.NewDecoder(body).Decode(v); err != nil {
		return fmt.Errorf("read the completion report s3://%s/%s: %w", bucket, key, err)
	}
	return nil
}

func foldReportFile(ctx context.Context, job *config.Job, sel *plan.Selector, objs Objects, commit *state.Committer, bucket, key string, fold *Fold) error {
	body, err := openReport(ctx, job, objs, bucket, key)
	if err != nil {
		return err
	}
	defer body.Close()
	r := csv.NewReader(body)
	r.FieldsPerRecord = -1
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("completion report s3://%s/%s: %w", bucket, key, err)
		}
		t, err := plan.ParseBatchReportRecord(rec)
		if err != nil {
			return fmt.Errorf("completion report s3://%s/%s: %w", bucket, key, err)
		}
		if !t.Succeeded {
			fold.Failed = append(fold.Failed, t)
			continue
		}
		rel, ok := sel.SourceRel(t.Key)
		if !ok || t.Bucket != job.Source.BucketName {
			fold.Unknown++
			continue
		}
		rec2, ok, err := confirmCopy(ctx, job, objs, t.Key, sel.DestinationKey(rel))
		if err != nil {
			return err
		}
		if !ok {
			fold.Unknown++
			continue
		}
		if err := commit.Put(rec2); err != nil {
			return err
		}
		fold.Recorded++
	}
}

// confirmCopy heads both sides of a reported copy; ok is false when the
// destination cannot be shown to be a copy of the source as it is now.
func confirmCopy(ctx context.Context, job *config.Job, objs Objects, srcKey, dstKey string) (plan.StateRecord, bool, error) {
	src, err := objs.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(job.Source.BucketName), Key: aws.String(srcKey)})
	if awserr.HasCode(err, "NotFound", "NoSuchKey") {
		return plan.StateRecord{}, false, nil
	}
	if err != nil {
		return plan.StateRecord{}, false, awserr.New("s3:HeadObject", awserr.ObjectARN(job.Source.BucketName, srcKey), job.Role.Account, err)
	}
	dst, err := objs.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(job.Destination.BucketName), Key: aws.String(dstKey)})
	if awserr.HasCode(err, "NotFound", "NoSuchKey") {
		return plan.StateRecord{}, false, nil
	}
	if err != nil {
		return plan.StateRecord{}, false, awserr.New("s3:HeadObject", awserr.ObjectARN(job.Destination.BucketName, dstKey), job.Role.Account, err)
	}
	srcTime, dstTime := aws.ToTime(src.LastModified), aws.ToTime(dst.LastModified)
	if aws.ToInt64(src.ContentLength) != aws.ToInt64(dst.ContentLength) || dstTime.Before(srcTime) {
		return plan.StateRecord{}, false, nil
	}
	return plan.StateRecord{
		SourceKey: srcKey, SourceETag: aws.ToString(src.ETag), Size: aws.ToInt64(src.ContentLength), VersionID: aws.ToString(src.VersionId),
		DestKey: dstKey, DestETag: aws.ToString(dst.ETag), CopiedAt: dstTime.UTC().Truncate(time.Second),
	}, true, nil
}
