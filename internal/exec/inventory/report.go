package inventory

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"strings"
	"time"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/plan"
)

// Report is one inventory report: its manifest, checked, and where it is.
type Report struct {
	Folder   string    // s3://BUCKET/.../YYYY-MM-DDTHH-MMZ/
	Created  time.Time // the manifest's creationTimestamp: when S3 began the scan
	Manifest Manifest

	api    BucketReader
	bucket string
}

// Options tune Objects.
type Options struct {
	// TempDir is where the sort's run files go ("": os.TempDir()). They
	// take about 100 bytes per object of the report, and are removed when
	// the iteration ends.
	TempDir string
	// RunBytes bounds the objects held in memory before they are sorted
	// into a run file (0: DefaultRunBytes).
	RunBytes int
}

// DefaultRunBytes is the memory the sort holds objects in.
const DefaultRunBytes = 32 << 20

// Open finds the newest complete inventory report of sourceBucket under
// loc (see candidates for the levels of AWS's layout loc may name) and
// reads its manifest, checked against manifest.checksum and against
// sourceBucket. api reads loc.Bucket.
func Open(ctx context.Context, api BucketReader, loc config.InventoryLocation, sourceBucket string) (*Report, error) {
	folders, err := candidates(ctx, api, loc, sourceBucket)
	if err != nil {
		return nil, fmt.Errorf("source_inventory: %w", err)
	}
	r, err := newest(ctx, api, loc.Bucket, folders)
	if err != nil {
		return nil, fmt.Errorf("source_inventory: %w", err)
	}
	if r.Manifest.SourceBucket != sourceBucket {
		return nil, fmt.Errorf("source_inventory: %smanifest.json is the inventory of bucket %s, not of the job's source %s: point source_inventory at the reports of %s",
			r.Folder, r.Manifest.SourceBucket, sourceBucket, sourceBucket)
	}
	return r, nil
}

// Objects yields the report's current objects whose keys start with
// prefix, in key order, as a source listing does. Every data file is read
// and checked against the manifest's MD5 before the first object is
// yielded, so a damaged or missing file fails the stream before anything
// is decided from it; any error ends the stream (never a short listing).
// A key listed twice is yielded once, with its newest LastModifiedDate.
func (r *Report) Objects(ctx context.Context, prefix string, opts Options) iter.Seq2[plan.SourceObject, error] {
	return func(yield func(plan.SourceObject, error) bool) {
		fail := func(err error) { yield(plan.SourceObject{}, err) }
		sch, err := r.Manifest.columns()
		if err != nil {
			fail(err)
			return
		}
		if opts.RunBytes <= 0 {
			opts.RunBytes = DefaultRunBytes
		}
		dir, err := os.MkdirTemp(opts.TempDir, "lakesync-inventory-*")
		if err != nil {
			fail(fmt.Errorf("sorting the inventory: %w", err))
			return
		}
		defer os.RemoveAll(dir)
		s := &sorter{dir: dir, runBytes: opts.RunBytes}
		for _, f := range r.Manifest.Files {
			if err := r.readFile(ctx, f, sch, prefix, s.add); err != nil {
				fail(err)
				return
			}
		}
		var pending *plan.SourceObject
		stop := errors.New("stop")
		err = s.sorted(func(o plan.SourceObject) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			switch {
			case pending == nil:
				pending = &o
			case pending.Key == o.Key:
				if o.LastModified.After(pending.LastModified) {
					*pending = o
				}
			default:
				if !yield(*pending, nil) {
					return stop
				}
				*pending = o
			}
			return nil
		})
		switch {
		case errors.Is(err, stop):
		case err != nil:
			fail(err)
		case pending != nil:
			yield(*pending, nil)
		}
	}
}

// readFile reads one data file, checking its size and MD5 against the
// manifest.
func (r *Report) readFile(ctx context.Context, f DataFile, sch schema, prefix string, add func(plan.SourceObject) error) error {
	where := "s3://" + r.bucket + "/" + f.Key
	body, err := open(ctx, r.api, r.bucket, f.Key)
	if errors.Is(err, errNoSuchKey) {
		return fmt.Errorf("inventory data file %s, listed in %smanifest.json, does not exist: the report is incomplete or its files were expired; wait for the next report, or point source_inventory at an older report folder", where, r.Folder)
	}
	if err != nil {
		return err
	}
	defer body.Close()
	h := md5.New()
	counted := &countingReader{r: io.TeeReader(body, h)}
	parseErr := csvRows(counted, sch, prefix, where, add)
	// Read to the end so the checksum covers the whole file, and report a
	// damaged file as such rather than as the parse error it causes.
	if _, err := io.Copy(io.Discard, counted); err != nil {
		return fmt.Errorf("reading %s: %w", where, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); !strings.EqualFold(got, f.MD5) || counted.n != f.Size {
		return fmt.Errorf("inventory data file %s: %d bytes with MD5 %s, but the manifest says %d bytes with MD5 %s: the file is damaged or was replaced; run again, and if it persists wait for the next report",
			where, counted.n, got, f.Size, f.MD5)
	}
	return parseErr
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
