package plan

import (
	"fmt"
	"strings"

	"github.com/lakesync/lakesync/internal/config"
)

// Selector says which source objects a job copies and where they go: the
// objects under SourcePrefix whose key below the prefix matches an include
// pattern (all of them when there is none) and no exclude pattern, written
// to DestinationPrefix + the key below SourcePrefix.
//
// The mapping is a fixed prefix swap on the key's suffix, so it preserves
// byte order: a source listing sorted by key maps to destination keys in the
// same order, which is what lets Merge walk source, state and destination
// listings side by side.
type Selector struct {
	SourcePrefix      string
	DestinationPrefix string
	include           []*config.Glob
	exclude           []*config.Glob
	shard             Shard
}

// SelectorOption changes what a Selector selects.
type SelectorOption func(*Selector)

// WithShard keeps only the keys of one shard: source objects, state
// records and destination objects alike, since all three are selected by
// their key below the prefixes.
func WithShard(sh Shard) SelectorOption { return func(s *Selector) { s.shard = sh } }

// NewSelector compiles the job's include and exclude patterns.
func NewSelector(job *config.Job, opts ...SelectorOption) (*Selector, error) {
	s := &Selector{SourcePrefix: job.SourcePrefix, DestinationPrefix: job.DestinationPrefix}
	for _, o := range opts {
		o(s)
	}
	for _, p := range job.Include {
		g, err := config.CompileGlob(p)
		if err != nil {
			return nil, fmt.Errorf("job %q include: %w", job.Name, err)
		}
		s.include = append(s.include, g)
	}
	for _, p := range job.Exclude {
		g, err := config.CompileGlob(p)
		if err != nil {
			return nil, fmt.Errorf("job %q exclude: %w", job.Name, err)
		}
		s.exclude = append(s.exclude, g)
	}
	return s, nil
}

// Selects reports whether rel, a key relative to either prefix, passes the
// include and exclude patterns and belongs to the selector's shard.
func (s *Selector) Selects(rel string) bool {
	if rel == "" || !s.shard.Owns(rel) {
		return false
	}
	if len(s.include) > 0 {
		in := false
		for _, g := range s.include {
			if g.Match(rel) {
				in = true
				break
			}
		}
		if !in {
			return false
		}
	}
	for _, g := range s.exclude {
		if g.Match(rel) {
			return false
		}
	}
	return true
}

// SourceRel returns the key of a source object relative to SourcePrefix,
// and whether the job selects it.
func (s *Selector) SourceRel(srcKey string) (string, bool) {
	rel, ok := strings.CutPrefix(srcKey, s.SourcePrefix)
	if !ok || !s.Selects(rel) {
		return "", false
	}
	return rel, true
}

// DestinationRel returns the key of a destination object relative to
// DestinationPrefix, and whether the job owns it (it is where a selected
// source object would be copied to). Objects the job does not own are
// never overwritten or deleted.
func (s *Selector) DestinationRel(dstKey string) (string, bool) {
	rel, ok := strings.CutPrefix(dstKey, s.DestinationPrefix)
	if !ok || !s.Selects(rel) {
		return "", false
	}
	return rel, true
}

// MapKey returns the destination key of a source key: DestinationPrefix +
// the key below SourcePrefix. ok is false when the job does not select the
// key. The result is always under DestinationPrefix and never equal to it.
func (s *Selector) MapKey(srcKey string) (dstKey string, ok bool) {
	rel, ok := s.SourceRel(srcKey)
	if !ok {
		return "", false
	}
	return s.DestinationPrefix + rel, true
}

// SourceKey is the inverse of MapKey for a key relative to the prefixes.
func (s *Selector) SourceKey(rel string) string { return s.SourcePrefix + rel }

// DestinationKey is the destination key of a key relative to the prefixes.
func (s *Selector) DestinationKey(rel string) string { return s.DestinationPrefix + rel }

// isDestinationKey reports whether key == DestinationKey(rel), without
// building the string.
func (s *Selector) isDestinationKey(key, rel string) bool {
	return len(key) == len(s.DestinationPrefix)+len(rel) &&
		strings.HasPrefix(key, s.DestinationPrefix) && strings.HasSuffix(key, rel)
}
