package copier

import (
	"bytes"
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/state"
)

// partCounter counts the part requests a run sends, and lists parts in
// pages of 2, so that a resume must follow the pages.
type partCounter struct {
	CopyDestination
	parts, pages atomic.Int64
}

func (p *partCounter) ListParts(ctx context.Context, in *s3.ListPartsInput, optFns ...func(*s3.Options)) (*s3.ListPartsOutput, error) {
	p.pages.Add(1)
	in.MaxParts = aws.Int32(2)
	return p.CopyDestination.ListParts(ctx, in, optFns...)
}

func (p *partCounter) UploadPartCopy(ctx context.Context, in *s3.UploadPartCopyInput, optFns ...func(*s3.Options)) (*s3.UploadPartCopyOutput, error) {
	p.parts.Add(1)
	return p.CopyDestination.UploadPartCopy(ctx, in, optFns...)
}

func (p *partCounter) UploadPart(ctx context.Context, in *s3.UploadPartInput, optFns ...func(*s3.Options)) (*s3.UploadPartOutput, error) {
	p.parts.Add(1)
	return p.CopyDestination.UploadPart(ctx, in, optFns...)
}

// runCounting runs job with a new copier whose part requests are counted.
func (w *copyWorld) runCounting(t *testing.T, job *config.Job) (CopySummary, *eventLog, int64, error) {
	t.Helper()
	events := &eventLog{}
	c := w.copier(t, job, events)
	counter := &partCounter{CopyDestination: c.Destination}
	c.Destination = counter
	sum, err := c.Run(t.Context(), job)
	c.State.Close()
	t.Logf("ListParts pages: %d", counter.pages.Load())
	return sum, events, counter.parts.Load(), err
}

// leftovers lists the LeftoverUpload events as "action reason parts".
func (l *eventLog) leftovers() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var said []string
	for _, e := range l.events {
		if u, ok := e.(*LeftoverUpload); ok {
			said = append(said, fmt.Sprintf("%s %s %s %d", u.DestKey, u.Action, u.Reason, u.PartsResumed))
		}
	}
	return said
}

// uploadedParts is how many parts S3 holds of the one upload open in the
// destination (a part in flight at a kill may still come).
func (w *copyWorld) uploadedParts(t *testing.T) int {
	t.Helper()
	up, err := w.Lake.S3().ListMultipartUploads(t.Context(), &s3.ListMultipartUploadsInput{Bucket: aws.String("lake-raw")})
	must(t, err)
	if len(up.Uploads) != 1 {
		t.Fatalf("the killed run left %d uploads, want its one", len(up.Uploads))
	}
	parts, err := w.Lake.S3().ListParts(t.Context(), &s3.ListPartsInput{Bucket: aws.String("lake-raw"),
		Key: up.Uploads[0].Key, UploadId: up.Uploads[0].UploadId})
	must(t, err)
	return len(parts.Parts)
}

// TestCopyKilledMidMultipartResumes kills (SIGKILL) a copy of an 8-part
// object once it has reported 4 parts, for both transfers: the next run
// resumes the upload the killed run left, sends only the parts S3 does
// not hold, and leaves the object byte-identical and no upload open.
func TestCopyKilledMidMultipartResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a child process")
	}
	const partSize, n = 5 << 20, 8
	for _, transfer := range []config.Transfer{config.TransferServerSide, config.TransferStream} {
		t.Run(string(transfer), func(t *testing.T) {
			w := newCopyWorld(t)
			big := body(8, n*partSize)
			w.Put(t, "exports/big", big)
			if got := w.killChild(t, copyChildSpec{PartSize: partSize, Transfer: transfer}, "part ", n/2); got < n/2 {
				t.Fatalf("the child wrote %d parts before exiting, want %d", got, n/2)
			}
			w.uploadedParts(t)

			job := w.Job(config.ModeSync, transfer)
			job.Name = "crash"
			job.MultipartThreshold, job.PartSize = partSize, partSize
			sum, events, sent, err := w.runCounting(t, job)
			if err != nil || sum.Copied != 1 {
				t.Fatalf("run after the kill: copied %d, err %v", sum.Copied, err)
			}
			// The parts S3 held when the run listed them: at least those
			// the child reported, and those in flight at the kill that
			// moto finished.
			var resumed int32 = -1
			for _, e := range events.events {
				if d, ok := e.(*ObjectDone); ok {
					resumed = d.PartsResumed
				}
			}
			t.Logf("%s: killed after %d of %d parts reported; the next run reused %d and sent %d part requests", transfer, n/2, n, resumed, sent)
			if resumed < n/2 || sent != int64(n-resumed) {
				t.Errorf("the run after the kill reused %d parts and sent %d part requests, want at least %d reused and only the missing ones sent", resumed, sent, n/2)
			}
			if want := fmt.Sprintf("prod/big resumed  %d", resumed); fmt.Sprint(events.leftovers()) != "["+want+"]" {
				t.Errorf("LeftoverUpload events %q, want [%q]", events.leftovers(), want)
			}
			w.noUploads(t)
			got, head := w.Get(t, "prod/big")
			if !bytes.Equal(got, big) {
				t.Errorf("prod/big differs from the source after the resumed run")
			}
			if etag := aws.ToString(head.ETag); !bytes.HasSuffix([]byte(etag), []byte(fmt.Sprintf("-%d\"", n))) {
				t.Errorf("prod/big ETag %s, want one of %d parts", etag, n)
			}
		})
	}
}

