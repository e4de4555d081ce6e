package plan

import (
	"strings"
	"testing"

	"github.com/lakesync/lakesync/internal/config"
)

// FuzzMapKey checks the key mapping every copy relies on, for arbitrary
// prefixes, one include and one exclude pattern (empty: none) and two
// source keys:
//
//   - a mapped key is strictly below the destination prefix;
//   - mapping is deterministic;
//   - it round-trips: the rel part appended to the destination prefix is
//     the destination key, DestinationRel gives the rel part back, and
//     SourceKey(rel) is the source key;
//   - selection depends on the rel part alone, so the destination side
//     owns exactly the keys the source side maps to;
//   - it preserves byte order, which Merge depends on.
func FuzzMapKey(f *testing.F) {
	f.Add("exports/", "prod/", "**/*.parquet", "tmp/**", "exports/day=01/part-0001.parquet", "exports/day=01/part-0002.parquet")
	f.Add("", "logs/", "", "", "2025/01/01/access.log", "2025/01/01/access.log.gz")
	f.Add("models/", "models/", "", "", "models/a b+c%2Fd?e#f", "models/é/x")
	f.Add("a", "b", "*", "", "ab/c", "a/c")
	f.Add("exports/", "", "**", "**/_tmp*", "exports/", "exports//x")
	f.Add("x/", "y/", "**/*.csv", "", "x/../../etc/passwd.csv", "x/./a.csv")
	f.Fuzz(func(t *testing.T, srcPrefix, dstPrefix, include, exclude, key1, key2 string) {
		job := &config.Job{Name: "fuzz", SourcePrefix: srcPrefix, DestinationPrefix: dstPrefix}
		if include != "" {
			job.Include = []string{include}
		}
		if exclude != "" {
			job.Exclude = []string{exclude}
		}
		for _, p := range append(job.Include, job.Exclude...) {
			if _, err := config.CompileGlob(p); err != nil {
				return // config rejects the file
			}
		}
		s, err := NewSelector(job)
		if err != nil {
			t.Fatalf("NewSelector refused valid patterns: %v", err)
		}
		dsts := [2]string{}
		oks := [2]bool{}
		for i, src := range []string{key1, key2} {
			dst, ok := s.MapKey(src)
			dsts[i], oks[i] = dst, ok
			if again, ok2 := s.MapKey(src); again != dst || ok2 != ok {
				t.Fatalf("MapKey(%q) is not deterministic: %q %v then %q %v", src, dst, ok, again, ok2)
			}
			rel, relOK := s.SourceRel(src)
			if relOK != ok {
				t.Fatalf("MapKey(%q) ok %v, SourceRel ok %v", src, ok, relOK)
			}
			if !ok {
				if dst != "" {
					t.Fatalf("MapKey(%q) not selected but returned %q", src, dst)
				}
				// Not selected: the destination side must not own the key
				// it would map to either (unless it is outside the source).
				if r, in := strings.CutPrefix(src, srcPrefix); in {
					if _, owned := s.DestinationRel(dstPrefix + r); owned {
						t.Fatalf("source key %q is not selected, but the destination owns %q", src, dstPrefix+r)
					}
				}
				continue
			}
			if !strings.HasPrefix(dst, dstPrefix) || len(dst) <= len(dstPrefix) {
				t.Fatalf("MapKey(%q) = %q, not strictly below the destination prefix %q", src, dst, dstPrefix)
			}
			if dst != dstPrefix+rel || dst != s.DestinationKey(rel) || !s.isDestinationKey(dst, rel) {
				t.Fatalf("MapKey(%q) = %q, want prefix %q + rel %q", src, dst, dstPrefix, rel)
			}
			if s.SourceKey(rel) != src {
				t.Fatalf("SourceKey(%q) = %q, want %q", rel, s.SourceKey(rel), src)
			}
			if back, owned := s.DestinationRel(dst); !owned || back != rel {
				t.Fatalf("DestinationRel(%q) = %q %v, want %q true", dst, back, owned, rel)
			}
		}
		if oks[0] && oks[1] {
			if c1, c2 := strings.Compare(key1, key2), strings.Compare(dsts[0], dsts[1]); c1 != c2 {
				t.Fatalf("order not preserved: %q vs %q is %d, mapped %q vs %q is %d", key1, key2, c1, dsts[0], dsts[1], c2)
			}
		}
	})
}
