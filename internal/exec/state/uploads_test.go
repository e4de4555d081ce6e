package state

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"
)

// TestUploadPlans: what an upload was started for (source ETag, part
// size, transfer) is read back with it, and removed with it; an upload
// recorded without one reads as not resumable; the uploads bucket keeps
// the value an older lakesync of format 2 reads, the upload id.
func TestUploadPlans(t *testing.T) {
	s, _ := openTemp(t)
	planned := Upload{DestKey: "d/big", UploadID: "id1", SourceETag: `"abc-8"`, PartSize: 8 << 20, Transfer: "stream"}
	bare := Upload{DestKey: "d/old", UploadID: "id2"}
	must(t, s.AddUpload("j", planned))
	must(t, s.AddUpload("j", bare))
	got, err := s.Uploads("j")
	must(t, err)
	if d := cmp.Diff([]Upload{planned, bare}, got); d != "" {
		t.Errorf("Uploads (-want +got):\n%s", d)
	}
	if !planned.Resumable() || bare.Resumable() {
		t.Errorf("Resumable: planned %v, bare %v; want true, false", planned.Resumable(), bare.Resumable())
	}
	must(t, s.view(func(tx *bolt.Tx) error {
		if v := string(tx.Bucket(uploadBucket("j")).Get(uploadKey(planned))); v != "id1" {
			t.Errorf("uploads bucket value %q, want the upload id an older lakesync reads", v)
		}
		return nil
	}))

	must(t, s.RemoveUpload("j", planned))
	must(t, s.AddUpload("j", Upload{DestKey: "d/big", UploadID: "id1"}))
	got, err = s.Uploads("j")
	must(t, err)
	if d := cmp.Diff([]Upload{{DestKey: "d/big", UploadID: "id1"}, bare}, got); d != "" {
		t.Errorf("after RemoveUpload, the plan is still read (-want +got):\n%s", d)
	}
	must(t, s.Put("j", testRecord("k")))
	if _, err := s.DeleteJob("j"); err != nil {
		t.Fatal(err)
	}
	must(t, s.view(func(tx *bolt.Tx) error {
		if tx.Bucket(uploadPlanBucket("j")) != nil {
			t.Error("DeleteJob left the upload plans")
		}
		return nil
	}))
}

func TestUploadPlanCorrupt(t *testing.T) {
	var u Upload
	for _, b := range [][]byte{nil, {9}, {uploadPlanEncoding}, append(encodeUploadPlan(Upload{SourceETag: "e", PartSize: 5}), 0)} {
		if err := decodeUploadPlan(&u, b); err == nil {
			t.Errorf("decodeUploadPlan(%v) = nil, want ErrCorrupt", b)
		}
	}
}