// leaveUpload leaves what a killed run of transfer leaves: an upload of
// prod/big, recorded in the state with what it is for (the source's
// ETag now, partSize, transfer), holding part 1 of partSize bytes of src.
func (w *copyWorld) leaveUpload(t *testing.T, src []byte, partSize int64, transfer config.Transfer) state.Upload {
	t.Helper()
	ctx, lake := t.Context(), w.Lake.S3()
	h, err := w.Prod.S3().HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("prod-data"), Key: aws.String("exports/big")})
	must(t, err)
	created, err := lake.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("lake-raw"), Key: aws.String("prod/big")})
	must(t, err)
	_, err = lake.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("lake-raw"), Key: aws.String("prod/big"),
		UploadId: created.UploadId, PartNumber: aws.Int32(1), Body: bytes.NewReader(src[:partSize])})
	must(t, err)
	up := state.Upload{DestKey: "prod/big", UploadID: aws.ToString(created.UploadId), SourceETag: aws.ToString(h.ETag),
		PartSize: partSize, Transfer: string(transfer)}
	store := w.OpenState(t)
	must(t, store.AddUpload("crash", up))
	must(t, store.Close())
	return up
}

// TestLeftoverUploadRestarts: an upload a killed run left that does not
// fit the copy now (another source, part size or transfer, one S3 no
// longer knows, a part of another size) is aborted and the object copied
// again whole, and the run says why; one whose object the run does not
// copy (gone at source) is aborted at the end.
func TestLeftoverUploadRestarts(t *testing.T) {
	const partSize, size, n = 5 << 20, 11 << 20, 3
	for _, tt := range []struct {
		name   string
		change func(t *testing.T, w *copyWorld, up state.Upload, job *config.Job)
		want   string
		parts  int64
	}{
		{"source changed", func(t *testing.T, w *copyWorld, _ state.Upload, _ *config.Job) {
			w.Put(t, "exports/big", body(9, size))
		}, ReasonSourceChanged, n},
		{"part size changed", func(_ *testing.T, _ *copyWorld, _ state.Upload, job *config.Job) {
			job.PartSize = 6 << 20
		}, ReasonPartSizeChanged, 2},
		{"transfer changed", func(_ *testing.T, _ *copyWorld, _ state.Upload, job *config.Job) {
			job.Transfer = config.TransferServerSide
		}, ReasonTransferChanged, n},
		{"no such upload", func(t *testing.T, w *copyWorld, up state.Upload, _ *config.Job) {
			_, err := w.Lake.S3().AbortMultipartUpload(t.Context(), &s3.AbortMultipartUploadInput{Bucket: aws.String("lake-raw"),
				Key: aws.String(up.DestKey), UploadId: aws.String(up.UploadID)})
			must(t, err)
		}, ReasonNoSuchUpload, n},
		{"a part of another size", func(t *testing.T, w *copyWorld, up state.Upload, _ *config.Job) {
			_, err := w.Lake.S3().UploadPart(t.Context(), &s3.UploadPartInput{Bucket: aws.String("lake-raw"), Key: aws.String(up.DestKey),
				UploadId: aws.String(up.UploadID), PartNumber: aws.Int32(2), Body: bytes.NewReader(make([]byte, 1<<20))})
			must(t, err)
		}, ReasonPartsDiffer, n},
		{"gone at source", func(t *testing.T, w *copyWorld, _ state.Upload, _ *config.Job) {
			_, err := w.Prod.S3().DeleteObject(t.Context(), &s3.DeleteObjectInput{Bucket: aws.String("prod-data"), Key: aws.String("exports/big")})
			must(t, err)
		}, ReasonNotCopied, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := newCopyWorld(t)
			w.Put(t, "exports/big", body(8, size))
			job := w.Job(config.ModeSync, config.TransferStream)
			job.Name = "crash"
			job.MultipartThreshold, job.PartSize = partSize, partSize
			up := w.leaveUpload(t, body(8, size), partSize, config.TransferStream)
			tt.change(t, w, up, job)
			src := w.sourceBody(t)

			_, events, sent, err := w.runCounting(t, job)
			if err != nil {
				t.Fatal(err)
			}
			if want := fmt.Sprintf("prod/big aborted %s 0", tt.want); fmt.Sprint(events.leftovers()) != "["+want+"]" {
				t.Errorf("LeftoverUpload events %q, want [%q]", events.leftovers(), want)
			}
			if sent != tt.parts {
				t.Errorf("%d part requests, want %d (the object copied again whole)", sent, tt.parts)
			}
			w.noUploads(t)
			if src != nil {
				if got, _ := w.Get(t, "prod/big"); !bytes.Equal(got, src) {
					t.Errorf("prod/big differs from the source")
				}
			}
		})
	}
}

// sourceBody reads exports/big; nil when it is gone.
func (w *copyWorld) sourceBody(t *testing.T) []byte {
	t.Helper()
	out, err := w.Prod.S3().GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("prod-data"), Key: aws.String("exports/big")})
	if err != nil {
		return nil
	}
	defer out.Body.Close()
	var b bytes.Buffer
	_, err = b.ReadFrom(out.Body)
	must(t, err)
	return b.Bytes()
}
