package s3state

import (
	"os"
	"testing"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/testenv/moto"
)

// motoSrv is the package's moto server (nil when moto_server is missing
// and CI is not set); tests that need it call moto.Require(t, motoSrv).
var motoSrv *moto.Server

func TestMain(m *testing.M) { os.Exit(moto.Main(m, &motoSrv)) }

const lakeID = "222222222222"

// testWorld is a reset moto with the account that keeps the state, and
// its block in a lakesync config (the state needs no other account).
type testWorld struct {
	lake     *moto.Account
	lakeAcct *config.Account
}

func newWorld(t *testing.T) *testWorld {
	t.Helper()
	s := moto.Require(t, motoSrv)
	if err := s.Reset(t.Context()); err != nil {
		t.Fatal(err)
	}
	lake, err := s.NewAccount(t.Context(), lakeID)
	if err != nil {
		t.Fatal(err)
	}
	return &testWorld{
		lake:     lake,
		lakeAcct: &config.Account{Name: "lake", ID: lakeID, Region: moto.DefaultRegion, S3ForcePathStyle: true},
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
