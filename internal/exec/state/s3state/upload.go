package s3state

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakesync/lakesync/internal/exec/awserr"
)

// Sync checkpoints the state if it changed since the last checkpoint: it
// uploads a delta of what changed, or the whole state when there is no
// base yet, the file was migrated, or the deltas would reach half the
// base or maxDeltas (see deltas.go). Every write is conditional on the
// state being the one last read or written.
func (r *RemoteState) Sync(ctx context.Context) error {
	r.syncMu.Lock()
	defer r.syncMu.Unlock()
	changes, err := r.store.TakeChanges()
	if err != nil {
		return err
	}
	r.mu.Lock()
	etag := r.etag
	r.mu.Unlock()
	if etag != "" && changes.Empty() {
		return nil
	}
	var delta []byte
	whole := etag == "" || changes.Whole || len(r.deltas) >= maxDeltas
	if !whole {
		r.seq++
		delta, err = encodeDelta(deltaHeader{State: r.key, BaseETag: etag, N: uint64(r.seq)}, changes)
		whole = err == nil && 2*(r.deltaBytes+int64(len(delta))) > r.baseBytes
	}
	switch {
	case err != nil:
	case whole:
		err = r.putBase(ctx, etag)
	default:
		err = r.putDelta(ctx, etag, delta)
	}
	if err != nil {
		r.store.ReturnChanges(changes)
	}
	return err
}

// putBase uploads the whole state as the base and deletes the deltas it
// makes stale.
func (r *RemoteState) putBase(ctx context.Context, etag string) error {
	snap, err := os.OpenFile(filepath.Join(r.dir, "snapshot"), os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("snapshot the state for upload: %w", err)
	}
	defer snap.Close()
	if _, err := r.store.Snapshot(snap); err != nil {
		return err
	}
	size, err := snap.Seek(0, io.SeekCurrent)
	if err != nil {
		return err
	}
	etag, err = r.put(ctx, snap, etag)
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.etag = etag
	r.mu.Unlock()
	stale := r.deltas
	r.baseBytes, r.deltas, r.deltaBytes = size, nil, 0
	r.deleteDeltas(ctx, stale)
	return nil
}

// deleteDeltas deletes deltas no index names any more; a failure only
// leaves an object behind.
func (r *RemoteState) deleteDeltas(ctx context.Context, parts []deltaPart) {
	for _, p := range parts {
		_, _ = r.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(r.bucket), Key: aws.String(p.Key)})
	}
}

// putDelta uploads delta as the next delta of the base etag: the delta
// object, then, if the base is still etag, the index naming it.
func (r *RemoteState) putDelta(ctx context.Context, etag string, delta []byte) error {
	r.mu.Lock()
	id := r.lock.ID
	r.mu.Unlock()
	part := deltaPart{Key: r.key + ".delta." + id + "." + strconv.Itoa(r.seq), Bytes: int64(len(delta)), SHA256: sha256Hex(delta)}
	in := &s3.PutObjectInput{Bucket: aws.String(r.bucket), Key: aws.String(part.Key), Body: bytes.NewReader(delta),
		ContentLength: aws.Int64(part.Bytes), ContentType: aws.String("application/octet-stream"), IfNoneMatch: aws.String("*")}
	r.encrypt(in)
	if _, err := r.client.PutObject(ctx, in); err != nil {
		return awserr.New("s3:PutObject", r.arn(part.Key), r.acct, err)
	}
	head, err := r.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(r.bucket), Key: aws.String(r.key)})
	switch {
	case awserr.HasCode(err, "NoSuchKey", "NotFound") || err == nil && aws.ToString(head.ETag) != etag:
		err = r.conflict(r.key, etag)
	case err != nil:
		err = awserr.New("s3:HeadObject", r.arn(r.key), r.acct, err)
	}
	if err == nil {
		err = r.putIndex(ctx, &deltaIndex{Format: indexFormat, Version: 1, State: r.key, BaseETag: etag,
			Deltas: append(slices.Clip(r.deltas), part)})
	}
	if errors.Is(err, ErrStateConflict) {
		// Certainly named by no index; after any other failure the
		// index may have been written, and the delta must stay.
		r.deleteDeltas(ctx, []deltaPart{part})
	}
	if err != nil {
		return err
	}
	r.deltas = append(r.deltas, part)
	r.deltaBytes += part.Bytes
	return nil
}

// putIndex writes the index if it is still the one last read or written.
func (r *RemoteState) putIndex(ctx context.Context, idx *deltaIndex) error {
	body, err := json.Marshal(idx)
	if err != nil {
		return err
	}
	key := indexKey(r.key)
	r.mu.Lock()
	was := r.idxETag
	r.mu.Unlock()
	in := &s3.PutObjectInput{Bucket: aws.String(r.bucket), Key: aws.String(key), Body: bytes.NewReader(body),
		ContentLength: aws.Int64(int64(len(body))), ContentType: aws.String("application/json")}
	if was == "" {
		in.IfNoneMatch = aws.String("*")
	} else {
		in.IfMatch = aws.String(was)
	}
	r.encrypt(in)
	out, err := r.client.PutObject(ctx, in)
	if awserr.HasCode(err, "PreconditionFailed", "NoSuchKey", "NotFound", "ConditionalRequestConflict") {
		return r.conflict(key, was)
	}
	if err != nil {
		return awserr.New("s3:PutObject", r.arn(key), r.acct, err)
	}
	r.mu.Lock()
	r.idxETag = aws.ToString(out.ETag)
	r.mu.Unlock()
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
		return "", r.conflict(r.key, etag)
	}
	if err != nil {
		return "", awserr.New("s3:PutObject", r.arn(r.key), r.acct, err)
	}
	return aws.ToString(out.ETag), nil
}

// conflict is the error of a write refused because the object key of
// the state is no longer etag ("": was absent).
func (r *RemoteState) conflict(key, etag string) error {
	was := "there was none"
	if etag != "" {
		was = "its ETag was " + etag
	}
	return fmt.Errorf("%w: the state %s was changed by another writer since this run read it (%s): nothing was overwritten; compare the two with `lakesync state pull FILE` and upload the one to keep with `lakesync state push FILE`", ErrStateConflict, r.loc(key), was)
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
