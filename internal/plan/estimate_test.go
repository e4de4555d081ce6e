package plan

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lakesync/lakesync/internal/config"
)

// TestEstimate checks the request counts and the cost of one run against
// figures worked out by hand from the list prices (DefaultPrices: LIST and
// PUT $0.005 per 1,000, GET $0.0004 per 1,000, KMS $0.03 per 10,000,
// transfer $0.02 per GiB), rounded to $0.0001.
func TestEstimate(t *testing.T) {
	const mib = 1 << 20
	plainKey := &config.Key{Name: "src"}
	tests := []struct {
		name string
		job  func(j *config.Job)
		// items: n new objects of size bytes each, and deletes
		n, size, deletes int64
		prices           *Prices
		want             Estimate
	}{
		{
			// The README's plan: 50 small objects, sync, server-side.
			// 2 LIST (source and destination), 50 COPY, KMS 50 without
			// the bucket key, 1 with it.
			// with:    2*0.005/1000 + 50*0.005/1000 + 1*0.03/10000  = 0.000263 -> 0.0003
			// without: 0.00026 + 50*0.03/10000                       = 0.00041  -> 0.0004
			name: "README example", n: 50, size: 33,
			want: Estimate{ListRequests: 2, PutRequests: 50, KMSRequests: 1, KMSNoBucketKey: 50,
				CostUSD: 0.0003, CostNoBucketKeyUSD: 0.0004},
		},
		{
			// cp lists the source only. 3,000 objects: 3 source pages.
			// with:    3*0.005/1000 + 3000*0.005/1000 + 30*0.03/10000 = 0.015105 -> 0.0151
			// without: 0.015015 + 3000*0.03/10000                     = 0.024015 -> 0.024
			name: "cp of 3000 objects lists the source only", n: 3000, size: 1000,
			job: func(j *config.Job) { j.Mode = config.ModeCp },
			want: Estimate{ListRequests: 3, PutRequests: 3000, KMSRequests: 30, KMSNoBucketKey: 3000,
				CostUSD: 0.0151, CostNoBucketKeyUSD: 0.024},
		},
		{
			// 4 objects of 100 MiB above a 64 MiB threshold with 16 MiB
			// parts: 7 parts each (6.25 rounded up), 28 parts. Each copy is
			// HEAD + GetObjectTagging (2 GET), create + parts + complete.
			// PUT = 4*2 + 28 = 36; GET = 8; KMS = 28 parts (1 with key).
			// with:    2*0.005/1000 + 36*0.005/1000 + 8*0.0004/1000 + 1*0.03/10000 = 0.0001932 -> 0.0002
			// without: 0.0001932 - 0.000003 + 28*0.03/10000                      = 0.0002742 -> 0.0003
			name: "multipart copies count their parts", n: 4, size: 100 * mib,
			job: func(j *config.Job) { j.MultipartThreshold, j.PartSize = 64*mib, 16*mib },
			want: Estimate{ListRequests: 2, PutRequests: 36, GetRequests: 8, UploadParts: 28,
				KMSRequests: 1, KMSNoBucketKey: 28, CostUSD: 0.0002, CostNoBucketKeyUSD: 0.0003},
		},
		{
			// Stream: every object is read with one GET and its bytes go
			// through the machine. 1,024 objects of 1 MiB = 1 GiB:
			// transfer 0.02; PUT 1024*0.005/1000 = 0.00512; GET
			// 1024*0.0004/1000 = 0.0004096; LIST 2 source pages + 1
			// destination = 0.000015; KMS 11 / 1024.
			// with:    0.0255446 + 11*0.03/10000   = 0.0255776 -> 0.0256
			// without: 0.0255446 + 1024*0.03/10000 = 0.0286166 -> 0.0286
			name: "stream reads every byte and transfers it", n: 1024, size: mib,
			job: func(j *config.Job) { j.Transfer = config.TransferStream },
			want: Estimate{ListRequests: 3, PutRequests: 1024, GetRequests: 1024, TransferBytes: 1 << 30,
				KMSRequests: 11, KMSNoBucketKey: 1024, CostUSD: 0.0256, CostNoBucketKeyUSD: 0.0286},
		},
		{
			// An object exactly at the threshold is one CopyObject (apply
			// copies in parts only above it). 1,000 of 64 MiB, 1 source page
			// and 1 destination page.
			// with:    2*0.005/1000 + 1000*0.005/1000 + 10*0.03/10000 = 0.00504 -> 0.005
			// without: 0.00501 + 1000*0.03/10000                      = 0.00801 -> 0.008
			name: "at the multipart threshold: one copy each", n: 1000, size: 64 * mib,
			job: func(j *config.Job) { j.MultipartThreshold, j.PartSize = 64*mib, 16*mib },
			want: Estimate{ListRequests: 2, PutRequests: 1000, KMSRequests: 10, KMSNoBucketKey: 1000,
				CostUSD: 0.005, CostNoBucketKeyUSD: 0.008},
		},
		{
			// Stream copies hold at most a part in memory: apply copies an
			// object above the part size in parts even below the multipart
			// threshold (examples/stream: 16 MiB parts, threshold 5 GiB).
			// 4 objects of 100 MiB in 7 parts each (6.25 rounded up), 28
			// parts. Each: HEAD + GetObjectTagging, create, per part a
			// ranged GET and an UploadPart, complete.
			// PUT = 4*2 + 28 = 36; GET = 4*2 + 28 = 36; KMS 28 (1 with the
			// key); transfer 400 MiB = 0.390625 GiB.
			// base:    2*0.005/1000 + 36*0.005/1000 + 36*0.0004/1000 + 0.390625*0.02
			//        = 0.00001 + 0.00018 + 0.0000144 + 0.0078125 = 0.0080169
			// with:    0.0080169 + 1*0.03/10000  = 0.0080199 -> 0.008
			// without: 0.0080169 + 28*0.03/10000 = 0.0081009 -> 0.0081
			name: "stream copies above the part size in parts", n: 4, size: 100 * mib,
			job: func(j *config.Job) { j.Transfer, j.PartSize = config.TransferStream, 16*mib },
			want: Estimate{ListRequests: 2, PutRequests: 36, GetRequests: 36, UploadParts: 28, TransferBytes: 400 * mib,
				KMSRequests: 1, KMSNoBucketKey: 28, CostUSD: 0.008, CostNoBucketKeyUSD: 0.0081},
		},
		{
			// A stream copy of exactly one part is one GET and one PUT.
			// 1,000 objects of 16 MiB = 15.625 GiB transferred.
			// base:    2*0.005/1000 + 1000*0.005/1000 + 1000*0.0004/1000 + 15.625*0.02
			//        = 0.00001 + 0.005 + 0.0004 + 0.3125 = 0.31791
			// with:    0.31791 + 10*0.03/10000   = 0.31794 -> 0.3179
			// without: 0.31791 + 1000*0.03/10000 = 0.32091 -> 0.3209
			name: "stream of one part: one GET and one PUT", n: 1000, size: 16 * mib,
			job: func(j *config.Job) { j.Transfer, j.PartSize = config.TransferStream, 16*mib },
			want: Estimate{ListRequests: 2, PutRequests: 1000, GetRequests: 1000, TransferBytes: 1000 * 16 * mib,
				KMSRequests: 10, KMSNoBucketKey: 1000, CostUSD: 0.3179, CostNoBucketKeyUSD: 0.3209},
		},
		{
			// A KMS-encrypted source doubles the KMS requests: a decrypt
			// per read as well as a data key per write. 500 objects:
			// KMS 1000 without the bucket key, 10 with it.
			// with:    2*0.005/1000 + 500*0.005/1000 + 10*0.03/10000   = 0.00254 -> 0.0025
			// without: 0.00251 + 1000*0.03/10000                       = 0.00551 -> 0.0055
			name: "KMS on the source", n: 500, size: 10,
			job: func(j *config.Job) { j.Source.Key = plainKey },
			want: Estimate{ListRequests: 2, PutRequests: 500, KMSRequests: 10, KMSNoBucketKey: 1000,
				CostUSD: 0.0025, CostNoBucketKeyUSD: 0.0055},
		},
		{
			// Deletes: 2,500 gone at source make 3 DeleteObjects requests,
			// free at list price; with a price set they are billed.
			// 3*1.0/1000 = 0.003, plus 4 LIST (1 source page, 3 of the
			// destination's 2,500 objects) at 0.005/1000 = 0.00302 -> 0.003
			name: "deletes in batches of 1000", deletes: 2500,
			job:    func(j *config.Job) { j.Delete = true },
			prices: &Prices{ListPer1000: 0.005, DeletePer1000: 1.0},
			want:   Estimate{ListRequests: 4, DeleteRequests: 3, CostUSD: 0.003, CostNoBucketKeyUSD: 0.003},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := &config.Job{Name: "j", Mode: config.ModeSync, Transfer: config.TransferServerSide,
				Source: &config.Bucket{Name: "src"}, Destination: &config.Bucket{Name: "dst"},
				MultipartThreshold: config.DefaultMultipartThreshold, PartSize: config.DefaultPartSize}
			if tt.job != nil {
				tt.job(j)
			}
			o := NewJobObservation(j, 0)
			for i := range tt.n {
				o.Add(Item{Rel: fmt.Sprint(i), ObjectAction: ObjectNew, Source: &SourceObject{Key: fmt.Sprint(i), Size: tt.size}})
			}
			for i := range tt.deletes {
				o.Add(Item{Rel: fmt.Sprint("d", i), ObjectAction: ObjectDelete, Destination: &DestinationObject{Key: fmt.Sprint("d", i), Size: 1}})
			}
			got := o.JobData(j, tt.prices).Estimate
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("estimate (-want +got):\n%s", diff)
			}
		})
	}
}
