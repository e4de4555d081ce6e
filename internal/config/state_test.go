package config

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDecodeS3State(t *testing.T) {
	cfg := load(t, "testdata/valid/state_s3.hcl", nil, nil)
	st := cfg.State
	got := []string{st.Backend, st.Path, st.Bucket, st.Key, st.Account.Name}
	want := []string{"s3", "", "konfir-lakesync-state", "lakesync/prod.state", "ops"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("state block (-want +got):\n%s", diff)
	}
	if k := cfg.StateKMSKey(); k == nil || k.Name != "ops" {
		t.Errorf("StateKMSKey = %v, want key.ops (the key of the bucket block naming the state bucket)", k)
	}
	local := load(t, "testdata/valid/push.hcl", nil, nil)
	if local.State.Backend != StateBackendLocal || local.StateKMSKey() != nil {
		t.Errorf("push.hcl: backend %q, key %v; want local and no key", local.State.Backend, local.StateKMSKey())
	}
}
