package bucketops

import (
	"os"
	"testing"

	"github.com/lakesync/lakesync/internal/testenv/moto"
)

// motoSrv is the package's moto server (nil when moto_server is missing
// and CI is not set); tests that need it call moto.Require(t, motoSrv).
var motoSrv *moto.Server

func TestMain(m *testing.M) { os.Exit(moto.Main(m, &motoSrv)) }
