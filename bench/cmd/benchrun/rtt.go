package main

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"time"
)

// The distance: every tool reaches MinIO through a delay proxy (proxy.go),
// and --rtt names the delays at which the scenarios run, one after the
// other.

// parseRTTs reads --rtt: a comma list of Go durations, each 0 or more.
func parseRTTs(s string) ([]time.Duration, error) {
	var out []time.Duration
	seen := map[time.Duration]bool{}
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		d, err := time.ParseDuration(f)
		if err != nil || d < 0 {
			return nil, fmt.Errorf("--rtt %q: write Go durations of 0 or more, such as 0,50ms,250ms", f)
		}
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("--rtt is empty: write 0, or durations such as 50ms")
	}
	return out, nil
}

// rttKey is the report's name of scenario at delay d: the plain name at 0,
// "name@rtt=50ms" otherwise.
func rttKey(scenario string, d time.Duration) string {
	if d == 0 {
		return scenario
	}
	return scenario + "@rtt=" + d.String()
}

// startProxy starts a delay proxy in front of target and returns its
// address; it gets the current delay and is stopped by stopProxies.
func (b *bench) startProxy(target string) (string, error) {
	p, err := newDelayProxy(target)
	if err != nil {
		return "", err
	}
	if err := p.start(); err != nil {
		return "", fmt.Errorf("delay proxy: %w", err)
	}
	p.setDelay(b.rtt)
	b.proxies = append(b.proxies, p)
	logf("delay proxy at %s in front of %s", p.addr, target)
	return p.addr, nil
}

func (b *bench) stopProxies() {
	for _, p := range b.proxies {
		p.stop()
	}
	b.proxies = nil
}

// setRTT sets every proxy's delay.
func (b *bench) setRTT(d time.Duration) {
	b.rtt = d
	for _, p := range b.proxies {
		p.setDelay(d)
	}
}

// takeStats returns what the proxies saw since the last call.
func (b *bench) takeStats() proxyStats {
	var st proxyStats
	for _, p := range b.proxies {
		st.add(p.take())
	}
	return st
}

// atEachRTT runs fn once per --rtt delay, with the proxies set to it and the
// scenario's report key for it.
func (b *bench) atEachRTT(scenario string, fn func(key string) error) error {
	for _, d := range b.e.opts.rtts {
		b.setRTT(d)
		if d > 0 {
			logf("%s at rtt %s", scenario, d)
		}
		if err := fn(rttKey(scenario, d)); err != nil {
			return err
		}
	}
	return nil
}

// dirBytes is the size of the files under dir (0 when there is none).
func dirBytes(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}
