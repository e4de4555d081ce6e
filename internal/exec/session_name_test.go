package exec

import (
	"testing"

	"github.com/lakesync/lakesync/internal/policy"
)

// TestSessionNameIsPolicys: the evaluator decides a NotPrincipal Deny with
// the copier's session ARN, which ends in the session name exec uses.
func TestSessionNameIsPolicys(t *testing.T) {
	if SessionName != policy.SessionName {
		t.Errorf("exec.SessionName %q, policy.SessionName %q: the access check would judge the wrong session", SessionName, policy.SessionName)
	}
}
