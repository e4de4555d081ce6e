package migrate

import "github.com/lakesync/lakesync/internal/config"

// derived is a migration with what it adds to the configuration while it
// runs: its two buckets in the destination account and its two sync jobs
// (config.Migration.Parts).
type derived struct {
	m *config.Migration
	config.MigrationParts
}

func derive(m *config.Migration) *derived { return &derived{m: m, MigrationParts: m.Parts()} }

// config is base with the buckets and the job of one copy step added
// (job nil: none, for step 6's removal of the migration's statements).
// The jobs of base stay, so that the documents they share with the
// migration (a role's inline policy, the destination key's policy) keep
// their statements. moved, once the source is deleted (step 5), is the
// source's bucket block: it is left out, and the jobs of base that name
// it name d.Moved instead, the bucket where it now is, so that none of
// them is planned against a bucket the old account no longer has.
func (d *derived) config(base *config.Config, job *config.Job, moved *config.Bucket, buckets ...*config.Bucket) *config.Config {
	cfg := *base
	cfg.Buckets = nil
	for _, b := range base.Buckets {
		if b != moved {
			cfg.Buckets = append(cfg.Buckets, b)
		}
	}
	cfg.Buckets = append(cfg.Buckets, buckets...)
	cfg.Jobs = nil
	for _, j := range base.Jobs {
		if moved != nil && (j.Source == moved || j.Destination == moved) {
			c := *j
			if c.Source == moved {
				c.Source = d.Moved
			}
			if c.Destination == moved {
				c.Destination = d.Moved
			}
			j = &c
		}
		cfg.Jobs = append(cfg.Jobs, j)
	}
	if job != nil {
		cfg.Jobs = append(cfg.Jobs, job)
	}
	cfg.Migrations = nil
	return &cfg
}
