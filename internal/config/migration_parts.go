package config

// MigrationParts are what a migration adds to its configuration while
// lakesync migrate runs it: two buckets in the destination account and
// two sync jobs.
type MigrationParts struct {
	// Temporary is the temporary bucket; Moved is the bucket under its
	// own name in the destination account (and region).
	Temporary, Moved *Bucket
	// Out copies the source into the temporary bucket (steps 1 and 3);
	// Back copies the temporary bucket into the moved one (step 5).
	Out, Back *Job
}

// Parts builds the buckets and jobs of m. Both copies are sync jobs with
// delete = true (the second copy of step 3 removes from the temporary
// bucket what was deleted at the source since step 1) that fail on
// archived objects: a bucket about to be deleted must not keep objects
// nobody copied. Out runs server-side as m's role, or streams with each
// account's credentials without one (within one account it copies
// server-side as the account); Back stays in the destination account, so
// it copies server-side as that account, or as the role when the role is
// in that account. Each call builds new values.
func (m *Migration) Parts() MigrationParts {
	bucket := func(label, name string) *Bucket {
		return &Bucket{Name: "migration_" + m.Name + "_" + label, Account: m.To, BucketName: name,
			Key: m.Key, Region: m.Region, Create: true, DeclRange: m.DeclRange}
	}
	p := MigrationParts{Temporary: bucket("temporary", m.TemporaryBucket), Moved: bucket("moved", m.Bucket.BucketName)}
	job := func(label string, src, dst *Bucket, role *Role) *Job {
		j := NewJob("migration_" + m.Name + "_" + label)
		j.Source, j.Destination, j.Role = src, dst, role
		j.Mode, j.Delete, j.Archived = ModeSync, true, ArchivedFail
		j.DeclRange = m.DeclRange
		if role == nil && src.Account != dst.Account {
			j.Transfer = TransferStream
		}
		return j
	}
	p.Out = job("out", m.Bucket, p.Temporary, m.Role)
	var backRole *Role
	if m.Role != nil && m.Role.Account == m.To {
		backRole = m.Role
	}
	p.Back = job("back", p.Temporary, p.Moved, backRole)
	return p
}
