package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/lakesync/lakesync/internal/testenv/moto"
)

// signedRequest is one request as it crossed the wire: what it addressed
// and the region and service its SigV4 signature is scoped to.
type signedRequest struct {
	method, path, query string
	accessKey           string
	region, service     string
	target              string // X-Amz-Target (KMS, STS JSON)
	keyID               string // KMS: the KeyId of the request body
	copySource          string // S3: the x-amz-copy-source header
}

func (r signedRequest) String() string {
	s := fmt.Sprintf("%s %s", r.method, r.path)
	if r.query != "" {
		s += "?" + r.query
	}
	if r.target != "" {
		s += " " + r.target
	}
	if r.keyID != "" {
		s += " KeyId=" + r.keyID
	}
	return fmt.Sprintf("%s signed for %s/%s by %s", s, r.region, r.service, r.accessKey)
}

// credentialScope is the Credential=AKID/DATE/REGION/SERVICE/aws4_request
// of a SigV4 Authorization header.
var credentialScope = regexp.MustCompile(`Credential=([^/]+)/[0-9]{8}/([^/]+)/([^/]+)/aws4_request`)

// signingRecorder is a reverse proxy in front of moto that records the
// signature scope of every request: moto accepts a request signed for any
// region, real S3 and KMS do not.
type signingRecorder struct {
	srv  *httptest.Server
	mu   sync.Mutex
	reqs []signedRequest
}

func newSigningRecorder(t *testing.T, target string) *signingRecorder {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	rec := &signingRecorder{}
	proxy := httputil.NewSingleHostReverseProxy(u)
	rec.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(rec.srv.Close)
	return rec
}

func (rec *signingRecorder) record(r *http.Request) {
	sr := signedRequest{method: r.Method, path: r.URL.Path, query: r.URL.RawQuery, target: r.Header.Get("X-Amz-Target"),
		copySource: r.Header.Get("x-amz-copy-source")}
	if m := credentialScope.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		sr.accessKey, sr.region, sr.service = m[1], m[2], m[3]
	}
	if sr.service == "kms" {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		var in struct{ KeyId string }
		_ = json.Unmarshal(body, &in)
		sr.keyID = in.KeyId
	}
	rec.mu.Lock()
	rec.reqs = append(rec.reqs, sr)
	rec.mu.Unlock()
}

func (rec *signingRecorder) requests() []signedRequest {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]signedRequest(nil), rec.reqs...)
}

// regionWorld is the world of TestCrossRegionSigning: the source bucket
// and the copier role of prod in eu-west-1, the destination bucket of
// lake and its key (alias/datalake) in us-east-1, reached through a
// signingRecorder. lakeRegion is the region of lake's account block;
// bucketRegion, when set, is written as the destination bucket's region.
type regionWorld struct {
	rec          *signingRecorder
	cfg          string
	prod, lake   *moto.Account
	keyARN       string
	bucketRegion map[string]string // bucket name -> region
}

const (
	regionSrc = "konfir-prod-data"
	regionDst = "konfir-datalake-us"
)

