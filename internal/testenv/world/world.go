package world

import (
	"testing"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/testenv/moto"
)

const (
	ProdID = "111111111111"
	LakeID = "222222222222"
)

// World is a reset moto with two accounts reachable through the
// profiles "prod" and "lake" of a generated shared config, and a lakesync
// config whose account blocks use them.
type World struct {
	Srv        *moto.Server
	Prod, Lake *moto.Account
	Cfg        *config.Config
	ProdAcct   *config.Account
	LakeAcct   *config.Account
}

// New resets srv, the test package's moto server (see moto.Main), and
// builds the world on it; the test is skipped or fails as moto.Require
// says when there is none.
func New(t *testing.T, srv *moto.Server) *World {
	t.Helper()
	s := moto.Require(t, srv)
	ctx := t.Context()
	if err := s.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	prod, err := s.NewAccount(ctx, ProdID)
	if err != nil {
		t.Fatal(err)
	}
	lake, err := s.NewAccount(ctx, LakeID)
	if err != nil {
		t.Fatal(err)
	}
	prod.Profile, lake.Profile = "prod", "lake"
	env, err := s.WriteSharedConfig(t.TempDir(), prod, lake)
	if err != nil {
		t.Fatal(err)
	}
	env.Setenv(t)
	w := &World{
		Srv: s, Prod: prod, Lake: lake,
		ProdAcct: &config.Account{Name: "prod", ID: ProdID, Region: moto.DefaultRegion, Profile: "prod", S3ForcePathStyle: true},
		LakeAcct: &config.Account{Name: "lake", ID: LakeID, Region: moto.DefaultRegion, Profile: "lake", S3ForcePathStyle: true},
	}
	w.Cfg = &config.Config{Accounts: []*config.Account{w.ProdAcct, w.LakeAcct}}
	return w
}

// Bucket adds a bucket block of that name (and bucket name) in acct.
func (w *World) Bucket(t *testing.T, name string, acct *config.Account) *config.Bucket {
	t.Helper()
	b := &config.Bucket{Name: name, Account: acct, BucketName: name}
	w.Cfg.Buckets = append(w.Cfg.Buckets, b)
	return b
}

// Key adds a key block naming ref, an alias ("alias/...") or an ARN.
func (w *World) Key(t *testing.T, name, ref string, acct *config.Account) *config.Key {
	t.Helper()
	k := &config.Key{Name: name, Account: acct}
	if len(ref) > 6 && ref[:6] == "alias/" {
		k.Alias = ref
	} else {
		k.ARN = ref
	}
	w.Cfg.Keys = append(w.Cfg.Keys, k)
	return k
}

// Role adds a role block of that name (and role name) in acct.
func (w *World) Role(t *testing.T, name string, acct *config.Account) *config.Role {
	t.Helper()
	r := &config.Role{Name: name, Account: acct, RoleName: name}
	w.Cfg.Roles = append(w.Cfg.Roles, r)
	return r
}

// Must fails the test at once on err.
func Must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
