package migrate

import "github.com/lakesync/lakesync/internal/config"

// derived is what a migration adds to the configuration: its two
// buckets in the destination account and its two sync jobs.
type derived struct {
	m *config.Migration
	// temporary is the temporary bucket; moved is the bucket under its
	// own name in the destination account.
	temporary, moved *config.Bucket
	// out copies the source into the temporary bucket (steps 1 and 3);
	// back copies the temporary bucket into the moved one (step 5).
	out, back *config.Job
}

// derive builds the buckets and jobs of m. Both copies are sync jobs
// with delete = true (the second copy of step 3 removes from the
// temporary bucket what was deleted at the source since step 1) that
// fail on archived objects: a bucket about to be deleted must not keep
// objects nobody copied. out runs server-side as m's role, or streams
// with each account's credentials without one; back stays in the
// destination account, so it copies server-side as that account, or as
// the role when the role is in that account.
func derive(m *config.Migration) *derived {
	bucket := func(label, name string) *config.Bucket {
		return &config.Bucket{Name: "migration_" + m.Name + "_" + label, Account: m.To, BucketName: name,
			Key: m.Key, Region: m.Region, Create: true, DeclRange: m.DeclRange}
	}
	d := &derived{m: m, temporary: bucket("temporary", m.TemporaryBucket), moved: bucket("moved", m.Bucket.BucketName)}
	job := func(label string, src, dst *config.Bucket, role *config.Role) *config.Job {
		j := config.NewJob("migration_" + m.Name + "_" + label)
		j.Source, j.Destination, j.Role = src, dst, role
		j.Mode, j.Delete, j.Archived = config.ModeSync, true, config.ArchivedFail
		j.DeclRange = m.DeclRange
		if role == nil && src.Account != dst.Account {
			j.Transfer = config.TransferStream
		}
		return j
	}
	d.out = job("out", m.Bucket, d.temporary, m.Role)
	var backRole *config.Role
	if m.Role != nil && m.Role.Account == m.To {
		backRole = m.Role
	}
	d.back = job("back", d.temporary, d.moved, backRole)
	return d
}

// config is base with the buckets and the job of one copy step added
// (job nil: none, for step 6's removal of the migration's statements).
// The jobs of base stay, so that the documents they share with the
// migration (a role's inline policy, the destination key's policy) keep
// their statements. moved, once the source is deleted (step 5), is the
// source's bucket block: it is left out, and the jobs of base that name
// it name d.moved instead, the bucket where it now is, so that none of
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
				c.Source = d.moved
			}
			if c.Destination == moved {
				c.Destination = d.moved
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
