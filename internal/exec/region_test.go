package exec

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/lakesync/lakesync/internal/config"
)

// locationServer answers GetBucketLocation the way S3 does: signed for
// the bucket's region, its LocationConstraint; signed for another region,
// 400 AuthorizationHeaderMalformed naming the bucket's region in
// x-amz-bucket-region (moto accepts any region, so it cannot show this).
func locationServer(t *testing.T, region, constraint string) *httptest.Server {
	t.Helper()
	scope := regexp.MustCompile(`Credential=[^/]+/[0-9]{8}/([^/]+)/s3/`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m := scope.FindStringSubmatch(r.Header.Get("Authorization"))
		if m == nil || m[1] != region {
			w.Header().Set("x-amz-bucket-region", region)
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AuthorizationHeaderMalformed</Code><Message>The authorization header is malformed; the region '%s' is wrong; expecting '%s'</Message><Region>%s</Region></Error>`, m[1], region, region)
			return
		}
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">%s</LocationConstraint>`, constraint)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestBucketRegion checks the region lookup of a bucket against an S3
// that refuses requests signed for the wrong region: the lookup is signed
// for the region the configuration says, and when that is wrong the
// refusal's x-amz-bucket-region is the answer, so the plan can say so.
func TestBucketRegion(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_CONFIG_FILE", "/dev/null")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	tests := []struct {
		name               string
		real, constraint   string
		account, attribute string
		want               string
	}{
		{"empty constraint is us-east-1", "us-east-1", "", "us-east-1", "", "us-east-1"},
		{"legacy EU is eu-west-1", "eu-west-1", "EU", "eu-west-1", "", "eu-west-1"},
		{"region attribute", "us-east-1", "", "eu-west-1", "us-east-1", "us-east-1"},
		{"account's region wrong: from the refusal", "us-east-1", "", "eu-west-1", "", "us-east-1"},
		{"region attribute wrong: from the refusal", "ap-southeast-2", "ap-southeast-2", "eu-west-1", "us-east-1", "ap-southeast-2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := locationServer(t, tt.real, tt.constraint)
			acct := &config.Account{Name: "lake", ID: lakeID, Region: tt.account, EndpointURL: srv.URL, S3ForcePathStyle: true}
			b := &config.Bucket{Name: "lake", Account: acct, BucketName: "konfir-datalake-raw", Region: tt.attribute}
			acc := NewAccounts(&config.Config{Accounts: []*config.Account{acct}, Buckets: []*config.Bucket{b}})
			acc.SkipIdentityCheck = true // no STS here
			got, exists, err := acc.BucketRegion(t.Context(), b)
			if err != nil || !exists || got != tt.want {
				t.Errorf("BucketRegion = %q, %v, %v; want %q", got, exists, err, tt.want)
			}
		})
	}
}
