package plan

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
)

// Shard is one of Count disjoint parts of every job's key space, so that
// Count processes running the same jobs copy every object exactly once.
// A key belongs to shard FNV-1a-64(rel) mod Count, where rel is the key
// below the job's prefixes: source key, state record and destination key
// of one object share rel, so the shard that copies an object is the one
// that records it and, when its source is gone, deletes it.
//
// The zero Shard is the whole key space.
type Shard struct {
	Index int // 0..Count-1
	Count int // 0: not sharded
}

// The environment variables --shard auto/N reads the index from, in this
// order.
const (
	BatchArrayIndexEnv    = "AWS_BATCH_JOB_ARRAY_INDEX" // AWS Batch array jobs
	JobCompletionIndexEnv = "JOB_COMPLETION_INDEX"      // Kubernetes Indexed Jobs
)

// ParseShard parses "I/N" or "auto/N". For auto, lookupEnv supplies the
// index from BatchArrayIndexEnv or, when unset, JobCompletionIndexEnv.
func ParseShard(s string, lookupEnv func(string) (string, bool)) (Shard, error) {
	idx, cnt, ok := strings.Cut(s, "/")
	if !ok {
		return Shard{}, fmt.Errorf("shard %q: want I/N (e.g. 0/4) or auto/N", s)
	}
	n, err := strconv.Atoi(cnt)
	if err != nil || n < 1 {
		return Shard{}, fmt.Errorf("shard %q: N must be a whole number of shards of at least 1", s)
	}
	from := "the shard index"
	if idx == "auto" {
		idx, from = "", ""
		for _, name := range []string{BatchArrayIndexEnv, JobCompletionIndexEnv} {
			if v, set := lookupEnv(name); set {
				idx, from = v, name
				break
			}
		}
		if from == "" {
			return Shard{}, fmt.Errorf("shard %q: neither %s is set: give the index explicitly (--shard I/%d)", s, BatchArrayIndexEnv+" nor "+JobCompletionIndexEnv, n)
		}
	}
	i, err := strconv.Atoi(strings.TrimSpace(idx))
	if err != nil || i < 0 || i >= n {
		return Shard{}, fmt.Errorf("shard %q: %s is %q, want a whole number from 0 to %d", s, from, idx, n-1)
	}
	return Shard{Index: i, Count: n}, nil
}

// Sharded reports whether s is a part of the key space, not all of it.
func (s Shard) Sharded() bool { return s.Count > 0 }

// Owns reports whether rel, a key below the job's prefixes, belongs to s.
func (s Shard) Owns(rel string) bool {
	if s.Count <= 1 {
		return true
	}
	return ShardOf(rel, s.Count) == s.Index
}

// ShardOf is the index of the shard of n that owns rel.
func ShardOf(rel string, n int) int {
	h := fnv.New64a()
	h.Write([]byte(rel))
	return int(h.Sum64() % uint64(n))
}

// StateSuffix is appended to the state's path (or key) so that each shard
// has its own state: ".shard-I-of-N", empty when not sharded.
func (s Shard) StateSuffix() string {
	if !s.Sharded() {
		return ""
	}
	return fmt.Sprintf(".shard-%d-of-%d", s.Index, s.Count)
}

func (s Shard) String() string {
	if !s.Sharded() {
		return "all"
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Count)
}
