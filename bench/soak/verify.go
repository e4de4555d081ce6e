package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"golang.org/x/sync/errgroup"

	"github.com/lakesync/lakesync/internal/exec/copier"
	"github.com/lakesync/lakesync/internal/exec/state"
	"github.com/lakesync/lakesync/internal/testenv/moto"
)

// verify compares every destination object with its source (copier.Verify,
// directly against moto, not through the proxy), compares a seeded
// sample of small objects and every multipart object byte for byte, and
// counts the state's records. Every source key that is missing or
// differs is counted once as lost.
func (w *world) verify(ctx context.Context, r *report, o options) error {
	res, err := copier.Verify(ctx, w.job, w.prod, w.lake, o.Full)
	if err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	r.Verify = res
	lost := map[string]string{}
	for _, d := range res.Differences {
		lost[d.Key+d.DestKey] = d.Key + " -> " + d.DestKey + ": " + d.Problem
	}

	var keys []string
	for i := range o.Multipart {
		keys = append(keys, bigKey(i))
	}
	rng := rand.New(rand.NewPCG(o.Seed, 2))
	for _, i := range rng.Perm(o.Objects)[:min(o.Sample, o.Objects)] {
		keys = append(keys, smallKey(i))
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(16)
	problems := make([]string, len(keys))
	for n, key := range keys {
		g.Go(func() error {
			p, err := w.compareBytes(gctx, key)
			problems[n] = p
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return fmt.Errorf("byte comparison: %w", err)
	}
	r.Sampled = len(keys)
	for n, p := range problems {
		if p != "" {
			r.SampleMismatches++
			lost[keys[n]+w.destKey(keys[n])] = keys[n] + ": " + p
		}
	}
	for _, l := range lost {
		r.LostKeys = append(r.LostKeys, l)
	}
	sort.Strings(r.LostKeys)

	store, err := state.Open(w.statePath, state.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer store.Close()
	for _, err := range store.Records(ctx, w.job.Name, "") {
		if err != nil {
			return err
		}
		r.StateRecords++
	}
	return nil
}

func (w *world) destKey(srcKey string) string {
	return w.job.DestinationPrefix + strings.TrimPrefix(srcKey, w.job.SourcePrefix)
}

// compareBytes reads one object on both sides and says how they differ
// ("" when identical).
func (w *world) compareBytes(ctx context.Context, key string) (string, error) {
	src, err := getObject(ctx, w.prod, moto.DemoSource, key)
	if err != nil {
		return "", err
	}
	dst, err := getObject(ctx, w.lake, moto.DemoDest, w.destKey(key))
	if err != nil {
		return "missing or unreadable at the destination: " + err.Error(), nil
	}
	if !bytes.Equal(src, dst) {
		return fmt.Sprintf("bytes differ (%d at the source, %d at the destination)", len(src), len(dst)), nil
	}
	return "", nil
}

func getObject(ctx context.Context, c *s3.Client, bucket, key string) ([]byte, error) {
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return nil, err
	}
	defer out.Body.Close()
	return io.ReadAll(out.Body)
}
