package exec

import (
	"strings"
	"testing"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/plan"
)

// TestResolve: apply finds the block a plan entry is about by its Ref:
// its kind and its label. A key and a bucket may share a label; a Ref of
// one kind never finds a block of another.
func TestResolve(t *testing.T) {
	lake := &config.Account{Name: "lake", ID: lakeID}
	bucket := &config.Bucket{Name: "lake", Account: lake, BucketName: "lake-raw"}
	key := &config.Key{Name: "lake", Account: lake}
	role := &config.Role{Name: "copier", Account: lake, RoleName: "lakesync-copier"}
	cfg := &config.Config{Buckets: []*config.Bucket{bucket}, Keys: []*config.Key{key}, Roles: []*config.Role{role}}
	tests := []struct {
		ref  plan.Ref
		want any
	}{
		{plan.Ref{Kind: plan.KindBucket, Name: "lake"}, bucket},
		{plan.Ref{Kind: plan.KindKey, Name: "lake"}, key},
		{plan.Ref{Kind: plan.KindRole, Name: "copier"}, role},
		{plan.Ref{Kind: plan.KindBucket, Name: "copier"}, nil},
		{plan.Ref{Kind: plan.KindRole, Name: "lake"}, nil},
		{plan.Ref{Kind: plan.KindKey, Name: "other"}, nil},
	}
	for _, tt := range tests {
		if got := resolve(cfg, tt.ref); got != tt.want {
			t.Errorf("resolve(%v) = %#v, want %#v", tt.ref, got, tt.want)
		}
	}
}

// TestWriteDocumentOtherKind: a bucket policy addressed to a key block
// is refused before any request, not written to the bucket of the same
// label.
func TestWriteDocumentOtherKind(t *testing.T) {
	lake := &config.Account{Name: "lake", ID: lakeID}
	cfg := &config.Config{
		Buckets: []*config.Bucket{{Name: "lake", Account: lake, BucketName: "lake-raw"}},
		Keys:    []*config.Key{{Name: "lake", Account: lake}},
	}
	d := &plan.DocumentChange{Address: plan.Ref{Kind: plan.KindKey, Name: "lake"}, Kind: plan.BucketPolicy, Action: plan.ActionCreate, After: []byte(`{}`)}
	err := writeDocument(t.Context(), cfg, nil, d)
	if err == nil || !strings.Contains(err.Error(), "the plan changes key.lake, which the configuration does not declare") {
		t.Errorf("writeDocument: %v, want the plan refused as made from another configuration", err)
	}
}

// TestWriteSettingTyped: apply writes the value the plan carries, read
// from its typed form: an abort age other than lakesync's own is written
// as planned, and a value lakesync does not write is refused before any
// request.
func TestWriteSettingTyped(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	must(t, w.Lake.CreateBucket(ctx, "lake-raw"))
	b := w.Bucket(t, "lake-raw", w.LakeAcct)
	acc := NewAccounts(w.Cfg)
	set := func(setting string, after plan.SettingValue) error {
		return writeSetting(ctx, w.Cfg, acc, &plan.SettingChange{Address: plan.BucketRef(b), Setting: setting, Action: plan.ActionCreate, After: after})
	}
	must(t, set(plan.SettingAbortIncomplete, plan.SettingValue{AbortIncompleteDays: 3}))
	obs, err := Observe(ctx, w.Cfg, acc)
	must(t, err)
	if got := obs.Buckets[b.Name].AbortIncompleteDays; got != 3 {
		t.Errorf("abort-incomplete rule after apply: %d days, want the planned 3", got)
	}
	for _, tt := range []struct {
		setting string
		after   plan.SettingValue
	}{
		{plan.SettingObjectOwnership, plan.SettingValue{ObjectOwnership: "ObjectWriter"}},
		{plan.SettingDefaultEncryption, plan.SettingValue{Encryption: &plan.BucketEncryption{Algorithm: "AES256"}}},
		{plan.SettingAbortIncomplete, plan.SettingValue{}},
	} {
		if err := set(tt.setting, tt.after); err == nil || !strings.Contains(err.Error(), "which lakesync does not write") {
			t.Errorf("%s = %v: %v, want refused", tt.setting, tt.after, err)
		}
	}
}
