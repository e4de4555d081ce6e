package plan

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lakesync/lakesync/internal/config"
)

// estimateJob is a job copying from a bucket in srcRegion to one in
// dstRegion, both of accounts in eu-west-1.
func estimateJob(transfer config.Transfer, srcRegion, dstRegion string) *config.Job {
	prod := &config.Account{Name: "prod", ID: "111111111111", Region: "eu-west-1"}
	lake := &config.Account{Name: "lake", ID: "222222222222", Region: "eu-west-1"}
	return &config.Job{Name: "j", Mode: config.ModeCp, Transfer: transfer,
		Source:             &config.Bucket{Name: "prod", Account: prod, BucketName: "src", Region: srcRegion},
		Destination:        &config.Bucket{Name: "lake", Account: lake, BucketName: "dst", Region: dstRegion},
		MultipartThreshold: config.DefaultMultipartThreshold, PartSize: config.DefaultPartSize}
}

// TestEstimateInterRegion checks that a server-side copy between buckets
// of different regions counts the bytes it copies as S3 inter-region
// transfer, at $0.02 per GiB unless the prices say otherwise, and that a
// copy within one region, or a stream copy (its bytes pass through the
// machine), counts none.
func TestEstimateInterRegion(t *testing.T) {
	const gib = 1 << 30
	cheaper := DefaultPrices()
	cheaper.InterRegionPerGiB = 0.01
	tests := []struct {
		name     string
		job      *config.Job
		prices   *Prices
		want     int64   // InterRegionBytes
		transfer int64   // TransferBytes
		cost     float64 // CostUSD
	}{
		// 10 objects: 10 COPY ($0.00005) and 1 LIST ($0.000005).
		{"same region", estimateJob(config.TransferServerSide, "eu-west-1", ""), nil, 0, 0, 0.0001},
		{"cross region", estimateJob(config.TransferServerSide, "eu-west-1", "us-east-1"), nil, 10 * gib, 0, 0.2001},
		{"cross region, price overridden", estimateJob(config.TransferServerSide, "eu-west-1", "us-east-1"), &cheaper, 10 * gib, 0, 0.1001},
		{"the account's region against a region attribute", estimateJob(config.TransferServerSide, "", "us-east-1"), nil, 10 * gib, 0, 0.2001},
		// Stream: the bytes through the machine instead, and each 1 GiB
		// object in 16 parts of 64 MiB: HEAD, GetObjectTagging and 16
		// ranged GETs; create, 16 UploadPart and complete. 180 GET
		// ($0.000072), 180 PUT ($0.0009), KMS 2 of 160 ($0.000006), LIST
		// $0.000005, transfer 10 GiB x $0.02: 0.200983 -> 0.201.
		{"stream across regions", estimateJob(config.TransferStream, "eu-west-1", "us-east-1"), nil, 0, 10 * gib, 0.201},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obs := NewJobObservation(tt.job, 10)
			for i := range 10 {
				obs.Add(Item{Rel: string(rune('a' + i)), Source: &SourceObject{Key: string(rune('a' + i)), Size: gib}, ObjectAction: ObjectNew})
			}
			e := obs.JobData(tt.job, tt.prices).Estimate
			got := []any{e.InterRegionBytes, e.TransferBytes, e.CostUSD}
			if diff := cmp.Diff([]any{tt.want, tt.transfer, tt.cost}, got); diff != "" {
				t.Errorf("inter-region bytes, transfer bytes, cost (-want +got):\n%s", diff)
			}
		})
	}
}
