package main

import (
	"testing"

	"github.com/lakesync/lakesync/internal/exec"
)

// TestLiveStepName: the command says each typed step of the live check in
// the words check --live has always printed.
func TestLiveStepName(t *testing.T) {
	const key = "arn:aws:kms:eu-west-1:222222222222:key/k"
	tests := []struct {
		step exec.LiveStep
		want string
	}{
		{exec.LiveStep{Kind: exec.StepListSource}, "list the source under the whole bucket"},
		{exec.LiveStep{Kind: exec.StepListSource, Prefix: "exports/"}, `list the source under "exports/"`},
		{exec.LiveStep{Kind: exec.StepHeadObject}, "read the first object's metadata"},
		{exec.LiveStep{Kind: exec.StepCreateUpload}, "create a multipart upload at the destination"},
		{exec.LiveStep{Kind: exec.StepCreateUpload, KMSKeyID: key}, "create a multipart upload at the destination encrypted with " + key},
		{exec.LiveStep{Kind: exec.StepAbortUpload}, "abort that upload"},
	}
	for _, tt := range tests {
		if got := liveStepName(tt.step); got != tt.want {
			t.Errorf("liveStepName(%+v) = %q, want %q", tt.step, got, tt.want)
		}
	}
}
