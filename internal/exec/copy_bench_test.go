package exec

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/awserr"
	"github.com/lakesync/lakesync/internal/exec/copier"
	"github.com/lakesync/lakesync/internal/exec/state"
)

// BenchmarkCopierPerObject is the copier's own cost per object in a
// server-side cp of small objects: the same clients, pool, state and
// events as `lakesync apply`, against a server that only answers
// ListObjectsV2 and CopyObject with fixed documents, so that its CPU and
// its noise stay out of the figures. It is the before/after measure of
// client-side optimisations (cpu-ns/object is the process's user+sys CPU,
// server included, which costs a fraction of the client); speed against a
// real store and the peer tools is bench/run's job. A fake server proves
// nothing about S3: the moto tests do that.
//
//	go test ./internal/exec -run '^$' -bench CopierPerObject -benchmem -count 5
func BenchmarkCopierPerObject(b *testing.B) {
	const size = 100 << 10
	srv := httptest.NewServer(cannedS3(b.N, size))
	defer srv.Close()

	a := NewAccounts(&config.Config{})
	cfg := aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), Retryer: awserr.NewRetryer,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDBENCH", "secret", "")}
	acct := &config.Account{Name: "bench", ID: "000000000000", S3ForcePathStyle: true}
	client := a.s3FromConfig(cfg, acct, 64, "")

	store, err := state.Open(filepath.Join(b.TempDir(), "state"), state.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	c := &copier.Copier{Source: client, Destination: client, State: store, KMSKeyID: "arn:aws:kms:us-east-1:000000000000:key/bench",
		Listener: copier.CopyListenerFunc(func(copier.CopyEvent) {})}
	job := &config.Job{Name: "bench", Mode: config.ModeCp, Transfer: config.TransferServerSide, Concurrency: 64,
		Source: &config.Bucket{BucketName: "src", Account: acct}, Destination: &config.Bucket{BucketName: "dst", Account: acct},
		MultipartThreshold: config.DefaultMultipartThreshold, PartSize: config.DefaultPartSize}

	cpu0 := cpuTime()
	b.ReportAllocs()
	b.ResetTimer()
	sum, err := c.Run(b.Context(), job)
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	if sum.Copied != int64(b.N) {
		b.Fatalf("copied %d objects, want %d", sum.Copied, b.N)
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/object")
}

// cpuTime is the process's user+sys CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// cannedS3 answers ListObjectsV2 of bucket "src" with n objects of size
// bytes (1,000 a page) and CopyObject into bucket "dst" with a fixed
// result; anything else is a 501.
func cannedS3(n int, size int64) http.Handler {
	modified := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Format(time.RFC3339)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/src" && r.URL.Query().Get("list-type") == "2":
			start, _ := strconv.Atoi(r.URL.Query().Get("continuation-token"))
			end := min(start+1000, n)
			var sb strings.Builder
			sb.WriteString(`<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>src</Name>`)
			for i := start; i < end; i++ {
				fmt.Fprintf(&sb, `<Contents><Key>obj/%08d</Key><LastModified>%s</LastModified><ETag>&quot;%032x&quot;</ETag><Size>%d</Size><StorageClass>STANDARD</StorageClass></Contents>`,
					i, modified, i, size)
			}
			fmt.Fprintf(&sb, `<KeyCount>%d</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>%t</IsTruncated>`, end-start, end < n)
			if end < n {
				fmt.Fprintf(&sb, `<NextContinuationToken>%d</NextContinuationToken>`, end)
			}
			sb.WriteString(`</ListBucketResult>`)
			w.Header().Set("Content-Type", "application/xml")
			_, _ = w.Write([]byte(sb.String()))
		case r.Method == http.MethodPut && strings.HasPrefix(r.URL.Path, "/dst/") && r.Header.Get("X-Amz-Copy-Source") != "":
			w.Header().Set("Content-Type", "application/xml")
			_, _ = fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><CopyObjectResult><LastModified>%s</LastModified><ETag>&quot;%s&quot;</ETag></CopyObjectResult>`,
				modified, "0123456789abcdef0123456789abcdef")
		default:
			http.Error(w, "not in the benchmark: "+r.Method+" "+r.URL.String(), http.StatusNotImplemented)
		}
	})
}
