package migrate

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/state"
)

// TestFailedSaysWhereTheObjectsAre: a failed step's error keeps the
// cause and ends with where a complete copy of every object is (nothing
// deleted until step 3's deletion starts; the temporary bucket from then
// until step 5 ends; the moved bucket at step 6) and the step a rerun
// resumes at. A mistyped confirmation says what to run itself.
func TestFailedSaysWhereTheObjectsAre(t *testing.T) {
	prod := &config.Account{Name: "prod", ID: "111111111111", Region: "eu-west-1"}
	lake := &config.Account{Name: "lake", ID: "222222222222", Region: "eu-west-1"}
	m := &config.Migration{Name: "move", Bucket: &config.Bucket{Name: "data", Account: prod, BucketName: "konfir-data"},
		To: lake, TemporaryBucket: "konfir-tmp", Region: "eu-west-1"}
	cause := errors.New("the cause")
	tests := []struct {
		step     int
		deleting bool
		want     string
	}{
		{StepCopyOut, false, "nothing was deleted; run lakesync migrate move again to resume at step 1"},
		{StepDeleteSource, false, "nothing was deleted; run lakesync migrate move again to resume at step 3"},
		{StepDeleteSource, true, "every object is in the temporary bucket konfir-tmp (account lake, 222222222222), copied and verified: keep it; run lakesync migrate move again to resume at step 3"},
		{StepRecreate, true, "every object is in the temporary bucket konfir-tmp"},
		{StepCopyBack, false, "every object is in the temporary bucket konfir-tmp"},
		{StepDeleteTemp, false, "every object is in konfir-data (account lake, 222222222222), copied and verified; run lakesync migrate move again to resume at step 6"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("step %d deleting %v", tt.step, tt.deleting), func(t *testing.T) {
			r := &run{m: m, d: derive(m)}
			if tt.deleting {
				r.rec = state.MigrationRecord{Step: StepConfirm, Status: statusDeleting}
			}
			err := r.failed(tt.step, cause)
			if !errors.Is(err, cause) || !strings.HasPrefix(err.Error(), "the cause\n") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want the cause, then %q", err, tt.want)
			}
		})
	}
	wrong := fmt.Errorf("%w konfir-data", ErrWrongConfirmation)
	if err := (&run{m: m, d: derive(m)}).failed(StepConfirm, wrong); err != wrong {
		t.Errorf("a mistyped confirmation: %q, want it as it is", err)
	}
}
