package state

import (
	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/plan"
)

// Location is where one run's state lives: a local file, or an object in
// S3 with the account whose credentials read and write it. It is a value
// built once (NewLocation) from the configuration's state block and the
// shard, and never changed: two shards of one configuration have two
// Locations, and the configuration stays as it was loaded.
type Location struct {
	Backend string // config.StateBackendLocal or config.StateBackendS3
	Path    string // local: the bbolt file
	Bucket  string // S3: the bucket of the state object
	Key     string // S3: the state object; its lock is Key+".lock"
	Account *config.Account
	KMSKey  string // S3: the key the state and its lock are written with; "" the bucket's default encryption
}

// NewLocation is the location of cfg's state for shard: the state block's
// file or S3 object, with the shard's plan.Shard.StateSuffix on the file's
// path or on the object's key (and so on its lock too).
func NewLocation(cfg *config.Config, shard plan.Shard) Location {
	st := cfg.State
	suffix := shard.StateSuffix()
	if st.Backend != config.StateBackendS3 {
		return Location{Backend: config.StateBackendLocal, Path: st.Path + suffix}
	}
	loc := Location{Backend: config.StateBackendS3, Bucket: st.Bucket, Key: st.Key + suffix, Account: st.Account}
	if k := cfg.StateKMSKey(); k != nil {
		loc.KMSKey = k.Ref()
	}
	return loc
}

// Remote reports whether the state is kept in S3.
func (l Location) Remote() bool { return l.Backend == config.StateBackendS3 }

// String names the state for messages: its file, or s3://bucket/key.
func (l Location) String() string {
	if l.Remote() {
		return "s3://" + l.Bucket + "/" + l.Key
	}
	return l.Path
}
