package plan

import (
	"testing"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/policy"
)

// config.JobID (which refuses two jobs of one ID) and policy.JobID (which
// names the statements a job owns) are two copies of one rule, because
// neither package may import the other; a disagreement would let two jobs
// own each other's statements. They must agree on every name.
func FuzzJobIDsAgree(f *testing.F) {
	for _, name := range []string{"prod_to_lake", "prod-to-lake", "prodToLake", "läke", "a__b", "9lives", "", "__", "x.y z", "ÄÖÜ_abc"} {
		f.Add(name)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if c, p := config.JobID(name), policy.JobID(name); c != p {
			t.Errorf("JobID(%q): config %q, policy %q", name, c, p)
		}
	})
}
