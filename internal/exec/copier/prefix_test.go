package copier

import (
	"context"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/google/go-cmp/cmp"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/plan"
)

// recordingLister records the delimiter of every listing it passes on.
type recordingLister struct {
	SourceReader
	mu         sync.Mutex
	delimiters []string // "prefix|delimiter" of each listing with a delimiter
}

func (l *recordingLister) ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, optFns ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	if in.Delimiter != nil {
		l.mu.Lock()
		l.delimiters = append(l.delimiters, aws.ToString(in.Prefix)+"|"+aws.ToString(in.Delimiter))
		l.mu.Unlock()
	}
	return l.SourceReader.ListObjectsV2(ctx, in, optFns...)
}

// A data observation whose source prefix matches no object lists the
// level above the prefix once, with delimiter "/", and records what it
// found for the plan's warning; a prefix with objects costs no listing
// more.
func TestObserveDataEmptySourcePrefix(t *testing.T) {
	w := newCopyWorld(t)
	ctx := t.Context()
	job := w.Job(config.ModeSync, config.TransferServerSide)
	observe := func(prefix string) (*plan.EmptySource, []string) {
		t.Helper()
		j := *job
		j.SourcePrefix = prefix
		src := &recordingLister{SourceReader: w.Prod.S3()}
		obs, err := ObserveData(ctx, &j, src, w.Lake.S3(), nil, 1, plan.Shard{})
		if err != nil {
			t.Fatalf("observe %q: %v", prefix, err)
		}
		return obs.EmptySource, src.delimiters
	}

	// An empty bucket: the prefix listing found nothing, and neither does
	// the top level.
	es, lists := observe("exports/")
	if diff := cmp.Diff(&plan.EmptySource{}, es); diff != "" || !es.BucketEmpty() {
		t.Errorf("empty bucket (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"|/"}, lists); diff != "" {
		t.Errorf("empty bucket: delimiter listings (-want +got):\n%s", diff)
	}
	if es, lists := observe(""); es == nil || !es.BucketEmpty() || len(lists) != 0 {
		t.Errorf("empty bucket, whole bucket: %+v after listings %v, want empty with no delimiter listing", es, lists)
	}

	for _, k := range []string{"exports/day=00/a.parquet", "exports/day=01/b.parquet", "logs/x.log", "top.csv"} {
		w.Put(t, k, []byte("x"))
	}
	tests := []struct {
		prefix string
		want   *plan.EmptySource
		lists  []string
	}{
		{"exports/", nil, nil},
		{"exp", nil, nil},
		{"exprots/", &plan.EmptySource{Prefixes: []string{"exports/", "logs/"}, Objects: 1}, []string{"|/"}},
		{"exports/dya=01/", &plan.EmptySource{Parent: "exports/", Prefixes: []string{"exports/day=00/", "exports/day=01/"}}, []string{"exports/|/"}},
		{"data/exports/", &plan.EmptySource{Parent: "data/"}, []string{"data/|/"}},
	}
	for _, tt := range tests {
		es, lists := observe(tt.prefix)
		if diff := cmp.Diff(tt.want, es); diff != "" {
			t.Errorf("prefix %q: EmptySource (-want +got):\n%s", tt.prefix, diff)
		}
		if diff := cmp.Diff(tt.lists, lists); diff != "" {
			t.Errorf("prefix %q: delimiter listings (-want +got):\n%s", tt.prefix, diff)
		}
	}
}
