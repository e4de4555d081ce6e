package exec

import (
	"context"
	"fmt"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/plan"
)

// observeConcurrency bounds the documents read at once: a handful of
// control-plane calls per resource, well under any API rate limit.
const observeConcurrency = 8

// Observe reads, for every bucket, key and role of cfg, the documents and
// settings lakesync manages. An account lakesync cannot reach, or a read it
// is refused, is an error: a plan must not guess what it could not see. An
// observed absence (no such bucket, key, role or policy) is recorded as such.
func Observe(ctx context.Context, cfg *config.Config, acc *Accounts) (*plan.Observed, error) {
	// Reach every account first, so a credentials problem is reported once
	// per account rather than once per resource.
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(observeConcurrency)
	for _, a := range usedAccounts(cfg) {
		g.Go(func() error {
			_, err := acc.Config(gctx, a)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}

	obs := &plan.Observed{
		Buckets: map[string]*plan.ObservedBucket{},
		Keys:    map[string]*plan.ObservedKey{},
		Roles:   map[string]*plan.ObservedRole{},
	}
	var mu sync.Mutex
	g, gctx = errgroup.WithContext(ctx)
	g.SetLimit(observeConcurrency)
	for _, b := range cfg.Buckets {
		g.Go(func() error {
			ob, err := observeBucket(gctx, acc, b)
			if err != nil {
				return fmt.Errorf("observe bucket %q (%s): %w", b.Name, b.BucketName, err)
			}
			mu.Lock()
			obs.Buckets[b.Name] = ob
			mu.Unlock()
			return nil
		})
	}
	for _, k := range cfg.Keys {
		g.Go(func() error {
			ok, err := observeKey(gctx, acc, k)
			if err != nil {
				return fmt.Errorf("observe key %q (%s): %w", k.Name, k.Ref(), err)
			}
			mu.Lock()
			obs.Keys[k.Name] = ok
			mu.Unlock()
			return nil
		})
	}
	for _, r := range cfg.Roles {
		g.Go(func() error {
			or, err := observeRole(gctx, acc, r)
			if err != nil {
				return fmt.Errorf("observe role %q (%s): %w", r.Name, r.ARN(), err)
			}
			mu.Lock()
			obs.Roles[r.Name] = or
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return obs, nil
}

// usedAccounts lists the accounts that own a bucket, key or role of cfg,
// in declaration order, each once.
func usedAccounts(cfg *config.Config) []*config.Account {
	used := map[*config.Account]bool{}
	for _, b := range cfg.Buckets {
		used[b.Account] = true
	}
	for _, k := range cfg.Keys {
		used[k.Account] = true
	}
	for _, r := range cfg.Roles {
		used[r.Account] = true
	}
	var out []*config.Account
	for _, a := range cfg.Accounts {
		if used[a] {
			out = append(out, a)
		}
	}
	return out
}
