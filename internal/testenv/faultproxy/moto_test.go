package faultproxy_test

import (
	"bytes"
	"io"
	"os"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lakesync/lakesync/internal/testenv/faultproxy"
	"github.com/lakesync/lakesync/internal/testenv/moto"
)

var motoSrv *moto.Server

func TestMain(m *testing.M) { os.Exit(moto.Main(m, &motoSrv)) }

// In front of moto, with every kind of fault on: signed SDK requests
// pass through unchanged (Host kept), faults are retried, and the objects
// arrive intact.
func TestThroughMoto(t *testing.T) {
	s := moto.Require(t, motoSrv)
	ctx := t.Context()
	if err := s.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	acct, err := s.NewAccount(ctx, "111111111111")
	if err != nil {
		t.Fatal(err)
	}
	if err := acct.CreateBucket(ctx, "faulty"); err != nil {
		t.Fatal(err)
	}
	p := startProxy(t, s.URL, faultproxy.Config{Rules: []faultproxy.Rule{
		{Kind: faultproxy.SlowDown, Every: 4, Burst: 2},
		{Kind: faultproxy.InternalError, Every: 5},
		{Kind: faultproxy.Reset, Match: faultproxy.Gets, Every: 3},
		{Kind: faultproxy.OKWithError, Every: 2},
	}})
	cfg := acct.Config()
	cfg.BaseEndpoint = aws.String(p.URL)
	c := s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.UsePathStyle = true
		o.Retryer = fastRetryer()
		o.RetryMaxAttempts = 10 // enough attempts for a burst after a fault
	})

	const n = 10
	for i := range n {
		body := bytes.Repeat([]byte{byte('a' + i)}, 1000+i)
		key := aws.String("src/" + string(rune('a'+i)))
		if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("faulty"), Key: key, Body: bytes.NewReader(body)}); err != nil {
			t.Fatalf("put: %v", err)
		}
		dst := aws.String("dst/" + string(rune('a'+i)))
		if _, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("faulty"), Key: dst, CopySource: aws.String("faulty/" + *key)}); err != nil {
			t.Fatalf("copy: %v", err)
		}
		var got []byte
		for attempt := 0; ; attempt++ {
			out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("faulty"), Key: dst})
			if err != nil {
				t.Fatalf("get: %v", err)
			}
			got, err = io.ReadAll(out.Body)
			out.Body.Close()
			if err == nil {
				break
			}
			if attempt == 3 { // a reset mid-body is the caller's to retry
				t.Fatalf("get %s: %v", *dst, err)
			}
		}
		if !bytes.Equal(got, body) {
			t.Errorf("%s: %d bytes, want %d", *dst, len(got), len(body))
		}
	}
	counts := p.Counts()
	for _, k := range []faultproxy.Kind{faultproxy.SlowDown, faultproxy.InternalError, faultproxy.Reset, faultproxy.OKWithError} {
		if counts.Faults[k] == 0 {
			t.Errorf("no %s injected: %v", k, counts)
		}
	}
	t.Log(counts)
}
