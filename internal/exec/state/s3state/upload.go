package s3state

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakesync/lakesync/internal/exec/awserr"
)

// Sync uploads the state if it changed since the last upload, only if the
// state object is still the one last read or written.
func (r *RemoteState) Sync(ctx context.Context) error {
	r.syncMu.Lock()
	defer r.syncMu.Unlock()
	snap, err := os.OpenFile(filepath.Join(r.dir, "snapshot"), os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("snapshot the state for upload: %w", err)
	}
	defer snap.Close()
	tx, err := r.store.Snapshot(snap)
	if err != nil {
		return err
	}
	r.mu.Lock()
	etag := r.etag
	r.mu.Unlock()
	if tx == r.uploadedTx && etag != "" {
		return nil
	}
	etag, err = r.put(ctx, snap, etag)
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.etag = etag
	r.mu.Unlock()
	r.uploadedTx = tx
	return nil
}

// put uploads f as the state object if the object's ETag is still etag
// ("": if there is none), and returns the new ETag.
func (r *RemoteState) put(ctx context.Context, f *os.File, etag string) (string, error) {
	size, err := f.Seek(0, io.SeekEnd)
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		return "", err
	}
	in := &s3.PutObjectInput{Bucket: aws.String(r.bucket), Key: aws.String(r.key), Body: f,
		ContentLength: aws.Int64(size), ContentType: aws.String("application/octet-stream")}
	if etag == "" {
		in.IfNoneMatch = aws.String("*")
	} else {
		in.IfMatch = aws.String(etag)
	}
	r.encrypt(in)
	out, err := r.client.PutObject(ctx, in)
	if awserr.HasCode(err, "PreconditionFailed", "NoSuchKey", "NotFound", "ConditionalRequestConflict") {
		was := "there was none"
		if etag != "" {
			was = "its ETag was " + etag
		}
		return "", fmt.Errorf("%w: the state %s was changed by another writer since this run read it (%s): nothing was overwritten; compare the two with `lakesync state pull FILE` and upload the one to keep with `lakesync state push FILE`", ErrStateConflict, r.loc(r.key), was)
	}
	if err != nil {
		return "", awserr.New("s3:PutObject", r.arn(r.key), r.acct, err)
	}
	return aws.ToString(out.ETag), nil
}

// encrypt asks for SSE-KMS with the state bucket's key when the
// configuration names one; otherwise the bucket's default encryption
// applies.
func (r *RemoteState) encrypt(in *s3.PutObjectInput) {
	if r.kmsKeyID != "" {
		in.ServerSideEncryption = s3types.ServerSideEncryptionAwsKms
		in.SSEKMSKeyId = aws.String(r.kmsKeyID)
		in.BucketKeyEnabled = aws.Bool(true)
	}
}
