package copier

import (
	"context"
	"fmt"
	"sort"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/plan"
)

// pagedKeys answers ListObjectsV2 over a sorted key list as S3 does
// (Prefix, StartAfter, MaxKeys, IsTruncated), counting its calls.
type pagedKeys struct {
	keys  []string
	calls int
}

func (p *pagedKeys) ListObjectsV2(_ context.Context, in *s3.ListObjectsV2Input, _ ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	p.calls++
	i := sort.SearchStrings(p.keys, aws.ToString(in.StartAfter))
	if i < len(p.keys) && p.keys[i] == aws.ToString(in.StartAfter) {
		i++
	}
	out := &s3.ListObjectsV2Output{}
	for ; i < len(p.keys) && len(out.Contents) < int(aws.ToInt32(in.MaxKeys)); i++ {
		out.Contents = append(out.Contents, s3types.Object{Key: aws.String(p.keys[i]), ETag: aws.String(`"e"`), Size: aws.Int64(1)})
	}
	out.IsTruncated = aws.Bool(i < len(p.keys))
	return out, nil
}

// TestStepCarriesTheLongerPage: when the two sides' pages end at
// different keys, a step merges up to the shorter one's end and the next
// step lists only that side again: each side is listed once per page of
// its own, not again from every cut.
func TestStepCarriesTheLongerPage(t *testing.T) {
	var src, dst pagedKeys
	for i := range 3000 {
		k := fmt.Sprintf("%05d", i)
		src.keys = append(src.keys, "s/"+k)
		dst.keys = append(dst.keys, "d/"+k)
		if i%2 == 0 { // the destination holds more: its pages end earlier
			dst.keys = append(dst.keys, "d/"+k+"x")
		}
	}
	sort.Strings(dst.keys)
	job := &config.Job{Name: "j", Mode: config.ModeSync, SourcePrefix: "s/", DestinationPrefix: "d/",
		Source: &config.Bucket{BucketName: "src"}, Destination: &config.Bucket{BucketName: "dst"}}
	sel := &plan.Selector{SourcePrefix: "s/", DestinationPrefix: "d/"}
	g := &ranger{job: job, sel: sel, rules: plan.RulesFor(job), pool: newRequestPool(2), opts: newRequestOpts(), src: &src, dst: &dst}
	kr, c, items := plan.AllKeys(), carry{}, 0
	for {
		its, rest, more, next, err := g.step(t.Context(), kr, c)
		if err != nil {
			t.Fatal(err)
		}
		for _, err := range its {
			if err != nil {
				t.Fatal(err)
			}
			items++
		}
		if !more {
			break
		}
		kr, c = rest, next
	}
	if items != 4500 {
		t.Fatalf("merged %d keys, want 4500", items)
	}
	// 3,000 source keys are 3 pages; 4,500 destination keys 5 pages.
	if src.calls != 3 || dst.calls != 5 {
		t.Fatalf("listed the source %d times and the destination %d times, want 3 and 5 (one call per page)", src.calls, dst.calls)
	}
}
