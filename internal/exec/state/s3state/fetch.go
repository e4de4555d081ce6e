package s3state

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakesync/lakesync/internal/exec/awserr"
	"github.com/lakesync/lakesync/internal/exec/state"
)

// errRaced says a read of the state crossed a writer's full upload; the
// read is tried again.
var errRaced = errors.New("the state changed while it was read")

// fetchAttempts is how often fetch reads a state that keeps changing.
const fetchAttempts = 3

// fetch writes the state into the new file path: its base, then its
// deltas applied in order, and notes what it read (the base's ETag and
// size, the index's ETag, the deltas). With deltas it returns the store
// it applied them in, open for writing (tracking changes if track);
// without, nil: the file is the base as it was uploaded.
func (r *RemoteState) fetch(ctx context.Context, path string, track bool) (*state.Store, error) {
	for attempt := 1; ; attempt++ {
		st, err := r.fetchOnce(ctx, path, track)
		if !errors.Is(err, errRaced) || attempt == fetchAttempts {
			return st, err
		}
		os.Remove(path)
	}
}

func (r *RemoteState) fetchOnce(ctx context.Context, path string, track bool) (*state.Store, error) {
	idx, idxETag, err := r.getIndex(ctx)
	if err != nil {
		return nil, err
	}
	etag, err := r.get(ctx, path)
	r.mu.Lock()
	r.etag, r.idxETag, r.deltas, r.deltaBytes, r.baseBytes = etag, idxETag, nil, 0, 0
	r.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if fi, err := os.Stat(path); err == nil {
		r.baseBytes = fi.Size()
	}
	if idx == nil {
		return nil, nil
	}
	if idx.BaseETag != etag {
		// Stale (the base was uploaded whole since), unless a writer
		// uploaded the base and a delta between the two reads.
		if _, again, err := r.getIndex(ctx); err != nil || again != idxETag {
			return nil, errors.Join(err, errRaced)
		}
		return nil, nil
	}
	st, err := state.Open(path, state.Options{TrackChanges: track})
	if err != nil {
		return nil, fmt.Errorf("the state %s: %w", r.loc(r.key), err)
	}
	var total int64
	for _, p := range idx.Deltas {
		c, err := r.getDelta(ctx, p, etag)
		if err == nil {
			err = st.ApplyChanges(c)
		}
		if err != nil {
			st.Close()
			return nil, err
		}
		total += p.Bytes
	}
	r.mu.Lock()
	r.deltas, r.deltaBytes = idx.Deltas, total
	r.mu.Unlock()
	return st, nil
}

// getObject reads a small object of the state whole; found is false when
// there is none.
func (r *RemoteState) getObject(ctx context.Context, key string) (body []byte, etag string, found bool, err error) {
	out, err := r.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(r.bucket), Key: aws.String(key)})
	if awserr.HasCode(err, "NoSuchKey", "NotFound") {
		return nil, "", false, nil
	}
	if err != nil {
		return nil, "", false, awserr.New("s3:GetObject", r.arn(key), r.acct, err)
	}
	defer out.Body.Close()
	if body, err = io.ReadAll(out.Body); err != nil {
		return nil, "", false, awserr.New("s3:GetObject", r.arn(key), r.acct, err)
	}
	return body, aws.ToString(out.ETag), true, nil
}

// getIndex reads the index of the deltas: nil and "" when there is none.
func (r *RemoteState) getIndex(ctx context.Context) (*deltaIndex, string, error) {
	body, etag, found, err := r.getObject(ctx, indexKey(r.key))
	if err != nil || !found {
		return nil, "", err
	}
	idx, err := parseIndex(body, r.key)
	if err != nil {
		return nil, "", fmt.Errorf("the delta index %s of the state is refused: it is not one lakesync wrote for this state (%v); delete it to read the state as of its last full upload (objects recorded since are copied again), or rebuild the state", r.loc(indexKey(r.key)), err)
	}
	return idx, etag, nil
}

// getDelta reads and checks the delta p of the index, on the base etag.
func (r *RemoteState) getDelta(ctx context.Context, p deltaPart, etag string) (*state.Changes, error) {
	body, _, found, err := r.getObject(ctx, p.Key)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("%w: the delta %s named by the index %s is gone", errRaced, r.loc(p.Key), indexKey(r.key))
	}
	c, err := checkDelta(body, p, r.key, etag)
	if err != nil {
		return nil, fmt.Errorf("the delta %s of the state is corrupt or foreign and is refused: %v; delete the index %s to read the state as of its last full upload (objects recorded since are copied again), or rebuild the state", r.loc(p.Key), err, indexKey(r.key))
	}
	return c, nil
}
