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
	var l LeftoverUploadLine
	if err := json.Unmarshal(bytes.TrimSpace(out.Bytes()), &l); err != nil {
		t.Fatalf("JSON view %q: %v", out.String(), err)
	}
	if l != (LeftoverUploadLine{Type: "leftover_upload", Job: "j", DestKey: "prod/huge", UploadID: "U2", Action: "kept", Error: "s3:AbortMultipartUpload refused"}) {
		t.Errorf("JSON event %+v", l)
	}
}

// A resumed upload and one aborted for a reason say so; the object event
// of --json carries parts_resumed.
func TestCopyViewResumedUpload(t *testing.T) {
	resumed := &copier.LeftoverUpload{Job: "j", DestKey: "prod/big", UploadID: "U1", Action: "resumed", PartsResumed: 4}
	changed := &copier.LeftoverUpload{Job: "j", DestKey: "prod/big", UploadID: "U2", Action: "aborted", Reason: copier.ReasonSourceChanged}
	notCopied := &copier.LeftoverUpload{Job: "j", DestKey: "prod/gone", UploadID: "U3", Action: "aborted", Reason: copier.ReasonNotCopied}

	var out bytes.Buffer
	v := &copyView{w: &out}
	v.Begin(&config.Job{Name: "j"})
	for _, e := range []copier.CopyEvent{resumed, changed, notCopied} {
		v.OnCopyEvent(e)
	}
	want := "j: resuming the multipart upload of prod/big left by an earlier run (upload U1): 4 part(s) already there are kept, only the missing ones are copied\n" +
		"j: aborted the multipart upload of prod/big left by an earlier run (upload U2), not resumed because the source changed; the object is copied again from its first part\n" +
		"j: aborted the multipart upload of prod/gone left by an earlier run (upload U3): this run did not copy it (gone at source, unchanged or adopted)\n"
	if got := out.String(); !strings.Contains(got, want) {
		t.Errorf("plain view:\n%s\nwant it to contain:\n%s", got, want)
	}

	out.Reset()
	jv := NewCopy(JSON, Terminal{Out: &out})
	jv.Begin(&config.Job{Name: "j"})
	jv.OnCopyEvent(changed)
	jv.OnCopyEvent(&copier.ObjectDone{Job: "j", Key: "exports/big", DestKey: "prod/big", Action: "copy", Bytes: 20, PartsResumed: 4})
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("JSON view %q: want 2 lines", out.String())
	}
	var l LeftoverUploadLine
	if err := json.Unmarshal([]byte(lines[0]), &l); err != nil {
		t.Fatal(err)
	}
	if l != (LeftoverUploadLine{Type: "leftover_upload", Job: "j", DestKey: "prod/big", UploadID: "U2", Action: "aborted", Reason: "the source changed"}) {
		t.Errorf("JSON event %+v", l)
	}
	var o map[string]any
	if err := json.Unmarshal([]byte(lines[1]), &o); err != nil {
		t.Fatal(err)
	}
	if o["type"] != "object" || o["parts_resumed"] != 4.0 {
		t.Errorf("JSON object event %s, want parts_resumed 4", lines[1])
	}
}
