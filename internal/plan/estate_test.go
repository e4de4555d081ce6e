package plan

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPairs(t *testing.T) {
	buckets := func(names ...string) []EstateBucket {
		var out []EstateBucket
		for _, n := range names {
			out = append(out, EstateBucket{Name: n})
		}
		return out
	}
	tests := []struct {
		name      string
		src, dest []string
		want      []EstatePair
	}{
		{"demo: the company token", []string{"konfir-prod-data"}, []string{"konfir-datalake-raw"},
			[]EstatePair{{Source: "konfir-prod-data", Destination: "konfir-datalake-raw", Shared: []string{"konfir"}}}},
		{"most shared tokens win, ties go to the lake",
			[]string{"acme-orders-prod", "acme-clicks-prod", "scratch-111111111111"},
			[]string{"acme-archive", "acme-lake-orders", "acme-lake-raw", "acme-logs"},
			[]EstatePair{
				{Source: "acme-orders-prod", Destination: "acme-lake-orders", Shared: []string{"acme", "orders"}},
				{Source: "acme-clicks-prod", Destination: "acme-lake-orders", Shared: []string{"acme"}},
			}},
		{"generic and numeric tokens pair nothing: a guess on the lake",
			[]string{"data-111111111111", "s3-bucket"}, []string{"archive", "my-lake", "data-222222222222"},
			[]EstatePair{{Source: "data-111111111111", Destination: "my-lake", Guess: true}}},
		{"no destination bucket: no job", []string{"a-src"}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &Estate{Source: EstateAccount{Buckets: buckets(tt.src...)}, Destination: EstateAccount{Buckets: buckets(tt.dest...)}}
			if diff := cmp.Diff(tt.want, Pairs(e)); diff != "" {
				t.Errorf("Pairs (-want +got):\n%s", diff)
			}
		})
	}
}
