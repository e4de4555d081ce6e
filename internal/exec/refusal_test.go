package exec

import (
	"context"
	"strings"
	"testing"

	"github.com/lakesync/lakesync/internal/exec/awserr"
)

// With moto's authentication on, a user without policies is refused; the
// error must say which permission is missing and never carry credentials.
func TestAWSErrorFromRealRefusal(t *testing.T) {
	w := newWorld(t)
	must(t, w.Lake.CreateBucket(t.Context(), "lake-raw"))
	b := w.Bucket(t, "lake-raw", w.LakeAcct)
	acc := NewAccounts(w.Cfg)
	_, err := acc.Config(t.Context(), w.LakeAcct) // verify before auth is on
	must(t, err)
	must(t, w.Srv.SetAuth(t.Context(), true))
	// t.Context is already cancelled when cleanups run.
	t.Cleanup(func() { _ = w.Srv.SetAuth(context.Background(), false) })

	_, err = Observe(t.Context(), w.Cfg, acc)
	if err == nil {
		t.Fatal("Observe succeeded without any permission")
	}
	msg := err.Error()
	t.Log(msg)
	if !awserr.IsAccessDenied(err) || !strings.Contains(msg, "lack permission s3:") || !strings.Contains(msg, b.ARN()) {
		t.Errorf("refusal does not name the permission and bucket: %s", msg)
	}
	if strings.Contains(msg, w.Lake.SecretAccessKey) {
		t.Errorf("error leaks the secret key: %s", msg)
	}
}
