package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lakesync/lakesync/internal/config"
)

// checkJobNames refuses a --job that names no job of cfg, listing those
// it has.
func checkJobNames(cfg *config.Config, names []string) error {
	have := jobNames(cfg)
	for _, n := range names {
		if !slices.Contains(have, n) {
			return fmt.Errorf("--job %q: the configuration has no such job; its jobs are %s", n, strings.Join(have, ", "))
		}
	}
	return nil
}

// onlyJobs is cfg with only the jobs names names; cfg itself without
// names.
func onlyJobs(cfg *config.Config, names []string) *config.Config {
	if len(names) == 0 {
		return cfg
	}
	c := *cfg
	c.Jobs = nil
	for _, j := range cfg.Jobs {
		if slices.Contains(names, j.Name) {
			c.Jobs = append(c.Jobs, j)
		}
	}
	return &c
}

// jobNames are the names of cfg's jobs, in order.
func jobNames(cfg *config.Config) []string {
	var names []string
	for _, j := range cfg.Jobs {
		names = append(names, j.Name)
	}
	return names
}