func newRegionWorld(t *testing.T, lakeRegion, bucketRegion string) *regionWorld {
	t.Helper()
	s := moto.Require(t, motoSrv)
	ctx := t.Context()
	if err := s.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	w := &regionWorld{rec: newSigningRecorder(t, s.URL),
		bucketRegion: map[string]string{regionSrc: "eu-west-1", regionDst: "us-east-1"}}
	var err error
	if w.prod, err = s.NewAccount(ctx, moto.DemoProdID); err != nil {
		t.Fatal(err)
	}
	if w.lake, err = s.NewAccount(ctx, moto.DemoLakeID); err != nil {
		t.Fatal(err)
	}
	w.prod.Profile, w.lake.Profile = "prod", "lake"
	east := *w.lake
	east.Region = "us-east-1"
	must(t, w.prod.CreateBucket(ctx, regionSrc))
	must(t, east.CreateBucket(ctx, regionDst))
	if w.keyARN, err = east.CreateKey(ctx, moto.DemoKeyAlias); err != nil {
		t.Fatal(err)
	}
	if _, err := w.prod.CreateRole(ctx, moto.DemoRole, moto.TrustAccount(moto.DemoProdID)); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		must(t, w.prod.PutObject(ctx, regionSrc, fmt.Sprintf("exports/part-%d.parquet", i), []byte(fmt.Sprintf("row %d\n", i))))
	}
	// Above the multipart threshold: HEAD and tagging on the source,
	// UploadPartCopy on the destination.
	must(t, w.prod.PutObject(ctx, regionSrc, "exports/big.parquet", bytes.Repeat([]byte("x"), 6<<20)))

	dir := t.TempDir()
	env, err := s.WriteSharedConfig(dir, w.prod, w.lake)
	if err != nil {
		t.Fatal(err)
	}
	env.Setenv(t)
	// Every request goes through the recorder, even one that would not
	// take the account block's endpoint_url.
	conf, err := os.ReadFile(env["AWS_CONFIG_FILE"])
	if err != nil {
		t.Fatal(err)
	}
	must(t, os.WriteFile(env["AWS_CONFIG_FILE"], bytes.ReplaceAll(conf, []byte(s.URL), []byte(w.rec.srv.URL)), 0o600))

	region := ""
	if bucketRegion != "" {
		region = fmt.Sprintf("region = %q", bucketRegion)
	}
	hcl := fmt.Sprintf(`
account "prod" {
  id                  = "111111111111"
  region              = "eu-west-1"
  profile             = "prod"
  endpoint_url        = %[1]q
  s3_force_path_style = true
}

account "lake" {
  id                  = "222222222222"
  region              = %[2]q
  profile             = "lake"
  endpoint_url        = %[1]q
  s3_force_path_style = true
}

key "lake" {
  account = account.lake
  alias   = "alias/datalake"
}

bucket "prod" {
  account = account.prod
  name    = %[4]q
}

bucket "lake" {
  account = account.lake
  name    = %[5]q
  %[3]s
  key     = key.lake
}

role "copier" {
  account = account.prod
  name    = "lakesync-copier"
}

sync "prod_to_lake" {
  source              = bucket.prod
  destination         = bucket.lake
  role                = role.copier
  mode                = "sync"
  source_prefix       = "exports/"
  destination_prefix  = "prod/"
  concurrency         = 4
  multipart_threshold = "5MiB"
  part_size           = "5MiB"
}

state {
  path = %[6]q
}
`, w.rec.srv.URL, lakeRegion, region, regionSrc, regionDst, filepath.Join(dir, "state"))
	w.cfg = filepath.Join(dir, "lakesync.hcl")
	must(t, os.WriteFile(w.cfg, []byte(hcl), 0o644))
	return w
}

// wrongRegions lists every recorded request signed for another region
// than the resource it addresses: an S3 request for another region than
// its bucket's, a KMS request than its key's, an STS request than its
// caller's account (prod and the copier role: eu-west-1; lake: its account
// block's region). seen counts the requests checked, by "service verb".
func (w *regionWorld) wrongRegions(lakeRegion string) (wrong []string, seen map[string]int) {
	seen = map[string]int{}
	keyRegion := map[string]string{w.keyARN: "us-east-1", moto.DemoKeyAlias: "us-east-1", w.keyARN[strings.LastIndex(w.keyARN, "/")+1:]: "us-east-1"}
	for _, r := range w.rec.requests() {
		if strings.HasPrefix(r.path, "/moto-api/") {
			continue
		}
		want := ""
		switch r.service {
		case "":
			wrong = append(wrong, "unsigned: "+r.String())
			continue
		case "s3":
			bucket, _, _ := strings.Cut(strings.TrimPrefix(r.path, "/"), "/")
			if bucket == "" {
				continue
			}
			want = w.bucketRegion[bucket]
			seen["s3 "+r.method+" "+bucket]++
		case "kms":
			if m := strings.Split(r.keyID, ":"); len(m) > 3 && m[0] == "arn" {
				want = m[3]
			} else {
				want = keyRegion[r.keyID]
			}
			seen["kms "+r.target]++
		case "sts":
			switch r.accessKey {
			case w.lake.AccessKeyID:
				want = lakeRegion
			default: // prod's user, or the copier role's session
				want = "eu-west-1"
			}
			seen["sts"]++
		default:
			continue // IAM is global
		}
		if want == "" || r.region != want {
			wrong = append(wrong, fmt.Sprintf("%s; want %q", r, want))
		}
	}
	sort.Strings(wrong)
	return wrong, seen
}

