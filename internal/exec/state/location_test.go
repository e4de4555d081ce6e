package state

import (
	"context"
	"errors"
	"io/fs"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/plan"
)

// TestNewLocationShards: one loaded configuration gives each shard its own
// state, ".shard-I-of-N" on the file's path or on the S3 key, and the
// configuration is left as it was loaded, so a second shard (or a second
// command on the same configuration) does not inherit the first's suffix.
func TestNewLocationShards(t *testing.T) {
	ops := &config.Account{Name: "ops", ID: "333333333333"}
	s3cfg := func() *config.Config {
		return &config.Config{
			State:   &config.State{Backend: config.StateBackendS3, Bucket: "konfir-lakesync-state", Key: "lakesync/prod.state", Account: ops},
			Buckets: []*config.Bucket{{Name: "state", Account: ops, BucketName: "konfir-lakesync-state", Key: &config.Key{Name: "ops", Alias: "alias/lakesync-state"}}},
		}
	}
	localCfg := func() *config.Config {
		return &config.Config{State: &config.State{Backend: config.StateBackendLocal, Path: ".lakesync/state"}}
	}
	for _, tc := range []struct {
		name string
		cfg  func() *config.Config
		want []Location // for all keys, shard 0/2, shard 1/2
	}{
		{"local", localCfg, []Location{
			{Backend: config.StateBackendLocal, Path: ".lakesync/state"},
			{Backend: config.StateBackendLocal, Path: ".lakesync/state.shard-0-of-2"},
			{Backend: config.StateBackendLocal, Path: ".lakesync/state.shard-1-of-2"},
		}},
		{"s3", s3cfg, []Location{
			{Backend: config.StateBackendS3, Bucket: "konfir-lakesync-state", Key: "lakesync/prod.state", Account: ops, KMSKey: "alias/lakesync-state"},
			{Backend: config.StateBackendS3, Bucket: "konfir-lakesync-state", Key: "lakesync/prod.state.shard-0-of-2", Account: ops, KMSKey: "alias/lakesync-state"},
			{Backend: config.StateBackendS3, Bucket: "konfir-lakesync-state", Key: "lakesync/prod.state.shard-1-of-2", Account: ops, KMSKey: "alias/lakesync-state"},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg()
			var got []Location
			for _, sh := range []plan.Shard{{}, {Index: 0, Count: 2}, {Index: 1, Count: 2}} {
				got = append(got, NewLocation(cfg, sh))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("locations of all keys, shard 0/2, shard 1/2 (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.cfg().State, cfg.State); diff != "" {
				t.Errorf("the configuration's state block changed (-loaded +after):\n%s", diff)
			}
		})
	}
}

func TestLocationString(t *testing.T) {
	for _, tc := range []struct {
		loc  Location
		want string
	}{
		{Location{Backend: config.StateBackendLocal, Path: ".lakesync/state.shard-1-of-2"}, ".lakesync/state.shard-1-of-2"},
		{Location{Backend: config.StateBackendS3, Bucket: "b", Key: "k.shard-1-of-2"}, "s3://b/k.shard-1-of-2"},
	} {
		if got := tc.loc.String(); got != tc.want {
			t.Errorf("%#v.String() = %q, want %q", tc.loc, got, tc.want)
		}
	}
}

// TestFileBackendModes: a read-only session of a file that does not exist
// fails with fs.ErrNotExist and creates nothing; a writing one creates it,
// and what it wrote is read back by a read-only one.
func TestFileBackendModes(t *testing.T) {
	ctx := context.Background()
	b := File{Path: filepath.Join(t.TempDir(), "sub", "state")}
	if _, err := b.Open(ctx, ReadOnly()); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("read-only open of a missing file: %v, want fs.ErrNotExist", err)
	}
	w, err := b.Open(ctx, ReadWrite("test"))
	if err != nil {
		t.Fatal(err)
	}
	if w.Context() != ctx {
		t.Error("a local session's context is not the caller's")
	}
	if err := w.Store().Put("job", testRecord("a")); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := b.Open(ctx, ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close(ctx)
	if _, found, err := r.Store().Get("job", "a"); err != nil || !found {
		t.Errorf("read back: found %v, %v", found, err)
	}
	if err := r.Store().Put("job", testRecord("b")); err == nil {
		t.Error("a read-only session wrote to the state")
	}
}
