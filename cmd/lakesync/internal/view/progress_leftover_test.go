package view

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/lakesync/lakesync/internal/config"
	"github.com/lakesync/lakesync/internal/exec/copier"
)

// The view says what a run did with an upload an earlier run left: a
// line in CI, an event with --json.
func TestCopyViewLeftoverUpload(t *testing.T) {
	aborted := &copier.LeftoverUpload{Job: "j", DestKey: "prod/big", UploadID: "U1", Action: "aborted"}
	kept := &copier.LeftoverUpload{Job: "j", DestKey: "prod/huge", UploadID: "U2", Action: "kept", Err: errors.New("s3:AbortMultipartUpload refused")}

	var out bytes.Buffer
	v := &copyView{w: &out}
	v.Begin(&config.Job{Name: "j"})
	v.OnCopyEvent(aborted)
	v.OnCopyEvent(kept)
	want := "j: aborted the multipart upload of prod/big left by an earlier run (upload U1); the object is copied again from its first part\n" +
		"j: could not abort the multipart upload of prod/huge left by an earlier run (upload U2); the next run tries again: s3:AbortMultipartUpload refused\n"
	if got := out.String(); !strings.Contains(got, want) {
		t.Errorf("plain view:\n%s\nwant it to contain:\n%s", got, want)
	}

	out.Reset()
	jv := NewCopy(JSON, Terminal{Out: &out})
	jv.Begin(&config.Job{Name: "j"})
	jv.OnCopyEvent(kept)
	var l leftoverUploadLine
	if err := json.Unmarshal(bytes.TrimSpace(out.Bytes()), &l); err != nil {
		t.Fatalf("JSON view %q: %v", out.String(), err)
	}
	if l != (leftoverUploadLine{Type: "leftover_upload", Job: "j", DestKey: "prod/huge", UploadID: "U2", Action: "kept", Error: "s3:AbortMultipartUpload refused"}) {
		t.Errorf("JSON event %+v", l)
	}
}