// TestCrossRegionSigning runs plan, apply, verify and check --live on a
// job whose destination bucket is in us-east-1 while its source bucket
// and copier role are in eu-west-1, and checks on the wire that every
// request is signed for the region of the bucket or key it addresses, as
// real S3 and KMS demand (moto accepts any). The destination bucket's
// region comes from its account block (the world of issue 11), or from
// the bucket's region attribute with the account in eu-west-1.
func TestCrossRegionSigning(t *testing.T) {
	for _, tt := range []struct {
		name                     string
		lakeRegion, bucketRegion string
	}{
		{"account in the bucket's region", "us-east-1", ""},
		{"bucket region attribute", "eu-west-1", "us-east-1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := newRegionWorld(t, tt.lakeRegion, tt.bucketRegion)
			code, out, errs := runCLI(t, "", "plan", "-c", w.cfg)
			if code != 0 {
				t.Fatalf("plan: exit %d\n%s%s", code, out, errs)
			}
			if !strings.Contains(out, "cross-region eu-west-1 -> us-east-1") || !strings.Contains(out, "cross-region transfer") {
				t.Errorf("the plan does not say the job is cross-region:\n%s", out)
			}
			for _, args := range [][]string{
				{"apply", "-c", w.cfg, "--auto-approve"},
				{"verify", "-c", w.cfg},
				{"check", "--live", "-c", w.cfg},
			} {
				if code, out, errs := runCLI(t, "", args...); code != 0 {
					t.Fatalf("%s: exit %d\n%s%s", args[0], code, out, errs)
				}
			}
			wrong, seen := w.wrongRegions(tt.lakeRegion)
			if len(wrong) > 0 {
				t.Errorf("%d requests signed for the wrong region:\n%s", len(wrong), strings.Join(wrong, "\n"))
			}
			// The requests that matter were made and checked.
			for _, k := range []string{"s3 GET " + regionSrc, "s3 GET " + regionDst, "s3 PUT " + regionDst, "s3 POST " + regionDst, "s3 HEAD " + regionSrc,
				"kms TrentService.DescribeKey", "kms TrentService.PutKeyPolicy", "sts"} {
				if seen[k] == 0 {
					t.Errorf("no request %q was checked; checked: %v", k, seen)
				}
			}
		})
	}
}

// TestPlanBucketInAnotherRegion checks that a destination bucket S3
// reports in us-east-1, declared without a region in an account of
// eu-west-1, stops the plan with a diagnostic on the bucket block naming
// both regions and the line to add.
func TestPlanBucketInAnotherRegion(t *testing.T) {
	w := newRegionWorld(t, "eu-west-1", "")
	code, out, errs := runCLI(t, "", "plan", "-c", w.cfg)
	if code != exitError {
		t.Fatalf("plan: exit %d, want 1\n%s%s", code, out, errs)
	}
	flat := strings.Join(strings.Fields(errs), " ") // the detail is wrapped
	for _, want := range []string{
		"Error: Bucket in another region",
		"on " + w.cfg + " line 28, column 1",
		`28: bucket "lake" {`,
		"S3 reports the bucket konfir-datalake-us of bucket.lake in us-east-1",
		"account.lake's region eu-west-1",
		`Write region = "us-east-1" in bucket "lake".`,
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	// The region lookup itself was signed as the file says (all a client
	// can do before it knows), every other request for the real region.
	for _, r := range w.rec.requests() {
		if r.service == "s3" && strings.HasPrefix(r.path, "/"+regionDst) && r.query != "location=" && r.region != "us-east-1" {
			t.Errorf("%s, want us-east-1", r)
		}
	}
}
