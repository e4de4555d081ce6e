package exec

import (
	"testing"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/testenv/moto"
)

const (
	prodID = "111111111111"
	lakeID = "222222222222"
)

// testWorld is a reset moto with two accounts reachable through the
// profiles "prod" and "lake" of a generated shared config, and a lakesync
// config whose account blocks use them.
type testWorld struct {
	srv        *moto.Server
	prod, lake *moto.Account
	cfg        *config.Config
	prodAcct   *config.Account
	lakeAcct   *config.Account
}

func newWorld(t *testing.T) *testWorld {
	t.Helper()
	s := moto.Require(t, motoSrv)
	ctx := t.Context()
	if err := s.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	prod, err := s.NewAccount(ctx, prodID)
	if err != nil {
		t.Fatal(err)
	}
	lake, err := s.NewAccount(ctx, lakeID)
	if err != nil {
		t.Fatal(err)
	}
	prod.Profile, lake.Profile = "prod", "lake"
	env, err := s.WriteSharedConfig(t.TempDir(), prod, lake)
	if err != nil {
		t.Fatal(err)
	}
	env.Setenv(t)
	w := &testWorld{
		srv: s, prod: prod, lake: lake,
		prodAcct: &config.Account{Name: "prod", ID: prodID, Region: moto.DefaultRegion, Profile: "prod", S3ForcePathStyle: true},
		lakeAcct: &config.Account{Name: "lake", ID: lakeID, Region: moto.DefaultRegion, Profile: "lake", S3ForcePathStyle: true},
	}
	w.cfg = &config.Config{Accounts: []*config.Account{w.prodAcct, w.lakeAcct}}
	return w
}

func (w *testWorld) bucket(t *testing.T, name string, acct *config.Account) *config.Bucket {
	t.Helper()
	b := &config.Bucket{Name: name, Account: acct, BucketName: name}
	w.cfg.Buckets = append(w.cfg.Buckets, b)
	return b
}

func (w *testWorld) key(t *testing.T, name, ref string, acct *config.Account) *config.Key {
	t.Helper()
	k := &config.Key{Name: name, Account: acct}
	if len(ref) > 6 && ref[:6] == "alias/" {
		k.Alias = ref
	} else {
		k.ARN = ref
	}
	w.cfg.Keys = append(w.cfg.Keys, k)
	return k
}

func (w *testWorld) role(t *testing.T, name string, acct *config.Account) *config.Role {
	t.Helper()
	r := &config.Role{Name: name, Account: acct, RoleName: name}
	w.cfg.Roles = append(w.cfg.Roles, r)
	return r
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
