package exec

import (
	"testing"
	"time"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/copier"
	"github.com/lakesync/lakesync/internal/testenv/world"
)

const (
	prodID = world.ProdID
	lakeID = world.LakeID
)

func newWorld(t *testing.T) *world.World {
	t.Helper()
	return world.New(t, motoSrv)
}

type copyWorld struct{ *world.Copy }

func newCopyWorld(t *testing.T) *copyWorld {
	t.Helper()
	return &copyWorld{world.NewCopy(t, motoSrv)}
}

// copier returns a copier of the job's transfer over a fresh or existing
// state file, closed when the test ends.
func (w *copyWorld) copier(t *testing.T, job *config.Job) *copier.Copier {
	t.Helper()
	c := &copier.Copier{State: w.OpenState(t), KMSKeyID: w.KeyARN, CommitInterval: 10 * time.Millisecond}
	c.Source, c.Destination = w.CopyClients(job)
	return c
}

func body(i, size int) []byte { return world.Body(i, size) }

func must(t *testing.T, err error) {
	t.Helper()
	world.Must(t, err)
}
